import Engine

/// An ``AttackResult`` as people read it: class names instead of indices, every bound in its
/// three units, no pixel arrays (the images are files). What `attack --json` prints and what
/// lesson pages show.
public struct AttackSummary: Codable, Sendable {
    public struct RankedClass: Codable, Sendable {
        public let index: Int
        public let label: String
        public let probability: Float
    }

    public let method: String
    public let methodDescription: String
    public let model: String
    public let image: String
    public let target: RankedClass?
    public let originalClass: RankedClass
    public let bound: BoundReport?
    public let steps: Int
    public let stopReason: String
    public let queries: QueryCounts
    public let wallTimeSeconds: Double
    /// The method alone, without evaluating its result (see `AttackResult.attackSeconds`).
    public let attackSeconds: Double?
    public let seed: UInt64
    /// Measured on the saved 8-bit image.
    public let success: Bool
    public let targetProbabilityAfter: Float?
    public let originalClassProbabilityAfter: Float
    public let top5Before: [RankedClass]
    public let top5After: [RankedClass]
    /// The float image the optimiser ended with, before rounding to 8 bits.
    public let successFloat: Bool
    public let targetProbabilityAfterFloat: Float?
    public let top5AfterFloat: [RankedClass]
    public let metrics: PerturbationMetrics
    public let savedImageDiffersFromFloat: Bool
    public let trace: [AttackTraceEntry]

    public init(result: AttackResult, labels: ImageNetLabels, model: String, image: String) {
        func ranked(_ scores: [ClassProbability]) -> [RankedClass] {
            scores.map { RankedClass(index: $0.classIndex, label: labels.label($0.classIndex), probability: $0.probability) }
        }
        method = result.method.rawValue
        methodDescription = result.method.summary
        self.model = model
        self.image = image
        target = result.target.map { RankedClass(index: $0, label: labels.label($0), probability: result.targetProbabilityAfter ?? 0) }
        originalClass = RankedClass(index: result.originalClass, label: labels.label(result.originalClass),
                                    probability: result.originalClassProbabilityBefore)
        bound = result.bound
        steps = result.steps
        stopReason = result.stopReason.rawValue
        queries = result.queries
        wallTimeSeconds = result.wallTimeSeconds
        attackSeconds = result.attackSeconds
        seed = result.seed
        success = result.success
        targetProbabilityAfter = result.targetProbabilityAfter
        originalClassProbabilityAfter = result.originalClassProbabilityAfter
        top5Before = ranked(result.top5Before)
        top5After = ranked(result.top5After)
        successFloat = result.successFloat
        targetProbabilityAfterFloat = result.targetProbabilityAfterFloat
        top5AfterFloat = ranked(result.top5AfterFloat)
        metrics = result.metrics
        savedImageDiffersFromFloat = result.savedImageDiffersFromFloat
        trace = result.trace
    }
}
