/// Square Attack, L∞ (Andriushchenko, Croce, Flammarion and Hein 2020): a black-box random search
/// that uses only the network's output probabilities, one query per image evaluated.
///
///     start: x = clip(x0 + ε · s), s = ±1 per column and channel (vertical stripes)
///     repeat until success or the query budget is used:
///         p = the fraction schedule of the paper at this iteration
///         side of the square h = max(round(√(p · H · W)), 1), at most H − 1
///         pick a random h × h square; inside it set x0 + ε·(±1 per channel), clipped
///         (redrawn until the square differs from the current best)
///         query; keep the candidate if its loss is lower
///
/// Loss, as in the authors' code: untargeted, the margin z_y − max_{j≠y} z_j (computable from
/// probabilities: it equals log p_y − max log p_j); targeted, the cross-entropy to the target.
/// Success (the stop) uses the same test as every attack: top-1 changed, or top-1 = target and
/// p_target ≥ goal when a goal is set. In grid mode ε is taken as its whole grey levels, so every
/// query is an 8-bit image.
///
/// Each iteration depends on whether the previous candidate was accepted, so queries for one
/// image are sequential: there is nothing to batch without changing the algorithm.
/// `steps` is the query budget, the starting image included.
func runSquareAttack(_ run: AttackRun) throws -> AttackOutcome {
    guard let epsilon = run.epsilon else { throw AttackError.epsilonRequired(.square) }
    let side = run.side
    let channels = 3
    let budget = run.config.steps
    let stepSize: Float = run.region.gridMode
        ? Float(wholeGreyLevels(Double(epsilon))) / 255
        : epsilon
    let original = run.original

    func loss(_ scores: ClassScores) -> Float {
        if let target = run.target { return scores.crossEntropy(target) }
        return scores.margin(of: run.originalClass)
    }
    func query(_ image: [Float]) throws -> ClassScores {
        run.countBlackBoxQueries(1)
        return ClassScores(logits: try run.logits(of: image, count: 1))
    }

    // Vertical stripes: one sign per column and channel, the same down every row.
    var best = original
    var stripeSigns = [Float](repeating: 0, count: side * channels)
    for index in stripeSigns.indices { stripeSigns[index] = run.generator.nextSign() }
    for row in 0..<side {
        for column in 0..<side {
            for channel in 0..<channels {
                let index = (row * side + column) * channels + channel
                best[index] = original[index] + stepSize * stripeSigns[column * channels + channel]
            }
        }
    }
    run.region.project(&best)
    var bestScores = try query(best)
    var bestLoss = loss(bestScores)
    run.record(step: 0, image: best, scores: bestScores, loss: bestLoss)
    if run.isSuccessful(bestScores) {
        return AttackOutcome(image: best, modifications: 0, stopReason: .succeeded,
                             knownScores: bestScores, traceFinalImage: false)
    }

    var candidate = best
    var iteration = 1
    while iteration < budget {
        let fraction = squareFraction(initial: run.config.squareInitialFraction,
                                      iteration: iteration, budget: budget)
        let squareSide = min(max(Int((fraction * Double(side * side)).squareRoot().rounded()), 1),
                             max(side - 1, 1))
        let top = run.generator.nextIndex(below: max(side - squareSide, 1))
        let left = run.generator.nextIndex(below: max(side - squareSide, 1))

        copyValues(best, into: &candidate)
        // Redraw the per-channel signs until the square differs from the best image; 100 draws
        // bound the loop (each channel has a sign that changes it unless clipping forbids both).
        for _ in 0..<100 {
            let signs = (run.generator.nextSign(), run.generator.nextSign(), run.generator.nextSign())
            var differs = false
            for row in top..<(top + squareSide) {
                for column in left..<(left + squareSide) {
                    let pixel = (row * side + column) * channels
                    for channel in 0..<channels {
                        let sign = channel == 0 ? signs.0 : (channel == 1 ? signs.1 : signs.2)
                        let value = min(max(original[pixel + channel] + stepSize * sign, 0), 1)
                        candidate[pixel + channel] = value
                        if abs(value - best[pixel + channel]) >= 1e-7 { differs = true }
                    }
                }
            }
            if differs { break }
        }
        run.region.project(&candidate)

        let scores = try query(candidate)
        let candidateLoss = loss(scores)
        if candidateLoss < bestLoss {
            swap(&best, &candidate)
            bestScores = scores
            bestLoss = candidateLoss
        }
        run.record(step: iteration, image: best, scores: bestScores, loss: bestLoss)
        iteration += 1
        if run.isSuccessful(bestScores) {
            return AttackOutcome(image: best, modifications: iteration - 1, stopReason: .succeeded,
                                 knownScores: bestScores, traceFinalImage: false)
        }
    }
    return AttackOutcome(image: best, modifications: iteration - 1, stopReason: .queryBudgetExhausted,
                         knownScores: bestScores, traceFinalImage: false)
}

/// The paper's schedule for the fraction of pixels changed: p_init, halved at 10, 50, 200, 500,
/// 1000, 2000, 4000, 6000 and 8000 of 10 000 iterations (rescaled to the budget).
func squareFraction(initial: Double, iteration: Int, budget: Int) -> Double {
    let rescaled = Int(Double(iteration) / Double(budget) * 10_000)
    switch rescaled {
    case 11...50: return initial / 2
    case 51...200: return initial / 4
    case 201...500: return initial / 8
    case 501...1000: return initial / 16
    case 1001...2000: return initial / 32
    case 2001...4000: return initial / 64
    case 4001...6000: return initial / 128
    case 6001...8000: return initial / 256
    case 8001...10_000: return initial / 512
    default: return initial
    }
}
