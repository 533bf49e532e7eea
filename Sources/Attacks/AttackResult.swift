/// The state of the attack after `step` modifications of the image.
public struct AttackTraceEntry: Codable, Sendable, Hashable {
    /// Modifications applied so far (0 = the starting image: the original, or PGD's random start).
    /// For Square the iteration (the best image after `step + 1` queries); for C&W the Adam step.
    public var step: Int
    /// p_target of the iterate; nil for an untargeted attack.
    public var targetProbability: Float?
    /// Probability of the original top-1 class.
    public var originalClassProbability: Float
    /// The iterate's top-1 class.
    public var topClass: Int
    /// The method's loss for this iterate, as named by `AttackResult.lossName`.
    public var loss: Float
    /// L∞ of the change from the original on the [0,1] scale (of the float iterate).
    public var linf: Float
    /// L2 of the change on the [0,1] scale.
    public var l2: Float
    /// Seconds since the attack started. The only field that changes between identical runs.
    public var elapsedSeconds: Double
}

/// How many images went through the network, counted per kind of call.
public struct QueryCounts: Codable, Sendable, Hashable {
    /// Calls of `logitsAndGradient` (white-box work).
    public var gradientCalls = 0
    /// Input gradients those calls returned: one per image, and one per candidate class in a
    /// DeepFool step (its candidates share one forward of the image, but each has its backward).
    public var gradientImages = 0
    /// Calls of `logits` (forward only): the evaluation of the result (and of the saved image when
    /// it differs), and of the original unless the method's first gradient call was at the
    /// original, whose logits then serve (FGSM, BIM, MI-FGSM, PGD without random start, the talk).
    public var forwardCalls = 0
    /// Images in those calls. Every image evaluated counts once.
    public var forwardImages = 0
    /// Images the attack itself queried for output probabilities (Square's query count: its
    /// starting image and every candidate), not counting the before/after evaluations.
    public var blackBoxQueries = 0
    /// Gradient requests answered without the network because they repeated the previous call
    /// exactly (same images, same loss gradient): grid-mode iterates that rounded to the same
    /// 8-bit image. Not included in `gradientCalls` and `gradientImages`.
    public var repeatedGradientCalls = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case gradientCalls, gradientImages, forwardCalls, forwardImages, blackBoxQueries, repeatedGradientCalls
    }

    /// Reads records written before `repeatedGradientCalls` existed (it is then 0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gradientCalls = try container.decode(Int.self, forKey: .gradientCalls)
        gradientImages = try container.decode(Int.self, forKey: .gradientImages)
        forwardCalls = try container.decode(Int.self, forKey: .forwardCalls)
        forwardImages = try container.decode(Int.self, forKey: .forwardImages)
        blackBoxQueries = try container.decode(Int.self, forKey: .blackBoxQueries)
        repeatedGradientCalls = try container.decodeIfPresent(Int.self, forKey: .repeatedGradientCalls) ?? 0
    }
}

/// Why an attack stopped.
public enum StopReason: String, Codable, Sendable, Hashable {
    /// p_target reached the goal probability.
    case goalReached
    /// The attack's own success test passed (DeepFool crossed the boundary, Square succeeded).
    case succeeded
    /// The step limit was used up.
    case stepLimit
    /// Square used its query budget.
    case queryBudgetExhausted
    /// C&W: the cost rose between checkpoints, so it stopped early as torchattacks does.
    case lossStoppedImproving
    /// An update left the image exactly as it was, so every further step would repeat it
    /// (the talk's update when ∂p/∂x underflows, or a zero gradient).
    case stalled
}

/// A live report, sent after every step so that a command line can draw a progress line.
public struct AttackProgress: Sendable, Hashable {
    /// Steps done (or queries for Square).
    public var step: Int
    /// The step limit (or query budget).
    public var totalSteps: Int
    /// Current p_target, nil if untargeted.
    public var targetProbability: Float?
    /// Current probability of the original class.
    public var originalClassProbability: Float
    /// Current loss (see `AttackResult.lossName`).
    public var loss: Float
    /// Seconds since the start.
    public var elapsedSeconds: Double

    /// Remaining time if every step takes as long as the average so far; nil before the first step.
    public var estimatedSecondsRemaining: Double? {
        guard step > 0 else { return nil }
        return elapsedSeconds / Double(step) * Double(max(totalSteps - step, 0))
    }
}

/// Everything about one attack run: what was asked, what happened step by step, and what the
/// saved 8-bit image does to the network.
///
/// "After" numbers without a suffix are measured on the 8-bit image that is saved (the truth a
/// reader of the PNG will see); the `…Float` twins are those of the float image the optimiser
/// ended with, reported because rounding can undo a small perturbation. The same configuration,
/// image and classifier give an identical record except for the timing fields
/// (`wallTimeSeconds`, `attackSeconds`, `trace[].elapsedSeconds`); ``withTimingsZeroed()`` removes those.
public struct AttackResult: Codable, Sendable, Hashable {
    /// The method run.
    public var method: AttackMethod
    /// The parameters used: the request with the default step size filled in.
    public var config: AttackConfig
    /// Target class, nil when untargeted.
    public var target: Int?
    /// The seed of every random choice.
    public var seed: UInt64
    /// Side of the square image.
    public var imageSide: Int
    /// The bound in grey levels, [0,1] and model units; nil when unbounded.
    public var bound: BoundReport?
    /// What `trace[].loss` measures.
    public var lossName: String

    /// The original's top-1 class (the class an untargeted attack pushes down).
    public var originalClass: Int
    /// The original image, 8-bit, `side × side × 3`.
    public var originalImage: [UInt8]
    /// The adversarial image as saved, 8-bit, `side × side × 3`.
    public var adversarialImage: [UInt8]
    /// The float image the optimiser ended with, [0,1], `side × side × 3`. Not written to JSON
    /// (it is large and not what is saved); empty after decoding.
    public var adversarialFloatImage: [Float] = []
    /// Whether rounding to 8 bits changed any value of the float image.
    public var savedImageDiffersFromFloat: Bool

    /// One entry per step (see ``AttackTraceEntry``).
    public var trace: [AttackTraceEntry]

    /// Top-5 of the original.
    public var top5Before: [ClassProbability]
    /// Top-5 of the saved 8-bit image.
    public var top5After: [ClassProbability]
    /// Top-5 of the float image.
    public var top5AfterFloat: [ClassProbability]
    /// p_target of the original; nil when untargeted.
    public var targetProbabilityBefore: Float?
    /// p_target of the saved 8-bit image; nil when untargeted.
    public var targetProbabilityAfter: Float?
    /// p_target of the float image; nil when untargeted.
    public var targetProbabilityAfterFloat: Float?
    /// Probability of the original class in the original.
    public var originalClassProbabilityBefore: Float
    /// Probability of the original class in the saved 8-bit image.
    public var originalClassProbabilityAfter: Float
    /// Probability of the original class in the float image.
    public var originalClassProbabilityAfterFloat: Float

    /// L∞, L2, PSNR, SSIM of the saved image against the original.
    public var metrics: PerturbationMetrics
    /// L∞ of the float image's change, [0,1] scale.
    public var linfFloat: Float
    /// L2 of the float image's change, [0,1] scale.
    public var l2Float: Float

    /// Modifications applied (Adam steps for C&W, iterations for Square).
    public var steps: Int
    /// Why the attack stopped.
    public var stopReason: StopReason
    /// Network calls and images.
    public var queries: QueryCounts
    /// Seconds for the whole run, the before and after evaluations included.
    public var wallTimeSeconds: Double
    /// Seconds until the method returned its image: validation, the original's evaluation and
    /// every step, but not the evaluation of the float and saved results nor the metrics. The
    /// scope of a torchattacks call `attack(images, labels)`, which returns the adversarial image
    /// without evaluating it. nil in records written before it was measured.
    public var attackSeconds: Double?

    /// Success of the saved 8-bit image: targeted, its top-1 is the target (and p_target ≥ goal
    /// when a goal is set); untargeted, its top-1 is not the original class.
    public var success: Bool
    /// The same test on the float image.
    public var successFloat: Bool

    /// The saved image's top-1 class.
    public var topClassAfter: Int { top5After.first?.classIndex ?? originalClass }

    /// Whether saving as 8-bit changed the outcome (success or top-1), so both must be reported.
    public var quantizationChangedOutcome: Bool {
        success != successFloat || top5After.first?.classIndex != top5AfterFloat.first?.classIndex
    }

    /// The record with every timing set to zero, for comparing runs and for cache keys.
    public func withTimingsZeroed() -> AttackResult {
        var copy = self
        copy.wallTimeSeconds = 0
        if copy.attackSeconds != nil { copy.attackSeconds = 0 }
        for index in copy.trace.indices { copy.trace[index].elapsedSeconds = 0 }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case method, config, target, seed, imageSide, bound, lossName
        case originalClass, originalImage, adversarialImage, savedImageDiffersFromFloat
        case trace
        case top5Before, top5After, top5AfterFloat
        case targetProbabilityBefore, targetProbabilityAfter, targetProbabilityAfterFloat
        case originalClassProbabilityBefore, originalClassProbabilityAfter, originalClassProbabilityAfterFloat
        case metrics, linfFloat, l2Float
        case steps, stopReason, queries, wallTimeSeconds, attackSeconds, success, successFloat
    }
}
