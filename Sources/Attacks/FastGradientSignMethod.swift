/// FGSM (Goodfellow, Shlens and Szegedy 2015), one step of size ε:
///
///     untargeted: x = clip(x0 + ε · sign(∇x CE(original class)))
///     targeted:   x = clip(x0 − ε · sign(∇x CE(target)))   (= + ε · sign(∇x log p_target))
func runFastGradientSignMethod(_ run: AttackRun) throws -> AttackOutcome {
    guard let epsilon = run.epsilon else { throw AttackError.epsilonRequired(.fgsm) }
    var image = run.original
    let (scores, gradient, loss) = try run.ascentGradient(
        at: image, isOriginal: true, objective: { run.standardObjective })
    run.record(step: 0, image: image, scores: scores, loss: loss)
    if run.reachedGoal(scores) {
        return AttackOutcome(image: image, modifications: 0, stopReason: .goalReached,
                             knownScores: scores, traceFinalImage: false)
    }
    addSignSteps(of: gradient, size: epsilon, to: &image)
    run.region.project(&image)
    return AttackOutcome(image: image, modifications: 1, stopReason: .stepLimit,
                         knownScores: nil, traceFinalImage: true)
}
