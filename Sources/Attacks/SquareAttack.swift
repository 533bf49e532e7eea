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
    // The untargeted margin needs the original class before the first query.
    try run.evaluateOriginal()

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
    var bestDistances = run.distancesFromOriginal(best)
    run.record(step: 0, distances: bestDistances, scores: bestScores, loss: bestLoss)
    if run.isSuccessful(bestScores) {
        return AttackOutcome(image: best, modifications: 0, stopReason: .succeeded,
                             knownScores: bestScores, traceFinalImage: false)
    }

    // The candidate equals the best image outside the square of the current iteration: only the
    // square is written before a query and only the square is kept or restored after it, so the
    // work per query besides the network call is proportional to the square, not to the image.
    var candidate = best
    var iteration = 1
    while iteration < budget {
        let fraction = squareFraction(initial: run.config.squareInitialFraction,
                                      iteration: iteration, budget: budget)
        let squareSide = min(max(Int((fraction * Double(side * side)).squareRoot().rounded()), 1),
                             max(side - 1, 1))
        let top = run.generator.nextIndex(below: max(side - squareSide, 1))
        let left = run.generator.nextIndex(below: max(side - squareSide, 1))
        let rows = top..<(top + squareSide)
        let columns = left..<(left + squareSide)

        // Redraw the per-channel signs until the square differs from the best image; 100 draws
        // bound the loop (each channel has a sign that changes it unless clipping forbids both).
        // Each value is x0 ± step projected on its own (box, and grid in grid mode), as `project`
        // would do to the whole image.
        for _ in 0..<100 {
            let signs = (run.generator.nextSign(), run.generator.nextSign(), run.generator.nextSign())
            var differs = false
            for row in rows {
                for column in columns {
                    let pixel = (row * side + column) * channels
                    for channel in 0..<channels {
                        let sign = channel == 0 ? signs.0 : (channel == 1 ? signs.1 : signs.2)
                        let index = pixel + channel
                        let value = run.region.projectedValue(original[index] + stepSize * sign, at: index)
                        candidate[index] = value
                        if abs(value - best[index]) >= 1e-7 { differs = true }
                    }
                }
            }
            if differs { break }
        }

        let scores = try query(candidate)
        let candidateLoss = loss(scores)
        if candidateLoss < bestLoss {
            copySquare(rows: rows, columns: columns, side: side, from: candidate, into: &best)
            bestScores = scores
            bestLoss = candidateLoss
            bestDistances = run.distancesFromOriginal(best)
        } else {
            copySquare(rows: rows, columns: columns, side: side, from: best, into: &candidate)
        }
        run.record(step: iteration, distances: bestDistances, scores: bestScores, loss: bestLoss)
        iteration += 1
        if run.isSuccessful(bestScores) {
            return AttackOutcome(image: best, modifications: iteration - 1, stopReason: .succeeded,
                                 knownScores: bestScores, traceFinalImage: false)
        }
    }
    return AttackOutcome(image: best, modifications: iteration - 1, stopReason: .queryBudgetExhausted,
                         knownScores: bestScores, traceFinalImage: false)
}

/// Copies the values of a square of pixels (all channels) from one image to another.
func copySquare(rows: Range<Int>, columns: Range<Int>, side: Int, from source: [Float], into destination: inout [Float]) {
    destination.withUnsafeMutableBufferPointer { target in
        source.withUnsafeBufferPointer { values in
            for row in rows {
                let first = (row * side + columns.lowerBound) * 3
                let last = (row * side + columns.upperBound) * 3
                for index in first..<last { target[index] = values[index] }
            }
        }
    }
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
