/// The talk's idea with a working optimiser (not the talk's update; see `runTalkAttack`):
///
///     x = project(x + α · sign(∇x log p_target))
///
/// with the same optional bound around the original, the same goal stop and the same
/// per-step record. Climbing log p_target instead of p_target removes the factor p_target that
/// makes the talk's gradient vanish, and the sign step makes the step size independent of the
/// gradient's scale. This is a targeted BIM whose step size defaults to 0.5/255 and whose
/// bound may be absent.
func runTalkSignAttack(_ run: AttackRun) throws -> AttackOutcome {
    guard run.target != nil else { throw AttackError.targetRequired(.talkSign) }
    return try runSignSteps(run, from: run.original, startsAtOriginal: true, stepSize: run.stepSize ?? 0.5 / 255, momentum: nil)
}
