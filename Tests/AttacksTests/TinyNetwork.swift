import Attacks
import Testing
import Foundation

/// A small differentiable classifier for the attack tests: 16 × 16 × 3 images (large enough for
/// the 11 × 11 SSIM window), model input m = 2x − 1 (so `modelInputScale` = 2, like a [−1, 1]
/// network), one hidden tanh layer and 10 classes:
///
///     a = W1 m + b1   (hidden)      h = tanh(a)      z = W2 h + b2   (10 logits)
///
/// Weights are drawn from a fixed seed. It counts every image it is shown, separately for
/// `logits` and `logitsAndGradient`, and can keep a copy of each image (for the grid tests).
final class TinyNetwork: Classifier {
    let imageSide = 16
    let classCount = 10
    let modelInputScale: Float = 2
    let hiddenCount = 24
    var inputCount: Int { imageSide * imageSide * 3 }

    /// hiddenCount × inputCount, row-major.
    private let firstWeights: [Float]
    private let firstBias: [Float]
    /// classCount × hiddenCount, row-major.
    private let secondWeights: [Float]
    private let secondBias: [Float]

    private(set) var forwardCalls = 0
    private(set) var forwardImages = 0
    private(set) var gradientCalls = 0
    private(set) var gradientImages = 0
    /// Every image seen, when `recordsImages` is on.
    var recordsImages = false
    private(set) var seenImages: [[Float]] = []
    /// Every call, in order, when `recordsImages` is on: its kind and its whole batch.
    private(set) var requests: [Request] = []

    struct Request {
        enum Kind { case forward, gradient }
        var kind: Kind
        var images: [Float]
        var count: Int
    }

    init(seed: UInt64 = 3, firstLayerGain: Float = 6) {
        var generator = SeededGenerator(seed: seed)
        let inputCount = 16 * 16 * 3
        // Seed and gain chosen so that the test image is classified confidently (p ≈ 0.93) and a
        // class with p ≈ 0.02 can be reached within ε = 4/255 by BIM: an easy but non-trivial case.
        let firstScale = firstLayerGain / Float(inputCount).squareRoot()
        let secondScale = 3 / Float(24).squareRoot()
        firstWeights = (0..<(24 * inputCount)).map { _ in Float(generator.nextGaussian()) * firstScale }
        firstBias = (0..<24).map { _ in Float(generator.nextGaussian()) * 0.1 }
        secondWeights = (0..<(10 * 24)).map { _ in Float(generator.nextGaussian()) * secondScale }
        secondBias = (0..<10).map { _ in Float(generator.nextGaussian()) * 0.1 }
    }

    func logits(images: [Float], count: Int) throws -> [Float] {
        forwardCalls += 1
        forwardImages += count
        remember(images, count: count)
        if recordsImages { requests.append(Request(kind: .forward, images: images, count: count)) }
        var logits: [Float] = []
        for index in 0..<count {
            let (_, imageLogits) = forward(images, index: index)
            logits += imageLogits
        }
        return logits
    }

    func logitsAndGradient(
        images: [Float], count: Int, lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        gradientCalls += 1
        gradientImages += count
        remember(images, count: count)
        if recordsImages { requests.append(Request(kind: .gradient, images: images, count: count)) }
        var logits: [Float] = []
        var hiddens: [[Float]] = []
        for index in 0..<count {
            let (hidden, imageLogits) = forward(images, index: index)
            logits += imageLogits
            hiddens.append(hidden)
        }
        let logitGradient = lossGradient(logits)
        var gradient = [Float](repeating: 0, count: count * inputCount)
        for index in 0..<count {
            let hidden = hiddens[index]
            // d/dh = W2ᵀ d/dz, then through tanh: d/da = (1 − h²) d/dh.
            var hiddenGradient = [Float](repeating: 0, count: hiddenCount)
            for k in 0..<classCount {
                let g = logitGradient[index * classCount + k]
                for j in 0..<hiddenCount { hiddenGradient[j] += secondWeights[k * hiddenCount + j] * g }
            }
            for j in 0..<hiddenCount { hiddenGradient[j] *= 1 - hidden[j] * hidden[j] }
            // d/dm = W1ᵀ d/da, and m = 2x − 1 so d/dx = 2 d/dm.
            for j in 0..<hiddenCount {
                let g = hiddenGradient[j] * modelInputScale
                for i in 0..<inputCount {
                    gradient[index * inputCount + i] += firstWeights[j * inputCount + i] * g
                }
            }
        }
        return (logits, gradient)
    }

    /// Hidden activations and logits of image `index` of the batch.
    private func forward(_ images: [Float], index: Int) -> (hidden: [Float], logits: [Float]) {
        let offset = index * inputCount
        var hidden = [Float](repeating: 0, count: hiddenCount)
        for j in 0..<hiddenCount {
            var sum = firstBias[j]
            for i in 0..<inputCount {
                sum += firstWeights[j * inputCount + i] * (modelInputScale * images[offset + i] - 1)
            }
            hidden[j] = tanhf(sum)
        }
        var logits = [Float](repeating: 0, count: classCount)
        for k in 0..<classCount {
            var sum = secondBias[k]
            for j in 0..<hiddenCount { sum += secondWeights[k * hiddenCount + j] * hidden[j] }
            logits[k] = sum
        }
        return (hidden, logits)
    }

    private func remember(_ images: [Float], count: Int) {
        guard recordsImages else { return }
        for index in 0..<count {
            seenImages.append(Array(images[(index * inputCount)..<((index + 1) * inputCount)]))
        }
    }
}

/// A deterministic 16 × 16 × 3 test image: mostly random mid-range levels, with the first row
/// black and the last row white so that clipping to [0, 1] is exercised.
func makeTestImage(seed: UInt64 = 11, side: Int = 16) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    var image = [UInt8](repeating: 0, count: side * side * 3)
    for row in 0..<side {
        for column in 0..<side {
            for channel in 0..<3 {
                let index = (row * side + column) * 3 + channel
                switch row {
                case 0: image[index] = 0
                case side - 1: image[index] = 255
                default: image[index] = UInt8(20 + generator.nextIndex(below: 216))
                }
            }
        }
    }
    return image
}

/// Softmax of one row of logits, in Double.
func probabilities(_ logits: [Float]) -> [Double] {
    let largest = Double(logits.max() ?? 0)
    let exps = logits.map { Foundation.exp(Double($0) - largest) }
    let sum = exps.reduce(0, +)
    return exps.map { $0 / sum }
}

/// Largest change in grey levels between two 8-bit images.
func linfLevels(_ first: [UInt8], _ second: [UInt8]) -> Int {
    zip(first, second).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

/// L2 of the change on the [0,1] scale, from 8-bit images.
func l2ImageUnits(_ first: [UInt8], _ second: [UInt8]) -> Double {
    zip(first, second).map { Double(Int($0) - Int($1)) / 255 }.map { $0 * $0 }.reduce(0, +).squareRoot()
}

/// A one-line summary in test failure messages instead of a dump of every pixel.
extension AttackResult: CustomTestStringConvertible {
    public var testDescription: String {
        "\(method.rawValue) result: \(steps) steps, \(stopReason), top-1 \(topClassAfter) "
            + "(float \(top5AfterFloat.first?.classIndex ?? -1)), success \(success) (float \(successFloat))"
    }
}
