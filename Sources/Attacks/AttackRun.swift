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
    /// The original's scores, once evaluated: by the first gradient call at the original when
    /// the method starts there (its logits are the original's, so no separate forward is made),
    /// or by ``evaluateOriginal()``.
    private var knownOriginalScores: ClassScores?
    /// The original's logits and probabilities. Evaluated before any attack step reads it.
    var originalScores: ClassScores {
        guard let knownOriginalScores else {
            preconditionFailure("the original is read before it was evaluated: call evaluateOriginal() first")
        }
        return knownOriginalScores
    }
    /// The original's top-1 class: the class an untargeted attack pushes down.
    private(set) var originalClass: Int = 0
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

    /// Sets up the run. The original is not evaluated here: methods that start at the original
    /// take its scores from their first gradient call, the others call ``evaluateOriginal()``.
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
    }

    /// Evaluates the original with one forward image, unless its scores are already known.
    func evaluateOriginal() throws {
        guard knownOriginalScores == nil else { return }
        setOriginalScores(ClassScores(logits: try logits(of: region.original, count: 1)))
    }

    private func setOriginalScores(_ scores: ClassScores) {
        knownOriginalScores = scores
        originalClass = scores.topClass
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
    ///
    /// A call with exactly the images and loss gradient of the previous call returns the previous
    /// answer without running the network (counted in `repeatedGradientCalls`): in grid mode an
    /// iterate often rounds to the same 8-bit image for several steps while the method's float
    /// state moves on (DeepFool's total perturbation, the talk's δ, C&W's w), and the classifier
    /// is a function of its input. `lossGradient` is still called with the logits, so everything
    /// the caller learns from it is the same as for a real call.
    func logitsAndGradient(
        of images: [Float], count: Int, lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        if let last = lastGradientCall, !last.sharedForward, last.count == count, last.images == images,
           lossGradient(last.logits) == last.seeds {
            counts.repeatedGradientCalls += 1
            return (last.logits, last.gradient)
        }
        counts.gradientCalls += 1
        counts.gradientImages += count
        var seeds: [Float] = []
        let answer = try classifier.logitsAndGradient(images: images, count: count) { logits in
            seeds = lossGradient(logits)
            return seeds
        }
        try check(answer.logits, expected: count * classCount, what: "logits")
        try check(answer.gradient, expected: count * valuesPerImage, what: "the input gradient")
        lastGradientCall = GradientCall(images: images, count: count, sharedForward: false, seeds: seeds,
                                        logits: answer.logits, gradient: answer.gradient)
        return answer
    }

    /// One image's logits and `rows` gradients from one forward (``Classifier/logitsAndGradients(image:rows:lossGradients:)``);
    /// `lossGradients` maps the image's logits to `rows × classCount` loss gradients.
    ///
    /// Counted as one gradient call of `rows` gradient images, as the batch of `rows` copies it
    /// replaces was, so that records keep their meaning and stay comparable. A repeat of the
    /// previous call is answered as in ``logitsAndGradient(of:count:lossGradient:)``.
    func logitsAndGradients(
        of image: [Float], rows: Int, lossGradients: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradients: [Float]) {
        if let last = lastGradientCall, last.sharedForward, last.count == rows, last.images == image,
           lossGradients(last.logits) == last.seeds {
            counts.repeatedGradientCalls += 1
            return (last.logits, last.gradient)
        }
        counts.gradientCalls += 1
        counts.gradientImages += rows
        var seeds: [Float] = []
        let answer = try classifier.logitsAndGradients(image: image, rows: rows) { logits in
            seeds = lossGradients(logits)
            return seeds
        }
        try check(answer.logits, expected: classCount, what: "logits")
        try check(answer.gradients, expected: rows * valuesPerImage, what: "the input gradients")
        lastGradientCall = GradientCall(images: image, count: rows, sharedForward: true, seeds: seeds,
                                        logits: answer.logits, gradient: answer.gradients)
        return answer
    }

    /// The previous gradient call, for ``logitsAndGradient(of:count:lossGradient:)``.
    private struct GradientCall {
        var images: [Float]
        /// `count` images (false), or one image and `count` gradient rows from one forward (true).
        var count: Int
        var sharedForward: Bool
        var seeds: [Float]
        var logits: [Float]
        var gradient: [Float]
    }
    private var lastGradientCall: GradientCall?

    /// Scores and the gradient of `objective` (to be climbed) for one image.
    ///
    /// With `isOriginal` (the caller passes the original image itself) and the original not yet
    /// evaluated, the logits of this call are taken as the original's before `objective` is read,
    /// so an untargeted objective knows the class to push down and no separate forward is made.
    func ascentGradient(
        at image: [Float], isOriginal: Bool = false, objective: () -> Objective
    ) throws -> (scores: ClassScores, gradient: [Float], loss: Float) {
        var loss: Float = 0
        var scores: ClassScores?
        let evaluatesOriginal = isOriginal && knownOriginalScores == nil
        if !evaluatesOriginal { try evaluateOriginal() }
        let answer = try logitsAndGradient(of: image, count: 1) { logits in
            let current = ClassScores(logits: logits)
            if evaluatesOriginal { setOriginalScores(current) }
            let chosen = objective()
            loss = chosen.reportedLoss(current)
            scores = current
            return chosen.ascentGradient(current)
        }
        // The engine hands back the logits it gave the closure; reuse their scores.
        let final = scores.flatMap { $0.logits == answer.logits ? $0 : nil } ?? ClassScores(logits: answer.logits)
        return (final, answer.gradient, loss)
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
        record(step: step, distances: distancesFromOriginal(image), scores: scores, loss: loss)
    }

    /// L∞ and L2 of `image − original`, [0,1] units.
    func distancesFromOriginal(_ image: [Float]) -> PerturbationSize {
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
        return PerturbationSize(linf: largest, l2: Float(sumOfSquares.squareRoot()))
    }

    /// Appends a trace entry whose distances are already known (an attack that re-records an
    /// unchanged image need not measure it again).
    func record(step: Int, distances: PerturbationSize, scores: ClassScores, loss: Float) {
        let entry = AttackTraceEntry(
            step: step,
            targetProbability: target.map { scores.probabilities[$0] },
            originalClassProbability: scores.probabilities[originalClass],
            topClass: scores.topClass,
            loss: loss,
            linf: distances.linf,
            l2: distances.l2,
            elapsedSeconds: elapsedSeconds)
        trace.append(entry)
        progress?(AttackProgress(
            step: step, totalSteps: totalSteps, targetProbability: entry.targetProbability,
            originalClassProbability: entry.originalClassProbability, loss: loss,
            elapsedSeconds: entry.elapsedSeconds))
    }

}

/// L∞ and L2 of a perturbation, [0,1] units.
struct PerturbationSize: Equatable {
    var linf: Float
    var l2: Float
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
