import Testing
import Foundation
@testable import Engine

/// Logits and input gradients against the PyTorch reference (`../shared/golden/`, copied into
/// Fixtures): each golden file holds the exact input, the logits, and
/// d log_softmax(logits)[target] / d input for target 69 (trilobite).
struct GoldenTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let variant: ModelVariant
        var description: String { name }
    }

    static let cases = [
        Case(name: "chelsea-lite0", variant: .lite0),
        Case(name: "coffee-lite0", variant: .lite0),
        Case(name: "chelsea-lite2", variant: .lite2),
    ]

    /// Tolerances from the issue: logits within 1e-3 (the reference is float32 PyTorch; our sums
    /// run in another order, so agreement to ~1e-4 is what float32 allows), gradient cosine
    /// ≥ 0.9999 and relative L2 error ≤ 1e-3.
    @Test(arguments: cases)
    func matchesPyTorch(_ golden: Case) throws {
        let file = try SafeTensorsFile(contentsOf: TestPaths.fixture(golden.name + ".safetensors"))
        let side = golden.variant.inputSize
        let input = channelsLast(try file.tensor("input", shape: [1, 3, side, side]).values, channels: 3, side: side)
        let expectedLogits = try file.tensor("logits", shape: [1000]).values
        let expectedGradient = channelsLast(try file.tensor("grad_logprob_target", shape: [1, 3, side, side]).values, channels: 3, side: side)
        let target = 69

        let network = EfficientNetLite(try EfficientNetLiteWeights(variant: golden.variant, directory: TestPaths.weights))
        let (logits, gradient) = try network.logitsAndInputGradient(input: input, batch: 1) { logits in
            // d log softmax[target] / d logits = onehot(target) − softmax
            var d = Softmax.probabilities(logits, classes: 1000).map { -$0 }
            d[target] += 1
            return d
        }
        let maxLogitError = zip(logits, expectedLogits).map { abs($0 - $1) }.max() ?? .infinity
        print("\(golden.name): max |logit − reference| = \(maxLogitError), gradient cosine = \(cosineSimilarity(gradient, expectedGradient)), relative L2 = \(relativeL2Error(gradient, reference: expectedGradient))")
        if let dump = ProcessInfo.processInfo.environment["TRILOBITE_DUMP"] {
            let data = gradient.withUnsafeBufferPointer { Data(buffer: $0) }
            try data.write(to: URL(fileURLWithPath: "\(dump)/\(golden.name)-ours.f32"))
        }
        #expect(maxLogitError <= 1e-3)
        #expect(cosineSimilarity(gradient, expectedGradient) >= 0.9999)
        #expect(relativeL2Error(gradient, reference: expectedGradient) <= 1e-3)
    }
}
