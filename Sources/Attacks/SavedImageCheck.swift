import Engine
import Imaging

/// Writing an adversarial image and checking it: the PNG is read back from disk and classified
/// again, so that what a report says about it is what the file does.
public enum SavedImageCheck {
    public struct Outcome: Codable, Sendable {
        /// Top-1 class of the file as read back.
        public let topClass: Int
        /// p_target of the file as read back (nil when untargeted).
        public let targetProbability: Float?
        /// Whether the re-read file gives exactly the probabilities the result reports.
        public let matchesResult: Bool
    }

    /// Saves `result.adversarialImage` as an 8-bit PNG at `path`, reads it back and classifies it.
    public static func save(_ result: AttackResult, to path: String, classifier: EfficientNetClassifier) throws -> Outcome {
        let side = result.imageSide
        try ImageCodec.writePNG(RGBImage(width: side, height: side, pixels: result.adversarialImage), to: path)
        let reread = try ImageCodec.read(contentsOf: path)
        guard reread.width == side, reread.height == side else {
            throw AttackError.imageSizeMismatch(expectedBytes: side * side * 3, actualBytes: reread.pixels.count, side: side)
        }
        let logits = try classifier.logits(images: reread.pixels.map { Float($0) / 255 }, count: 1)
        let probabilities = Softmax.probabilities(logits, classes: logits.count)
        let top = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        let targetProbability = result.target.map { probabilities[$0] }
        let reported = result.top5After.first
        let matches = reread.pixels == result.adversarialImage && reported?.classIndex == top
            && (targetProbability == nil || abs(targetProbability! - (result.targetProbabilityAfter ?? -1)) <= 1e-6)
        return Outcome(topClass: top, targetProbability: targetProbability, matchesResult: matches)
    }
}
