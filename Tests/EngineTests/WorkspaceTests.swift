import Testing
@testable import Engine

/// An attack classifies the clean image, takes its steps at batch 1, then evaluates the float and
/// the saved image at batch 2; it should hold one workspace throughout, not three in turn.
@Suite struct WorkspaceTests {
    @Test func forwardPassesAfterStepsReuseTheGradientWorkspace() throws {
        let side = 32
        let network = try TinyNetwork.network(inputSize: side)
        var random = TestRandom(state: 3)
        let first = random.values(side * side * 3, scale: 0.8)
        let second = random.values(side * side * 3, scale: 0.8)

        let clean = try network.logits(input: first, batch: 1)
        #expect(network.workspaceBatches.inference == 1)

        let (stepLogits, _) = try network.logitsAndInputGradient(input: first, batch: 1) { logits in
            logits.map { _ in 0.1 }
        }
        #expect(network.workspaceBatches.gradient == 1)
        #expect(network.workspaceBatches.inference == nil)
        #expect(stepLogits == clean)

        let pair = try network.logits(input: first + second, batch: 2)
        #expect(network.workspaceBatches.inference == nil)
        let alone = try network.logits(input: second, batch: 1)
        #expect(Array(pair[..<clean.count]) == clean)
        #expect(Array(pair[clean.count...]) == alone)

        // A batch that is not a multiple of the gradient batch still gets its own workspace.
        _ = try network.logitsAndInputGradient(input: first + second, batch: 2) { logits in logits.map { _ in 0.1 } }
        _ = try network.logits(input: first, batch: 1)
        #expect(network.workspaceBatches == (gradient: 2, inference: 1))
    }
}
