/// DeepFool (Moosavi-Dezfooli, Fawzi and Frossard 2016), untargeted: linearise the network around
/// the current image and step to the nearest linearised decision boundary, until the top-1 class
/// changes.
///
/// Candidate classes are the original's top `candidateClasses` (10, as in the authors' code).
/// Each step makes one gradient call with one forward of the image and one backward per candidate
/// k ≠ y, row k seeded with e_k − e_y, which gives w_k = ∇(z_k − z_y) directly (the candidates share
/// the forward: ``Classifier/logitsAndGradients(image:rows:lossGradients:)``). Then
///
///     l = argmin_k |f_k| / ‖w_k‖₂          (f_k = z_k − z_y)
///     r = (|f_l| / ‖w_l‖₂ + 1e-4) · w_l / ‖w_l‖₂,   r_total += r
///     x = project(x0 + (1 + overshoot) · r_total)
///
/// as in the authors' reference code (the overshoot applies to the total, not to each step).
/// In grid mode the image is rounded to the 8-bit grid each step and the top-1 test sees exactly
/// the image that will be saved; r_total keeps accumulating in float, so the image moves once the
/// total crosses half a grey level. While it has not moved, the step's gradient call repeats the
/// previous one exactly and is answered without the network (`repeatedGradientCalls`).
func runDeepFool(_ run: AttackRun) throws -> AttackOutcome {
    // The candidate classes are the original's top classes.
    try run.evaluateOriginal()
    let originalClass = run.originalClass
    let classCount = run.classCount
    let count = run.valuesPerImage
    let candidates = run.originalScores.top(run.config.candidateClasses)
        .map(\.classIndex)
        .filter { $0 != originalClass }
    let overshootFactor = 1 + Float(run.config.overshoot)

    // Seeds, `candidates.count × classCount`: row k is e_{candidate k} − e_y.
    var seeds = [Float](repeating: 0, count: candidates.count * classCount)
    for (row, candidate) in candidates.enumerated() {
        seeds[row * classCount + candidate] = 1
        seeds[row * classCount + originalClass] = -1
    }
    var totalPerturbation = [Float](repeating: 0, count: count)
    var image = run.original

    for step in 0..<run.config.steps {
        let answer = try run.logitsAndGradients(of: image, rows: candidates.count) { _ in seeds }
        let scores = ClassScores(logits: answer.logits)
        run.record(step: step, image: image, scores: scores, loss: scores.margin(of: originalClass))
        if run.isSuccessful(scores) {
            return AttackOutcome(image: image, modifications: step, stopReason: .succeeded,
                                 knownScores: scores, traceFinalImage: false)
        }

        // The nearest linearised boundary among the candidates.
        var nearest: (row: Int, distance: Double, norm: Double)?
        for (row, candidate) in candidates.enumerated() {
            var sumOfSquares = 0.0
            answer.gradients.withUnsafeBufferPointer { gradients in
                for i in 0..<count {
                    let value = Double(gradients[row * count + i])
                    sumOfSquares += value * value
                }
            }
            let norm = sumOfSquares.squareRoot()
            guard norm > 0 else { continue }
            let logitGap = Double(scores.logits[candidate] - scores.logits[originalClass])
            let distance = abs(logitGap) / norm
            if distance < nearest?.distance ?? .infinity { nearest = (row, distance, norm) }
        }
        guard let nearest else {
            return AttackOutcome(image: image, modifications: step, stopReason: .stalled,
                                 knownScores: scores, traceFinalImage: false)
        }

        let stepLength = Float((nearest.distance + 1e-4) / nearest.norm)
        answer.gradients.withUnsafeBufferPointer { gradients in
            totalPerturbation.withUnsafeMutableBufferPointer { total in
                image.withUnsafeMutableBufferPointer { x in
                    run.original.withUnsafeBufferPointer { x0 in
                        for i in 0..<count {
                            total[i] += stepLength * gradients[nearest.row * count + i]
                            x[i] = x0[i] + overshootFactor * total[i]
                        }
                    }
                }
            }
        }
        run.region.project(&image)
    }
    return AttackOutcome(image: image, modifications: run.config.steps, stopReason: .stepLimit,
                         knownScores: nil, traceFinalImage: true)
}
