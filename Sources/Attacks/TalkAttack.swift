/// The talk's attack, as its notebook ran it:
///
///     while p_target < goal and steps remain:
///         x_model += ∂p_target / ∂x_model           ("Error de la Red" = p_target)
///         clip to ±bound around the original (the bounded run), and to the valid range
///
/// The update is written in the network's input units, as the talk's Keras code did. With
/// x_model = s · x + offset (s = `modelInputScale`, 255/128 for EfficientNet-Lite):
/// ∂p/∂x_model = (∂p/∂x) / s and Δx = Δx_model / s, so on the [0,1] scale Δx = (∂p/∂x) / s².
/// The goal is checked on the current image before each update, so no update is made after
/// the goal is reached; `steps` counts modifications, the talk's "modificaciones".
///
/// ∂p_t/∂z = p_t (e_t − p): when p_t starts near 1e-6 the update is about a million times
/// smaller than that of log p_t, and on EfficientNet-Lite it stalls. That is the expected, honest
/// outcome; `talk-sign` is the same idea with a working optimiser.
func runTalkAttack(_ run: AttackRun) throws -> AttackOutcome {
    guard let target = run.target else { throw AttackError.targetRequired(.talk) }
    let inverseScaleSquared = 1 / (run.modelInputScale * run.modelInputScale)
    var image = run.original
    var previous = image
    for step in 0..<run.config.steps {
        let (scores, gradient, probability) = try run.ascentGradient(
            at: image, objective: .targetProbability(target))
        run.record(step: step, image: image, scores: scores, loss: probability)
        if run.reachedGoal(scores) {
            return AttackOutcome(image: image, modifications: step, stopReason: .goalReached,
                                 knownScores: scores, traceFinalImage: false)
        }
        copyValues(image, into: &previous)
        image.withUnsafeMutableBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                for i in 0..<x.count { x[i] += g[i] * inverseScaleSquared }
            }
        }
        run.region.project(&image)
        if image == previous {
            return AttackOutcome(image: image, modifications: step, stopReason: .stalled,
                                 knownScores: scores, traceFinalImage: false)
        }
    }
    return AttackOutcome(image: image, modifications: run.config.steps, stopReason: .stepLimit,
                         knownScores: nil, traceFinalImage: true)
}
