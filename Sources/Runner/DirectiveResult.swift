import Attacks
import Engine

/// What one job computed, as stored in its cache entry (`result.json`) and published as
/// `site/data/<key>.json`: class names, probabilities, metrics and traces, never pixel arrays
/// (the images are PNG files beside it).
///
/// Exactly one of `attack`, `classification`, `comparison`, `transfer`, `diagram`, `sweep` is set,
/// the one of `kind`.
public struct DirectiveResult: Codable, Sendable {
    /// The layout of this record; a record of another format is recomputed, not decoded.
    public static let currentFormat = 1

    public var format: Int
    /// `attack`, `classify`, `compare`, `transfer`, `diagram` or `sweep`.
    public var kind: String
    /// The lesson-relative image (the first one for `classify`; empty for `diagram`).
    public var image: String
    /// The model the computation ran on (the source model for `transfer`; empty for `diagram`).
    public var model: String
    /// The target class, when the block has one.
    public var target: ClassName?

    /// An `attack` block's result.
    public var attack: AttackRecord?
    /// A `classify` block's images, in the order written.
    public var classification: [ImageClassification]?
    /// A `compare` block's attacks, in the order written.
    public var comparison: [AttackRecord]?
    /// A `transfer` block's attacks and their evaluation on every model.
    public var transfer: TransferRecord?
    /// A `diagram` block's diagram name (`attack-loop`); nothing else is computed for it.
    public var diagram: String?
    /// A `sweep` block's points, assembled from their own computations.
    public var sweep: SweepRecord?

    init(kind: String, image: String, model: String, target: ClassName?) {
        format = Self.currentFormat
        self.kind = kind
        self.image = image
        self.model = model
        self.target = target
    }

    /// The attacks of the result, in the order written (one for `attack`).
    public var attacks: [AttackRecord] {
        if let attack { return [attack] }
        return comparison ?? transfer?.attacks ?? []
    }
}

/// An ImageNet class: its index and its (English) label.
public struct ClassName: Codable, Sendable, Hashable {
    public var index: Int
    public var label: String
}

/// A class with its probability.
public struct RankedClass: Codable, Sendable, Hashable {
    public var index: Int
    public var label: String
    public var probability: Float

    public init(index: Int, label: String, probability: Float) {
        self.index = index
        self.label = label
        self.probability = probability
    }
}

/// One attack: the Attacks module's summary of it, the check of its saved PNG, and the file it
/// was saved as.
public struct AttackRecord: Codable, Sendable {
    /// Every number of the run as the Attacks module reports it (top-5 before and after, metrics,
    /// per-step trace, timing, queries).
    public var summary: AttackSummary
    /// The saved PNG was read back from disk and classified again: what the file does.
    public var savedImageCheck: SavedImageCheck.Outcome
    /// The adversarial PNG's name in the cache entry and the site's data folder.
    public var adversarialFile: String
    /// The bound as the lesson reads it ("2/255", "0.01 model units"); nil when unbounded.
    public var boundDescription: String?
    /// The goal probability the attack stopped at, if any.
    public var goal: Double?
    /// The target's probability on the original; nil when untargeted. (The summary has the
    /// probabilities after the attack; this one comes from the run itself.)
    public var targetProbabilityBefore: Float?
    /// The original class's probability on the float image before rounding to 8 bits.
    public var originalClassProbabilityAfterFloat: Float
}

/// A `classify` block's answer for one image.
public struct ImageClassification: Codable, Sendable {
    /// The lesson-relative image.
    public var image: String
    /// The most probable classes, most probable first (`top` of them).
    public var top: [RankedClass]
    /// The centre crop the network saw, as a PNG in the entry.
    public var cropFile: String
}

/// A `transfer` block: attacks made on one model, each evaluated on every listed model.
public struct TransferRecord: Codable, Sendable {
    public var sourceModel: String
    /// The models evaluated, in the order written.
    public var models: [String]
    /// The attacks, run on `sourceModel`.
    public var attacks: [AttackRecord]
    /// `evaluations[attack][model]`, models in the order of `models`.
    public var evaluations: [[ModelEvaluation]]
}

/// How one model classifies the original crop and a saved adversarial PNG.
///
/// Both images are the source model's 8-bit crops, resized to this model's input side the same
/// way (bicubic, as the engine prepares any image), so the only difference the model sees between
/// "before" and "after" is the perturbation.
public struct ModelEvaluation: Codable, Sendable {
    public var model: String
    /// Top-5 of the original crop.
    public var top5Before: [RankedClass]
    /// Top-5 of the saved adversarial PNG.
    public var top5After: [RankedClass]
    /// The target's probability before and after; nil when untargeted.
    public var targetProbabilityBefore: Float?
    public var targetProbabilityAfter: Float?
    /// This model's top-1 class of the original, and its probability on the adversarial image.
    public var originalClass: RankedClass
    public var originalClassProbabilityAfter: Float
    /// Targeted: top-1 is the target; untargeted: top-1 is no longer the original class.
    public var success: Bool
}

extension RankedClass {
    init(_ ranked: AttackSummary.RankedClass) {
        self.init(index: ranked.index, label: ranked.label, probability: ranked.probability)
    }

    init(_ score: ClassScore) {
        self.init(index: score.index, label: score.label, probability: score.probability)
    }
}

extension AttackRecord {
    /// Top-5 before the attack.
    public var top5Before: [RankedClass] { summary.top5Before.map(RankedClass.init) }
    /// Top-5 of the saved 8-bit image.
    public var top5After: [RankedClass] { summary.top5After.map(RankedClass.init) }
    /// The original's top-1 class with its probability before the attack.
    public var originalClass: RankedClass { RankedClass(summary.originalClass) }
}
