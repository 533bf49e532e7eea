/// BIM / I-FGSM (Kurakin, Goodfellow and Bengio 2017): FGSM repeated with a small step from
/// the original image, clipped to the ε-ball and the valid range after every step:
///
///     x_{k+1} = clip_{x0,ε}(x_k + α · sign(∇x J(x_k)))
///
/// J = log p_target when targeted, CE of the original class when untargeted. α defaults to ε/4.
func runBasicIterativeMethod(_ run: AttackRun) throws -> AttackOutcome {
    guard let stepSize = run.stepSize else { throw AttackError.epsilonRequired(.bim) }
    return try runSignSteps(run, from: run.original, startsAtOriginal: true, stepSize: stepSize, momentum: nil)
}
