import Attacks

/// A worker's classifier for one model that keeps its answers at the image being attacked, so
/// that the jobs a worker runs on one image and model share them.
///
/// The points of a sweep are separate jobs, each cached on its own (an added ε runs only the new
/// point), but on one image and model they all begin with the same request: the forward of the
/// original (methods that need its class before their first step), or the first gradient at the
/// original with the same loss (FGSM, BIM, MI-FGSM and PGD without random start, at every ε).
/// A ``Classifier`` is a function of its arguments, so the kept answer is the one the network
/// would give again: each point's record is identical to running it alone. The attack still
/// counts the request (`queries` says what the attack asked, not what the engine ran).
///
/// Only requests for exactly the original (batch 1) are kept; every other call goes straight
/// through, so no comparison or copy is added to the later steps beyond one early-exiting
/// image comparison. Forward-only and gradient answers are kept apart: they come from different
/// engine calls, and each request gets the answer of the call it names.
final class OriginalSharingClassifier: Classifier {
    let network: EfficientNetClassifier
    /// The image of the running job, [0,1] scale; empty before the first.
    private var original: [Float] = []
    private var originalLogits: [Float]?
    /// Gradients at the original by loss gradient (a few: one per objective a lesson uses).
    private var originalGradients: [(seeds: [Float], logits: [Float], gradient: [Float])] = []
    /// Objectives kept per image: untargeted, a target or two, the talk's loss.
    static let keptGradients = 4

    init(_ network: EfficientNetClassifier) {
        self.network = network
    }

    var imageSide: Int { network.imageSide }
    var classCount: Int { network.classCount }
    var modelInputScale: Float { network.modelInputScale }

    /// Names the image the next attack starts from; the answers kept for another image are dropped.
    func attack(original image: [Float]) {
        guard image != original else { return }
        original = image
        originalLogits = nil
        originalGradients = []
    }

    func logits(images: [Float], count: Int) throws -> [Float] {
        guard count == 1, images == original else { return try network.logits(images: images, count: count) }
        if let originalLogits { return originalLogits }
        let logits = try network.logits(images: images, count: 1)
        originalLogits = logits
        return logits
    }

    func logitsAndGradient(
        images: [Float], count: Int, lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float]) {
        guard count == 1, images == original else {
            return try network.logitsAndGradient(images: images, count: count, lossGradient: lossGradient)
        }
        // Every kept entry has the same logits (one image); the caller's loss gradient is asked
        // for once, with them, as a call to the network would.
        var seeds: [Float] = []
        if let logits = originalGradients.first?.logits {
            seeds = lossGradient(logits)
            if let kept = originalGradients.first(where: { $0.seeds == seeds }) { return (kept.logits, kept.gradient) }
        }
        let asked = !seeds.isEmpty
        let answer = try network.logitsAndGradient(images: images, count: 1) { logits in
            if !asked { seeds = lossGradient(logits) }
            return seeds
        }
        if originalGradients.count == Self.keptGradients { originalGradients.removeFirst() }
        originalGradients.append((seeds, answer.logits, answer.gradient))
        return answer
    }

    func logitsAndGradients(
        image: [Float], rows: Int, lossGradients: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradients: [Float]) {
        try network.logitsAndGradients(image: image, rows: rows, lossGradients: lossGradients)
    }
}
