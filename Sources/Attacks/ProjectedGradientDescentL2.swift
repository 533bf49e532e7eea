/// PGD with an L2 ball of radius ε (Madry et al. 2018, as in torchattacks' PGDL2): steps along
/// the L2-normalised gradient, then projection onto the ball and the valid range:
///
///     x_{k+1} = project(x_k + α · g / ‖g‖₂),   g = ∇x J(x_k)
///
/// where project scales δ = x − x0 down to length ε when it is longer and clips to [0,1] (and,
/// in grid mode, rounds to the 8-bit grid without leaving the ball). The random start is a
/// Gaussian direction with a length drawn uniformly in [0, ε], as torchattacks does. α defaults
/// to ε/5 (torchattacks: 0.2 for ε = 1).
func runProjectedGradientDescentL2(_ run: AttackRun) throws -> AttackOutcome {
    guard let epsilon = run.epsilon, let stepSize = run.stepSize else {
        throw AttackError.epsilonRequired(.pgdL2)
    }
    var image = run.original
    if run.config.randomStart {
        var direction = [Float](repeating: 0, count: image.count)
        var sumOfSquares = 0.0
        for i in direction.indices {
            let sample = run.generator.nextGaussian()
            direction[i] = Float(sample)
            sumOfSquares += sample * sample
        }
        let length = Double(run.generator.nextUnitFloat()) * Double(epsilon)
        let factor = sumOfSquares > 0 ? Float(length / sumOfSquares.squareRoot()) : 0
        for i in image.indices { image[i] += direction[i] * factor }
        run.region.project(&image)
    }
    for step in 0..<run.config.steps {
        let (scores, gradient, loss) = try run.ascentGradient(
            at: image, isOriginal: step == 0 && !run.config.randomStart, objective: { run.standardObjective })
        run.record(step: step, image: image, scores: scores, loss: loss)
        if run.reachedGoal(scores) {
            return AttackOutcome(image: image, modifications: step, stopReason: .goalReached,
                                 knownScores: scores, traceFinalImage: false)
        }
        var sumOfSquares = 0.0
        for value in gradient { sumOfSquares += Double(value) * Double(value) }
        // torchattacks adds 1e-10 to the norm so that a zero gradient gives a zero step.
        let factor = Float(Double(stepSize) / (sumOfSquares.squareRoot() + 1e-10))
        image.withUnsafeMutableBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                for i in 0..<x.count { x[i] += g[i] * factor }
            }
        }
        run.region.project(&image)
    }
    return AttackOutcome(image: image, modifications: run.config.steps, stopReason: .stepLimit,
                         knownScores: nil, traceFinalImage: true)
}
