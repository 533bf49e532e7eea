import Foundation

/// Carlini–Wagner L2 (Carlini and Wagner 2017), as torchattacks runs it: Adam on w, where the
/// image is x = (tanh(w) + 1) / 2 (always inside [0,1]), minimising
///
///     cost = ‖x − x0‖₂² + c · f(x)
///     f = max(max_{j≠t} z_j − z_t, −κ)   targeted (t = target)
///     f = max(z_y − max_{j≠y} z_j, −κ)   untargeted (y = original class)
///
/// Every iterate that succeeds with a smaller ‖x − x0‖₂ than the best so far is kept, and the best
/// is returned (the last iterate when none succeeded). Every ⌈steps/10⌉ steps the cost is compared
/// with the previous checkpoint and the round stops when it rose, as in torchattacks. With
/// `cwSearchRounds` > 1, c is searched as in the paper: halved towards the last failure after a
/// success, ×10 (or bisected) after a failure, each round restarting from the original.
///
/// In grid mode every iterate is rounded to the 8-bit grid before it is evaluated, and the
/// gradient at the rounded image is used for w (a straight-through estimate), so the kept best is
/// an image that can be saved as it is.
func runCarliniWagnerL2(_ run: AttackRun) throws -> AttackOutcome {
    // The untargeted margin needs the original class before the first (tanh-space) iterate.
    try run.evaluateOriginal()
    let config = run.config
    let original = run.original
    let count = original.count
    let confidence = Float(config.cwConfidence)
    let learningRate = Float(config.cwLearningRate)
    let (beta1, beta2, adamEpsilon): (Float, Float, Float) = (0.9, 0.999, 1e-8)
    // The original in tanh space, shrunk by 1e-6 so that 0 and 1 map to finite w.
    let startW = original.map { atanh((2 * $0 - 1) * (1 - 1e-6)) }

    var w = startW
    var firstMoment = [Float](repeating: 0, count: count)
    var secondMoment = [Float](repeating: 0, count: count)
    var tanhOfW = [Float](repeating: 0, count: count)
    var evaluated = [Float](repeating: 0, count: count)
    var best: (image: [Float], scores: ClassScores, squaredL2: Double)?
    var lastScores = run.originalScores

    var constant = Float(config.cwConstant)
    var lowerConstant: Float = 0, upperConstant: Float = 1e10
    var evaluations = 0
    var lastRoundReason = StopReason.stepLimit
    let checkpointInterval = max(config.steps / 10, 1)

    rounds: for _ in 0..<config.cwSearchRounds {
        copyValues(startW, into: &w)
        for i in 0..<count { firstMoment[i] = 0; secondMoment[i] = 0 }
        var previousCheckpointCost = Double.greatestFiniteMagnitude
        var succeededThisRound = false
        lastRoundReason = .stepLimit

        for step in 0..<config.steps {
            for i in 0..<count {
                let t = tanh(w[i])
                tanhOfW[i] = t
                evaluated[i] = (t + 1) / 2
            }
            run.region.project(&evaluated)

            var marginTerm: Float = 0
            let answer = try run.logitsAndGradient(of: evaluated, count: 1) { logits in
                let (value, gradient) = carliniWagnerMargin(
                    ClassScores(logits: logits), target: run.target, originalClass: run.originalClass,
                    confidence: confidence)
                marginTerm = value
                return gradient.map { $0 * constant }
            }
            let scores = ClassScores(logits: answer.logits)
            lastScores = scores
            var squaredL2 = 0.0
            for i in 0..<count {
                let difference = Double(evaluated[i] - original[i])
                squaredL2 += difference * difference
            }
            let cost = squaredL2 + Double(constant * marginTerm)
            run.record(step: evaluations, image: evaluated, scores: scores, loss: Float(cost))
            evaluations += 1

            if run.isSuccessful(scores) {
                succeededThisRound = true
                if squaredL2 < best?.squaredL2 ?? .infinity {
                    best = (evaluated, scores, squaredL2)
                }
            }
            if run.reachedGoal(scores) {
                lastRoundReason = .goalReached
                break rounds
            }
            if step % checkpointInterval == 0 {
                if cost > previousCheckpointCost {
                    lastRoundReason = .lossStoppedImproving
                    break
                }
                previousCheckpointCost = cost
            }

            // Adam on ∂cost/∂w = (2(x − x0) + c·∂f/∂x) · (1 − tanh²w) / 2, bias-corrected.
            let correction1 = 1 - pow(beta1, Float(step + 1))
            let correction2 = 1 - pow(beta2, Float(step + 1))
            answer.gradient.withUnsafeBufferPointer { marginGradient in
                for i in 0..<count {
                    let imageGradient = 2 * (evaluated[i] - original[i]) + marginGradient[i]
                    let g = imageGradient * (1 - tanhOfW[i] * tanhOfW[i]) / 2
                    firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g
                    secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g
                    let mHat = firstMoment[i] / correction1
                    let vHat = secondMoment[i] / correction2
                    w[i] -= learningRate * mHat / (vHat.squareRoot() + adamEpsilon)
                }
            }
        }

        if succeededThisRound {
            upperConstant = min(upperConstant, constant)
            constant = (lowerConstant + upperConstant) / 2
        } else {
            lowerConstant = max(lowerConstant, constant)
            constant = upperConstant < 1e9 ? (lowerConstant + upperConstant) / 2 : constant * 10
        }
    }

    if let best {
        let reason: StopReason = lastRoundReason == .goalReached ? .goalReached : .succeeded
        return AttackOutcome(image: best.image, modifications: evaluations, stopReason: reason,
                             knownScores: best.scores, traceFinalImage: false)
    }
    return AttackOutcome(image: evaluated, modifications: evaluations, stopReason: lastRoundReason,
                         knownScores: lastScores, traceFinalImage: false)
}

/// C&W's f and its (sub)gradient with respect to the logits.
/// Targeted: f = max(max_{j≠t} z_j − z_t, −κ); untargeted: f = max(z_y − max_{j≠y} z_j, −κ).
func carliniWagnerMargin(
    _ scores: ClassScores, target: Int?, originalClass: Int, confidence: Float
) -> (value: Float, gradient: [Float]) {
    var gradient = [Float](repeating: 0, count: scores.logits.count)
    let label = target ?? originalClass
    let other = scores.bestOther(than: label)
    let difference = target == nil
        ? scores.logits[label] - other.logit
        : other.logit - scores.logits[label]
    guard difference > -confidence else { return (-confidence, gradient) }
    let sign: Float = target == nil ? 1 : -1
    gradient[label] = sign
    gradient[other.classIndex] = -sign
    return (difference, gradient)
}
