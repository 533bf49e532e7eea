/// Runs one attack on one 8-bit image and measures the result as it will be saved.
///
/// 1. Validates `config` against the classifier and the image (``AttackError``, before any
///    network call).
/// 2. Evaluates the original: its top-1 class is the class an untargeted attack pushes down.
/// 3. Runs the method. Every iterate stays in the feasible region: [0,1], the ε-ball when there is
///    one, and the 8-bit grid when `gridMode` is on.
/// 4. Rounds the final image to 8 bits without leaving the ball and evaluates that saved image;
///    top-5, p_target, success are reported for it, with the float image's twins beside them.
///
/// - Parameters:
///   - config: the method and its parameters (``AttackConfig``).
///   - classifier: the network; its `logits` and `logitsAndGradient` are the only calls made.
///   - image: the original, 8-bit, `side × side × 3` interleaved RGB, side = `classifier.imageSide`.
///   - progress: called after every step with the step, the limit and the current probabilities.
/// - Returns: the full record; equal for equal inputs except for the timing fields.
/// - Throws: ``AttackError`` for invalid requests and impossible classifier answers; errors
///   thrown by the classifier are passed on unchanged.
public func runAttack(
    _ config: AttackConfig, on classifier: any Classifier, image: [UInt8],
    progress: ((AttackProgress) -> Void)? = nil
) throws -> AttackResult {
    let clock = ContinuousClock()
    let start = clock.now
    let side = classifier.imageSide
    let scale = classifier.modelInputScale
    try config.validate(imageSide: side, classCount: classifier.classCount, modelInputScale: scale)
    let expectedBytes = side * side * 3
    guard image.count == expectedBytes else {
        throw AttackError.imageSizeMismatch(expectedBytes: expectedBytes, actualBytes: image.count, side: side)
    }

    var resolved = config
    resolved.stepSize = config.effectiveStepSize(modelInputScale: scale)
    let epsilonImageUnits = config.epsilon?.imageUnits(modelInputScale: scale)
    let ball: FeasibleRegion.Ball
    switch (config.method.epsilonNorm, epsilonImageUnits) {
    case (_, nil): ball = .unbounded
    case (.linf, .some(let radius)): ball = .linf(radius)
    case (.l2, .some(let radius)): ball = .l2(radius)
    }
    let region = FeasibleRegion(original: image, ball: ball, gridMode: config.gridMode)
    let totalSteps = config.method == .cw ? config.steps * config.cwSearchRounds : config.steps
    let run = try AttackRun(classifier: classifier, config: resolved, region: region,
                            totalSteps: totalSteps, start: start, progress: progress)

    let outcome: AttackOutcome
    switch config.method {
    case .talk: outcome = try runTalkAttack(run)
    case .talkSign: outcome = try runTalkSignAttack(run)
    case .fgsm: outcome = try runFastGradientSignMethod(run)
    case .bim: outcome = try runBasicIterativeMethod(run)
    case .pgd: outcome = try runProjectedGradientDescent(run)
    case .pgdL2: outcome = try runProjectedGradientDescentL2(run)
    case .mifgsm: outcome = try runMomentumIterativeFGSM(run)
    case .cw: outcome = try runCarliniWagnerL2(run)
    case .deepfool: outcome = try runDeepFool(run)
    case .square: outcome = try runSquareAttack(run)
    }
    // Every method has evaluated the original by now; this only guards against one that did not.
    try run.evaluateOriginal()
    let attackSeconds = seconds(clock.now - start)

    // The saved image and the evaluations still missing, in one batched call.
    var finalImage = outcome.image
    var knownScores = outcome.knownScores
    let saved = region.savedImage(of: finalImage)
    let savedAsFloat = imageUnits(fromEightBit: saved)
    if finalImage != savedAsFloat, isRoundingNoise(finalImage, of: savedAsFloat) {
        // x0 ± 8/255 computed in Float is (g0 ± 8)/255 only up to the last bit: the float image
        // is the saved one, so take its exact values and describe one image, not two.
        finalImage = savedAsFloat
        knownScores = nil
    }
    let savedDiffers = savedAsFloat != finalImage
    var pending: [Float] = []
    if knownScores == nil { pending += finalImage }
    if savedDiffers { pending += savedAsFloat }
    var evaluated: [ClassScores] = []
    if !pending.isEmpty {
        let count = pending.count / run.valuesPerImage
        let logits = try run.logits(of: pending, count: count)
        evaluated = (0..<count).map {
            ClassScores(logits: logits[($0 * run.classCount)..<(($0 + 1) * run.classCount)])
        }
    }
    let floatScores = knownScores ?? evaluated[0]
    let savedScores = savedDiffers ? evaluated[evaluated.count - 1] : floatScores

    if outcome.traceFinalImage {
        run.record(step: outcome.modifications, image: finalImage, scores: floatScores,
                   loss: finalLoss(config.method, scores: floatScores, run: run))
    }

    var largestFloatChange: Float = 0
    var floatSumOfSquares = 0.0
    for index in finalImage.indices {
        let difference = finalImage[index] - region.original[index]
        largestFloatChange = max(largestFloatChange, abs(difference))
        floatSumOfSquares += Double(difference * difference)
    }

    let originalScores = run.originalScores
    let target = config.target
    return AttackResult(
        method: config.method,
        config: resolved,
        target: target,
        seed: config.seed,
        imageSide: side,
        bound: config.epsilon?.report(modelInputScale: scale, norm: config.method.epsilonNorm),
        lossName: lossName(config.method, targeted: target != nil),
        originalClass: run.originalClass,
        originalImage: image,
        adversarialImage: saved,
        adversarialFloatImage: finalImage,
        savedImageDiffersFromFloat: savedDiffers,
        trace: run.trace,
        top5Before: originalScores.top(5),
        top5After: savedScores.top(5),
        top5AfterFloat: floatScores.top(5),
        targetProbabilityBefore: target.map { originalScores.probabilities[$0] },
        targetProbabilityAfter: target.map { savedScores.probabilities[$0] },
        targetProbabilityAfterFloat: target.map { floatScores.probabilities[$0] },
        originalClassProbabilityBefore: originalScores.probabilities[run.originalClass],
        originalClassProbabilityAfter: savedScores.probabilities[run.originalClass],
        originalClassProbabilityAfterFloat: floatScores.probabilities[run.originalClass],
        metrics: PerturbationMetrics(original: image, adversarial: saved, width: side, height: side),
        linfFloat: largestFloatChange,
        l2Float: Float(floatSumOfSquares.squareRoot()),
        steps: outcome.modifications,
        stopReason: outcome.stopReason,
        queries: run.counts,
        wallTimeSeconds: seconds(clock.now - start),
        attackSeconds: attackSeconds,
        success: run.isSuccessful(savedScores),
        successFloat: run.isSuccessful(floatScores))
}

/// Whether every value of `image` is within 1e-3 grey levels of `grid` (float rounding only).
func isRoundingNoise(_ image: [Float], of grid: [Float]) -> Bool {
    for index in image.indices where abs(image[index] - grid[index]) * 255 > 1e-3 { return false }
    return true
}

/// What `AttackTraceEntry.loss` measures for each method.
func lossName(_ method: AttackMethod, targeted: Bool) -> String {
    switch method {
    case .talk:
        return "p_target, climbed (the talk's \"Error de la Red\")"
    case .cw:
        return "C&W cost ‖x − x0‖₂² + c·f, descended"
    case .deepfool:
        return "logit margin z_original − max other z, pushed below 0"
    case .square where !targeted:
        return "logit margin z_original − max other z (= log-probability margin), descended"
    case .talkSign, .fgsm, .bim, .pgd, .pgdL2, .mifgsm, .square:
        return targeted
            ? "cross-entropy to the target, −log p_target, descended"
            : "cross-entropy of the original class, −log p_original, climbed"
    }
}

/// The loss of the final image for methods whose last update was not evaluated by the attack.
func finalLoss(_ method: AttackMethod, scores: ClassScores, run: AttackRun) -> Float {
    switch method {
    case .talk:
        return run.target.map { scores.probabilities[$0] } ?? 0
    case .deepfool:
        return scores.margin(of: run.originalClass)
    case .square where run.target == nil:
        return scores.margin(of: run.originalClass)
    case .cw:
        // C&W always returns an evaluated image; this branch is not reached.
        return 0
    case .talkSign, .fgsm, .bim, .pgd, .pgdL2, .mifgsm, .square:
        return run.standardObjective.reportedLoss(scores)
    }
}
