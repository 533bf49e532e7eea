import Testing
@testable import Engine

/// Several backward passes from one forward (DeepFool's candidate classes).
struct SharedForwardTests {
    /// Each row's gradient is exactly the gradient of a separate batch-1 call seeded with that
    /// row: the backward passes leave the forward's activations as they found them, so the second
    /// and later rows see the same masks as the first. Checked on both paddings (odd and even side).
    @Test(arguments: [15, 16])
    func rowsEqualSeparateCalls(side: Int) throws {
        let shared = try TinyNetwork.network(inputSize: side)
        let separate = try TinyNetwork.network(inputSize: side)
        var random = TestRandom(state: 21)
        let image = random.values(side * side * 3)
        let rows = 4
        let seeds = random.values(rows * 10)
        var seenLogits: [Float] = []
        let answer = try shared.logitsAndInputGradients(input: image, rows: rows) { logits in
            seenLogits = logits
            return seeds
        }
        #expect(answer.logits == seenLogits)
        #expect(answer.gradients.count == rows * image.count)
        for row in 0..<rows {
            let alone = try separate.logitsAndInputGradient(input: image, batch: 1) { _ in
                Array(seeds[(row * 10)..<((row + 1) * 10)])
            }
            #expect(alone.logits == answer.logits)
            #expect(Array(answer.gradients[(row * image.count)..<((row + 1) * image.count)]) == alone.gradient)
        }
        // The rows in reverse order: no row depends on what an earlier backward left behind.
        let reversedSeeds = (0..<rows).reversed().flatMap { seeds[($0 * 10)..<(($0 + 1) * 10)] }
        let reversed = try shared.logitsAndInputGradients(input: image, rows: rows) { _ in reversedSeeds }
        for row in 0..<rows {
            let back = rows - 1 - row
            #expect(Array(reversed.gradients[(row * image.count)..<((row + 1) * image.count)])
                == Array(answer.gradients[(back * image.count)..<((back + 1) * image.count)]))
        }
    }

    @Test func wrongRowCountIsAnError() throws {
        let network = try TinyNetwork.network(inputSize: 16)
        let image = [Float](repeating: 0.1, count: 16 * 16 * 3)
        #expect(throws: EngineError.self) {
            _ = try network.logitsAndInputGradients(input: image, rows: 2) { _ in [Float](repeating: 1, count: 10) }
        }
        #expect(throws: EngineError.self) {
            _ = try network.logitsAndInputGradients(input: image, rows: 0) { _ in [] }
        }
    }
}
