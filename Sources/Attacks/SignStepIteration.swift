/// The loop shared by talk-sign, BIM, PGD (L∞) and MI-FGSM:
///
///     for step in 0..<steps:
///         g = ∇x objective(x)                       (one gradient call; its logits are x's)
///         record x; stop if p_target ≥ goal
///         d = g, or with momentum μ: d = μ·d + g / ‖g‖₁
///         x = project(x + α · sign(d))              (ε-ball ∩ [0,1], and the 8-bit grid in grid mode)
///
/// Without momentum the loop also stops when an update leaves x exactly unchanged: the next
/// gradient would be the same, so every further step would repeat it.
///
/// `startsAtOriginal`: `start` is the original image, so the first gradient call also gives the
/// original's scores (no separate forward).
func runSignSteps(
    _ run: AttackRun, from start: [Float], startsAtOriginal: Bool, stepSize: Float, momentum: Float?
) throws -> AttackOutcome {
    var image = start
    var previous = start
    // MI-FGSM's accumulated direction, side × side × 3; empty without momentum.
    var accumulated = [Float](repeating: 0, count: momentum == nil ? 0 : image.count)
    for step in 0..<run.config.steps {
        let (scores, gradient, loss) = try run.ascentGradient(
            at: image, isOriginal: step == 0 && startsAtOriginal, objective: { run.standardObjective })
        run.record(step: step, image: image, scores: scores, loss: loss)
        if run.reachedGoal(scores) {
            return AttackOutcome(image: image, modifications: step, stopReason: .goalReached,
                                 knownScores: scores, traceFinalImage: false)
        }
        copyValues(image, into: &previous)
        if let momentum {
            accumulateMomentum(&accumulated, gradient: gradient, decay: momentum)
            addSignSteps(of: accumulated, size: stepSize, to: &image)
        } else {
            addSignSteps(of: gradient, size: stepSize, to: &image)
        }
        run.region.project(&image)
        if momentum == nil, image == previous {
            return AttackOutcome(image: image, modifications: step, stopReason: .stalled,
                                 knownScores: scores, traceFinalImage: false)
        }
    }
    return AttackOutcome(image: image, modifications: run.config.steps, stopReason: .stepLimit,
                         knownScores: nil, traceFinalImage: true)
}

/// x += α · sign(direction), in place.
func addSignSteps(of direction: [Float], size: Float, to image: inout [Float]) {
    image.withUnsafeMutableBufferPointer { x in
        direction.withUnsafeBufferPointer { d in
            for i in 0..<x.count { x[i] += size * signOf(d[i]) }
        }
    }
}

/// accumulated = μ · accumulated + g / ‖g‖₁ (a zero gradient adds nothing).
func accumulateMomentum(_ accumulated: inout [Float], gradient: [Float], decay: Float) {
    var l1 = 0.0
    for value in gradient { l1 += Double(abs(value)) }
    guard l1 > 0 else {
        for i in accumulated.indices { accumulated[i] *= decay }
        return
    }
    // Divided in Double: ‖g‖₁ of a vanishing gradient can be below Float's range.
    accumulated.withUnsafeMutableBufferPointer { a in
        gradient.withUnsafeBufferPointer { g in
            for i in 0..<a.count { a[i] = decay * a[i] + Float(Double(g[i]) / l1) }
        }
    }
}
