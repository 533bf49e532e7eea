import Foundation

/// One class and its probability.
public struct ClassScore: Codable, Sendable, Equatable {
    public let index: Int
    public let label: String
    public let probability: Float
}

public enum Softmax {
    /// Softmax of each row of `logits` (`rows × classes`), computed with the row maximum
    /// subtracted so that large logits cannot overflow.
    public static func probabilities(_ logits: [Float], classes: Int) -> [Float] {
        var result = [Float](repeating: 0, count: logits.count)
        for row in 0..<(logits.count / classes) {
            let slice = logits[(row * classes)..<((row + 1) * classes)]
            let peak = slice.max() ?? 0
            var sum: Double = 0
            for (offset, value) in slice.enumerated() {
                let e = Foundation.exp(Double(value - peak))
                result[row * classes + offset] = Float(e)
                sum += e
            }
            for i in (row * classes)..<((row + 1) * classes) { result[i] = Float(Double(result[i]) / sum) }
        }
        return result
    }

    /// log softmax of one row, in double precision.
    public static func logProbabilities(_ logits: ArraySlice<Float>) -> [Double] {
        let peak = Double(logits.max() ?? 0)
        let logSum = Foundation.log(logits.reduce(0.0) { $0 + Foundation.exp(Double($1) - peak) }) + peak
        return logits.map { Double($0) - logSum }
    }

    /// The `k` most probable classes, most probable first (ties by lower index).
    public static func top(_ k: Int, probabilities: ArraySlice<Float>, labels: ImageNetLabels?) -> [ClassScore] {
        let base = probabilities.startIndex
        let order = probabilities.indices.sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
        return order.prefix(max(0, k)).map { i in
            ClassScore(index: i - base, label: labels?.label(i - base) ?? "class \(i - base)", probability: probabilities[i])
        }
    }
}

