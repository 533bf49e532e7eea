/// The shared state of one attack: the classifier behind counters and checks, the feasible region,
/// the trace, progress reports and the success tests. Each attack file is a loop over these.
final class AttackRun {
    let classifier: any Classifier
    let config: AttackConfig
    let side: Int
    let classCount: Int
    /// Values per image: side × side × 3.
    let valuesPerImage: Int
    let modelInputScale: Float
    /// The original on the [0,1] scale, `side × side × 3`.
    var original: [Float] { region.original }
    /// The original's logits and top-1 class.
    private(set) var originalScores: ClassScores
    private(set) var originalClass: Int
    let target: Int?
    let goal: Float?
    /// ε on the [0,1] scale, nil when unbounded.
    let epsilon: Float?
    /// Step size on the [0,1] scale for the methods that take one.
    let stepSize: Float?
    /// The step limit reported to the progress callback.
    let totalSteps: Int
    let region: FeasibleRegion
    var generator: SeededGenerator
    private(set) var counts: QueryCounts
    private(set) var trace: [AttackTraceEntry] = []
    private let progress: ((AttackProgress) -> Void)?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    /// Sets up the run and evaluates the original (one counted forward image).
    init(
        classifier: any Classifier, config: AttackConfig, region: FeasibleRegion, totalSteps: Int,
        start: ContinuousClock.Instant, progress: ((AttackProgress) -> Void)?
    ) throws {
        self.classifier = classifier
        self.config = config
        self.side = classifier.imageSide
        self.classCount = classifier.classCount
        self.valuesPerImage = side * side * 3
        self.modelInputScale = classifier.modelInputScale
        self.region = region
        self.target = config.target
        self.goal = config.goal.map { Float($0) }
        self.epsilon = config.epsilon.map { Float($0.imageUnits(modelInputScale: classifier.modelInputScale)) }
        self.stepSize = config.effectiveStepSize(modelInputScale: classifier.modelInputScale).map { Float($0) }
        self.totalSteps = totalSteps
        self.generator = SeededGenerator(seed: config.seed)
        self.counts = QueryCounts()
        self.progress = progress
        self.start = start
        // Placeholders until the original is evaluated below (all stored properties must be set
        // before a method can be called).
        self.originalScores = ClassScores(logits: [Float](repeating: 0, count: classCount))
        self.originalClass = 0
        let scores = ClassScores(logits: try logits(of: region.original, count: 1))
        self.originalScores = scores
        self.originalClass = scores.topClass
    }

    var elapsedSeconds: Double { seconds(clock.now - start) }

    /// The objective of the standard gradient attacks: climb log p_target when targeted, climb the
    /// original class's cross-entropy when untargeted.
    var standardObjective: Objective {
        if let target { return .targetLogProbability(target) }
        return .originalCrossEntropy(originalClass)
    }

    // MARK: Network calls, counted and checked

    /// Logits of `count` images, `count × classCount`.
    func logits(of images: [Float], count: Int) throws -> [Float] {
        counts.forwardCalls += 1
        counts.forwardImages += count
        let logits = try classifier.logits(images: images, count: count)
        try check(logits, expected: count * classCount, what: "logits")
        return logits
    }

    /// Forward and backward for `count` images; `lossGradient` maps the logits to d loss / d logits.
    func logitsAndGradient(
        of images: [Float], count: Int, lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        counts.gradientCalls += 1
        counts.gradientImages += count
        let answer = try classifier.logitsAndGradient(images: images, count: count, lossGradient: lossGradient)
        try check(answer.logits, expected: count * classCount, what: "logits")
        try check(answer.gradient, expected: count * valuesPerImage, what: "the input gradient")
        return answer
    }

    /// Scores and the gradient of `objective` (to be climbed) for one image.
    func ascentGradient(
        at image: [Float], objective: Objective
    ) throws -> (scores: ClassScores, gradient: [Float], loss: Float) {
        var loss: Float = 0
        let answer = try logitsAndGradient(of: image, count: 1) { logits in
            let scores = ClassScores(logits: logits)
            loss = objective.reportedLoss(scores)
            return objective.ascentGradient(scores)
        }
        return (ClassScores(logits: answer.logits), answer.gradient, loss)
    }

    /// Counts the queries of a black-box attack (they are also forward images).
    func countBlackBoxQueries(_ count: Int) { counts.blackBoxQueries += count }

    private func check(_ values: [Float], expected: Int, what: String) throws {
        guard values.count == expected else {
            throw AttackError.classifierOutputSize(what: what, expected: expected, actual: values.count)
        }
        for value in values where !value.isFinite {
            throw AttackError.classifierNonFiniteOutput(what: what)
        }
    }

    // MARK: Success tests

    /// Targeted: p_target ≥ goal (false without a goal or target). The early-stop test.
    func reachedGoal(_ scores: ClassScores) -> Bool {
        guard let target, let goal else { return false }
        return scores.probabilities[target] >= goal
    }

    /// Targeted: top-1 is the target, and p_target ≥ goal when a goal is set.
    /// Untargeted: top-1 is not the original class.
    func isSuccessful(_ scores: ClassScores) -> Bool {
        guard let target else { return scores.topClass != originalClass }
        guard scores.topClass == target else { return false }
        if let goal { return scores.probabilities[target] >= goal }
        return true
    }

    // MARK: Trace and progress

    /// Appends the state after `step` modifications and reports progress.
    func record(step: Int, image: [Float], scores: ClassScores, loss: Float) {
        var largest: Float = 0
        var sumOfSquares: Double = 0
        image.withUnsafeBufferPointer { x in
            original.withUnsafeBufferPointer { x0 in
                for i in 0..<x.count {
                    let difference = x[i] - x0[i]
                    largest = max(largest, abs(difference))
                    sumOfSquares += Double(difference * difference)
                }
            }
        }
        let entry = AttackTraceEntry(
            step: step,
            targetProbability: target.map { scores.probabilities[$0] },
            originalClassProbability: scores.probabilities[originalClass],
            topClass: scores.topClass,
            loss: loss,
            linf: largest,
            l2: Float(sumOfSquares.squareRoot()),
            elapsedSeconds: elapsedSeconds)
        trace.append(entry)
        progress?(AttackProgress(
            step: step, totalSteps: totalSteps, targetProbability: entry.targetProbability,
            originalClassProbability: entry.originalClassProbability, loss: loss,
            elapsedSeconds: entry.elapsedSeconds))
    }

}

/// What an attack hands back to `runAttack`.
struct AttackOutcome {
    /// The final float image, inside the feasible region.
    var image: [Float]
    /// Modifications applied (see `AttackResult.steps`).
    var modifications: Int
    var stopReason: StopReason
    /// Logits of `image` when the attack already has them (saves a forward call).
    var knownScores: ClassScores?
    /// Whether `runAttack` should append a trace entry for `image` as step `modifications`
    /// (true when the last modification was never evaluated by the attack).
    var traceFinalImage: Bool
}

/// The sign of a gradient value, 0 for 0 (as torch.sign).
@inline(__always)
func signOf(_ value: Float) -> Float {
    value > 0 ? 1 : (value < 0 ? -1 : 0)
}

/// A Duration in seconds.
func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}

/// Copies `source` into `destination` (same length) without allocating.
func copyValues(_ source: [Float], into destination: inout [Float]) {
    destination.withUnsafeMutableBufferPointer { target in
        source.withUnsafeBufferPointer { values in
            for i in 0..<values.count { target[i] = values[i] }
        }
    }
}
