@testable import Attacks
import Testing

/// The tiny network answering `logitsAndGradients` with one batch-1 gradient call per row, as a
/// classifier with a real shared-forward backward does (the engine's rows equal separate batch-1
/// calls: Tests/EngineTests/SharedForwardTests.swift).
final class RowByRowNetwork: Classifier {
    let inner = TinyNetwork()
    private(set) var sharedCalls = 0
    var imageSide: Int { inner.imageSide }
    var classCount: Int { inner.classCount }
    var modelInputScale: Float { inner.modelInputScale }

    func logits(images: [Float], count: Int) throws -> [Float] {
        try inner.logits(images: images, count: count)
    }

    func logitsAndGradient(
        images: [Float], count: Int, lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        try inner.logitsAndGradient(images: images, count: count, lossGradient: lossGradient)
    }

    func logitsAndGradients(
        image: [Float], rows: Int, lossGradients: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradients: [Float]) {
        sharedCalls += 1
        let logits = try inner.logits(images: image, count: 1)
        let seeds = lossGradients(logits)
        var gradients: [Float] = []
        for row in 0..<rows {
            gradients += try inner.logitsAndGradient(images: image, count: 1) { _ in
                Array(seeds[(row * classCount)..<((row + 1) * classCount)])
            }.gradient
        }
        return (logits, gradients)
    }
}

@Suite("Several gradients from one forward")
struct SharedForwardTests {
    /// The protocol's default (the image once per row, one batched call) gives every row the
    /// gradient a separate call seeded with that row gives.
    @Test func defaultRowsEqualSeparateCalls() throws {
        let network = TinyNetwork()
        let image = imageUnits(fromEightBit: makeTestImage())
        var seeds = [Float](repeating: 0, count: 3 * 10)
        for row in 0..<3 { seeds[row * 10 + row + 2] = 1; seeds[row * 10] = -1 }
        var seen: [Float] = []
        let answer = try network.logitsAndGradients(image: image, rows: 3) { logits in
            seen = logits
            return seeds
        }
        #expect(answer.logits == seen)
        #expect(answer.logits == (try network.logits(images: image, count: 1)))
        for row in 0..<3 {
            let alone = try network.logitsAndGradient(images: image, count: 1) { _ in
                Array(seeds[(row * 10)..<((row + 1) * 10)])
            }
            #expect(Array(answer.gradients[(row * image.count)..<((row + 1) * image.count)]) == alone.gradient)
        }
    }

    /// DeepFool through the shared-forward call gives the record it gave when it sent the image
    /// once per candidate class in one batch (the default implementation is that batch).
    @Test(arguments: [false, true])
    func deepFoolUnchanged(gridMode: Bool) throws {
        var config = AttackConfig(method: .deepfool)
        config.gridMode = gridMode
        let batched = try runAttack(config, on: TinyNetwork(), image: makeTestImage())
        let rowByRow = RowByRowNetwork()
        let shared = try runAttack(config, on: rowByRow, image: makeTestImage())
        #expect(rowByRow.sharedCalls == shared.queries.gradientCalls)
        #expect(shared.queries == batched.queries)
        #expect(shared.adversarialImage == batched.adversarialImage)
        #expect(shared.adversarialFloatImage == batched.adversarialFloatImage)
        #expect(shared.steps == batched.steps)
        #expect(shared.stopReason == batched.stopReason)
        #expect(shared.top5After == batched.top5After)
        #expect(shared.trace.map(\.loss) == batched.trace.map(\.loss))
        #expect(shared.trace.map(\.l2) == batched.trace.map(\.l2))
    }
}
