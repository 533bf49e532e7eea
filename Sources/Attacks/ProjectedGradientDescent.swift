/// PGD with an L∞ ball (Madry et al. 2018): BIM started, when `randomStart` is on, from a point
/// drawn uniformly in the ε-ball (seeded) and projected onto the valid range (and the grid in grid
/// mode):
///
///     x_0 = project(x0 + U(−ε, ε)),  x_{k+1} = project(x_k + α · sign(∇x J(x_k)))
///
/// Trace step 0 is the random start, not the original. α defaults to ε/4 (torchattacks: 2/255 for
/// ε = 8/255).
func runProjectedGradientDescent(_ run: AttackRun) throws -> AttackOutcome {
    guard let epsilon = run.epsilon, let stepSize = run.stepSize else {
        throw AttackError.epsilonRequired(.pgd)
    }
    var start = run.original
    if run.config.randomStart {
        for i in start.indices {
            start[i] += (2 * run.generator.nextUnitFloat() - 1) * epsilon
        }
        run.region.project(&start)
    }
    return try runSignSteps(run, from: start, startsAtOriginal: !run.config.randomStart, stepSize: stepSize, momentum: nil)
}
