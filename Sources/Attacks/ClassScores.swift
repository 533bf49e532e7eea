import Foundation

/// A class and the probability the network gives it.
public struct ClassProbability: Codable, Sendable, Hashable {
    /// Index of the class (ImageNet: 0...999; 69 is "trilobite").
    public var classIndex: Int
    /// Softmax probability.
    public var probability: Float

    public init(classIndex: Int, probability: Float) {
        self.classIndex = classIndex
        self.probability = probability
    }
}

/// Softmax, log-softmax and the usual losses of one image's logits.
///
/// Sums run in Double so that probabilities as small as the talk's starting p ≈ 1e-6 keep their
/// relative precision.
struct ClassScores {
    /// `classCount` logits.
    let logits: [Float]
    /// softmax(logits).
    let probabilities: [Float]
    /// log softmax(logits).
    let logProbabilities: [Float]

    init<Logits: Collection>(logits row: Logits) where Logits.Element == Float {
        logits = Array(row)
        let largest = logits.max() ?? 0
        var sum = 0.0
        for value in logits { sum += Double(Foundation.exp(value - largest)) }
        let logSum = Double(largest) + Foundation.log(sum)
        logProbabilities = logits.map { Float(Double($0) - logSum) }
        probabilities = logProbabilities.map { Foundation.exp($0) }
    }

    var topClass: Int { indexOfLargest(logits) }

    /// The `count` most probable classes, most probable first (ties: lower index first).
    func top(_ count: Int) -> [ClassProbability] {
        probabilities.indices
            .sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
            .prefix(count)
            .map { ClassProbability(classIndex: $0, probability: probabilities[$0]) }
    }

    /// Cross-entropy of `label`: −log p_label.
    func crossEntropy(_ label: Int) -> Float { -logProbabilities[label] }

    /// The largest logit among classes other than `label`, and its class.
    func bestOther(than label: Int) -> (classIndex: Int, logit: Float) {
        var best = label == 0 ? 1 : 0
        for index in logits.indices where index != label && logits[index] > logits[best] { best = index }
        return (best, logits[best])
    }

    /// z_label − max_{j≠label} z_j: positive while `label` is the top class.
    /// Equal to log p_label − max log p_j, so it needs only the output probabilities.
    func margin(of label: Int) -> Float { logits[label] - bestOther(than: label).logit }
}

/// Index of the largest value (the first on ties).
func indexOfLargest(_ values: [Float]) -> Int {
    var best = 0
    for index in values.indices where values[index] > values[best] { best = index }
    return best
}

/// What a gradient attack climbs, and its derivative with respect to the logits.
enum Objective {
    /// p_target (the talk's "Error de la Red"): ∂p_t/∂z_j = p_t (δ_tj − p_j). Vanishes when p_t ≈ 0.
    case targetProbability(Int)
    /// log p_target = −CE(target): ∂/∂z_j = δ_tj − p_j. Reported loss: CE to the target.
    case targetLogProbability(Int)
    /// CE(original) = −log p_original, climbed to push the original class down:
    /// ∂/∂z_j = p_j − δ_yj. Reported loss: that cross-entropy.
    case originalCrossEntropy(Int)

    /// The loss to report for these scores (see each case).
    func reportedLoss(_ scores: ClassScores) -> Float {
        switch self {
        case .targetProbability(let target): return scores.probabilities[target]
        case .targetLogProbability(let target): return scores.crossEntropy(target)
        case .originalCrossEntropy(let label): return scores.crossEntropy(label)
        }
    }

    /// ∂(climbed quantity)/∂logits, `classCount` values.
    func ascentGradient(_ scores: ClassScores) -> [Float] {
        let p = scores.probabilities
        switch self {
        case .targetProbability(let target):
            let pt = p[target]
            var gradient = p.map { -pt * $0 }
            gradient[target] += pt
            return gradient
        case .targetLogProbability(let target):
            var gradient = p.map { -$0 }
            gradient[target] += 1
            return gradient
        case .originalCrossEntropy(let label):
            var gradient = p
            gradient[label] -= 1
            return gradient
        }
    }
}
