/// MI-FGSM (Dong et al. 2018): sign steps of an accumulated gradient, which keeps the direction
/// of earlier steps and escapes poor local maxima:
///
///     g_{k+1} = μ · g_k + ∇x J(x_k) / ‖∇x J(x_k)‖₁
///     x_{k+1} = clip_{x0,ε}(x_k + α · sign(g_{k+1}))
///
/// μ (`momentum`) defaults to 1.0 and α to ε/4, as in torchattacks (2/255 for ε = 8/255).
func runMomentumIterativeFGSM(_ run: AttackRun) throws -> AttackOutcome {
    guard let stepSize = run.stepSize else { throw AttackError.epsilonRequired(.mifgsm) }
    return try runSignSteps(run, from: run.original, startsAtOriginal: true, stepSize: stepSize,
                            momentum: Float(run.config.momentum))
}
