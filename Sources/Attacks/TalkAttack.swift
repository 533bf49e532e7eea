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
///
/// The updates are summed in a perturbation δ kept apart from the image (x = x0 + δ, clipped),
/// so that updates smaller than the spacing of Float values near x (≈ 6e-8 near 1) still add up
/// instead of being rounded away: what stalls is the gradient, not the arithmetic. In grid mode
/// the image evaluated is x0 + δ rounded to the grid, and δ keeps accumulating until it moves a
/// pixel by a grey level. The run stops as `stalled` when an update leaves δ exactly unchanged
/// (the gradient underflowed to zero, or every pixel is pinned at its bound).
func runTalkAttack(_ run: AttackRun) throws -> AttackOutcome {
    guard let target = run.target else { throw AttackError.targetRequired(.talk) }
    let inverseScaleSquared = 1 / (run.modelInputScale * run.modelInputScale)
    let original = run.original
    var image = original
    // δ = x − x0 before rounding, side × side × 3.
    var perturbation = [Float](repeating: 0, count: image.count)
    var previous = perturbation
    for step in 0..<run.config.steps {
        let (scores, gradient, probability) = try run.ascentGradient(
            at: image, isOriginal: step == 0, objective: { .targetProbability(target) })
        run.record(step: step, image: image, scores: scores, loss: probability)
        if run.reachedGoal(scores) {
            return AttackOutcome(image: image, modifications: step, stopReason: .goalReached,
                                 knownScores: scores, traceFinalImage: false)
        }
        copyValues(perturbation, into: &previous)
        // Δx = ∂p/∂x / s² (see above).
        perturbation.withUnsafeMutableBufferPointer { delta in
            gradient.withUnsafeBufferPointer { g in
                for i in 0..<delta.count { delta[i] += g[i] * inverseScaleSquared }
            }
        }
        run.region.clampPerturbation(&perturbation)
        if perturbation == previous {
            return AttackOutcome(image: image, modifications: step, stopReason: .stalled,
                                 knownScores: scores, traceFinalImage: false)
        }
        image.withUnsafeMutableBufferPointer { x in
            perturbation.withUnsafeBufferPointer { delta in
                for i in 0..<x.count { x[i] = original[i] + delta[i] }
            }
        }
        run.region.project(&image)
    }
    return AttackOutcome(image: image, modifications: run.config.steps, stopReason: .stepLimit,
                         knownScores: nil, traceFinalImage: true)
}
