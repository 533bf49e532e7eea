import Attacks
import Foundation
import Testing

@Suite("The test network's input gradient")
struct TinyNetworkTests {
    @Test("analytic gradient agrees with central finite differences")
    func gradientMatchesFiniteDifferences() throws {
        let network = TinyNetwork()
        let image = imageUnits(fromEightBit: makeTestImage())
        let target = 4
        // Loss: log p_target, d/dz = e_t − p.
        func logProbability(_ x: [Float]) throws -> Double {
            let logits = try network.logits(images: x, count: 1)
            return log(probabilities(logits)[target])
        }
        let (_, gradient) = try network.logitsAndGradient(images: image, count: 1) { logits in
            let p = probabilities(logits)
            return p.indices.map { Float(($0 == target ? 1 : 0) - p[$0]) }
        }
        // Central differences with h = 1e-3 in Float: truncation O(h²) ≈ 1e-6 and rounding
        // ≈ 1e-7 / h ≈ 1e-4 relative to the loss; compare with 2% relative + 2e-3 absolute.
        let h: Float = 1e-3
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<40 {
            let index = generator.nextIndex(below: image.count)
            var plus = image, minus = image
            plus[index] += h
            minus[index] -= h
            let numeric = (try logProbability(plus) - logProbability(minus)) / Double(2 * h)
            let analytic = Double(gradient[index])
            #expect(abs(numeric - analytic) <= 0.02 * abs(analytic) + 2e-3, "value \(index)")
        }
    }

    @Test("a batch gives each image its own gradient")
    func batchedGradient() throws {
        let network = TinyNetwork()
        let image = imageUnits(fromEightBit: makeTestImage())
        let single = try network.logitsAndGradient(images: image, count: 1) { _ in
            [Float](repeating: 0, count: 10).enumerated().map { $0.offset == 2 ? 1 : 0 }
        }
        let batch = try network.logitsAndGradient(images: image + image, count: 2) { _ in
            (0..<20).map { $0 == 2 || $0 == 17 ? 1 : 0 }
        }
        #expect(Array(batch.gradient[0..<image.count]) == single.gradient)
        #expect(Array(batch.logits[10..<20]) == single.logits)
        #expect(Array(batch.gradient[image.count...]) != single.gradient)
    }
}
