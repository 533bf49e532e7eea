import Attacks
import Engine
import Foundation
import Imaging
import Lessons

/// Where a running job is, for progress displays.
public struct JobProgress: Sendable {
    /// Which attack of the block is running (1-based) and how many there are; 1 of 1 for an
    /// `attack` block.
    public var part: Int
    public var parts: Int
    /// Steps done and the step limit (queries for Square) of the running attack.
    public var step: Int
    public var totalSteps: Int
    /// Seconds since the job started.
    public var elapsedSeconds: Double
    /// Remaining seconds of the whole job if every step takes as long as the average so far.
    public var estimatedSecondsRemaining: Double?
}

/// Computes one job: runs its directive through the engine and the attacks and returns the
/// result record with the files it produced (`original.png`, `adversarial.png`, …).
///
/// One instance lives on one worker thread and uses that worker's networks.
struct JobComputation {
    let lessonsRoot: String
    let labels: ImageNetLabels
    let models: WorkerModels
    /// A private scratch folder, for the adversarial PNG that is written and read back.
    let scratchFolder: String
    let progress: (JobProgress) -> Void

    /// The names of the files in an entry.
    static let resultFile = "result.json"
    static let originalFile = "original.png"

    func compute(_ body: DirectiveBody) throws(RunnerError) -> (record: DirectiveResult, files: [String: [UInt8]]) {
        switch body {
        case .attack(let attack): return try computeAttack(attack)
        case .classify(let classify): return try computeClassify(classify)
        case .compare(let compare): return try computeCompare(compare)
        case .transfer(let transfer): return try computeTransfer(transfer)
        case .diagram(let diagram): return recordDiagram(diagram)
        case .sweep:
            // The plan gives a sweep's points their own jobs; the runner assembles their results.
            throw .output("a sweep is assembled from the results of its points, not computed as one job")
        }
    }

    // MARK: Kinds

    private func computeAttack(_ body: AttackDirective) throws(RunnerError) -> (DirectiveResult, [String: [UInt8]]) {
        let classifier = try models.classifier(for: body.model)
        let crop = try loadCrop(body.image, side: classifier.imageSide)
        var files = [Self.originalFile: try encode(crop)]
        let clock = Clock()
        let (record, png) = try runAttack(body.parameters, target: body.target, seed: body.seed, classifier: classifier,
                                          crop: crop, model: body.model, image: body.image,
                                          fileName: "adversarial.png", part: 1, parts: 1, clock: clock)
        files[record.adversarialFile] = png
        var result = DirectiveResult(kind: "attack", image: body.image, model: body.model,
                                     target: className(body.target))
        result.attack = record
        return (result, files)
    }

    private func computeCompare(_ body: CompareDirective) throws(RunnerError) -> (DirectiveResult, [String: [UInt8]]) {
        let classifier = try models.classifier(for: body.model)
        let crop = try loadCrop(body.image, side: classifier.imageSide)
        var files = [Self.originalFile: try encode(crop)]
        let clock = Clock()
        var records: [AttackRecord] = []
        for (index, parameters) in body.attacks.enumerated() {
            let (record, png) = try runAttack(parameters, target: body.target, seed: body.seed, classifier: classifier,
                                              crop: crop, model: body.model, image: body.image,
                                              fileName: "adversarial-\(index + 1).png", part: index + 1,
                                              parts: body.attacks.count, clock: clock)
            files[record.adversarialFile] = png
            records.append(record)
        }
        var result = DirectiveResult(kind: "compare", image: body.image, model: body.model,
                                     target: className(body.target))
        result.comparison = records
        return (result, files)
    }

    private func computeTransfer(_ body: TransferDirective) throws(RunnerError) -> (DirectiveResult, [String: [UInt8]]) {
        let source = try models.classifier(for: body.sourceModel)
        let crop = try loadCrop(body.image, side: source.imageSide)
        var files = [Self.originalFile: try encode(crop)]
        let clock = Clock()
        var records: [AttackRecord] = []
        var evaluations: [[ModelEvaluation]] = []
        for (index, parameters) in body.attacks.enumerated() {
            let (record, png) = try runAttack(parameters, target: body.target, seed: body.seed, classifier: source,
                                              crop: crop, model: body.sourceModel, image: body.image,
                                              fileName: "adversarial-\(index + 1).png", part: index + 1,
                                              parts: body.attacks.count, clock: clock)
            files[record.adversarialFile] = png
            records.append(record)
            // Every model, the source included, is measured on the PNG as saved and read back.
            let saved: RGBImage
            do {
                saved = try ImageCodec.decode(png, name: record.adversarialFile)
            } catch {
                throw .output("the adversarial PNG just written cannot be decoded again: \(error)")
            }
            var row: [ModelEvaluation] = []
            for model in body.models {
                row.append(try evaluate(model: model, original: crop, adversarial: saved, target: body.target?.index))
            }
            evaluations.append(row)
        }
        var result = DirectiveResult(kind: "transfer", image: body.image, model: body.sourceModel,
                                     target: className(body.target))
        result.transfer = TransferRecord(sourceModel: body.sourceModel, models: body.models, attacks: records,
                                         evaluations: evaluations)
        return (result, files)
    }

    private func computeClassify(_ body: ClassifyDirective) throws(RunnerError) -> (DirectiveResult, [String: [UInt8]]) {
        let classifier = try models.classifier(for: body.model)
        var files: [String: [UInt8]] = [:]
        var answers: [ImageClassification] = []
        for (index, image) in body.images.enumerated() {
            progress(JobProgress(part: index + 1, parts: body.images.count, step: 0, totalSteps: 1,
                                 elapsedSeconds: 0, estimatedSecondsRemaining: nil))
            let crop = try loadCrop(image, side: classifier.imageSide)
            let scores = try rank(crop, classifier: classifier, count: body.top)
            let name = "image-\(index + 1).png"
            files[name] = try encode(crop)
            answers.append(ImageClassification(image: image, top: scores, cropFile: name))
        }
        var result = DirectiveResult(kind: "classify", image: body.images.first ?? "", model: body.model, target: nil)
        result.classification = answers
        return (result, files)
    }

    /// A diagram runs nothing: its record only names the diagram, which the figure step draws.
    private func recordDiagram(_ body: DiagramDirective) -> (DirectiveResult, [String: [UInt8]]) {
        var result = DirectiveResult(kind: "diagram", image: "", model: "", target: nil)
        result.diagram = body.diagram.rawValue
        return (result, [:])
    }

    // MARK: Parts

    /// Elapsed time over the parts of one job, for the ETA.
    private final class Clock {
        let start = ContinuousClock.now
        var seconds: Double {
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
    }

    private func runAttack(_ parameters: AttackParameters, target: ClassTarget?, seed: Int,
                           classifier: EfficientNetClassifier, crop: RGBImage, model: String, image: String,
                           fileName: String, part: Int, parts: Int, clock: Clock)
        throws(RunnerError) -> (AttackRecord, [UInt8]) {
        let config: AttackConfig
        do {
            config = try AttackConfiguration.make(parameters, target: target, seed: seed)
        } catch {
            throw .attack(error.description)
        }
        let progress = self.progress
        let partStart = clock.seconds
        let sharing = try models.attackClassifier(for: model)
        sharing.attack(original: imageUnits(fromEightBit: crop.pixels))
        let result: AttackResult
        do {
            result = try Attacks.runAttack(config, on: sharing, image: crop.pixels) { report in
                let elapsed = clock.seconds
                var remaining = report.estimatedSecondsRemaining
                if let partRemaining = remaining, parts > part {
                    // Later parts are assumed to take as long as this one will in total.
                    let partTotal = elapsed - partStart + partRemaining
                    remaining = partRemaining + partTotal * Double(parts - part)
                }
                progress(JobProgress(part: part, parts: parts, step: report.step, totalSteps: report.totalSteps,
                                     elapsedSeconds: elapsed, estimatedSecondsRemaining: remaining))
            }
        } catch {
            throw .attack("\(error)")
        }
        let path = scratchFolder + "/" + UUID().uuidString + "-" + fileName
        defer { try? FileManager.default.removeItem(atPath: path) }
        let check: SavedImageCheck.Outcome
        let png: [UInt8]
        do {
            check = try SavedImageCheck.save(result, to: path, classifier: classifier)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RunnerError.output("the adversarial PNG written to \(path) cannot be read back")
            }
            png = [UInt8](data)
        } catch {
            throw .output("cannot save the adversarial PNG: \(error)")
        }
        let summary = AttackSummary(result: result, labels: labels, model: model, image: image)
        let record = AttackRecord(summary: summary, savedImageCheck: check, adversarialFile: fileName,
                                  boundDescription: AttackConfiguration.boundDescription(parameters),
                                  goal: parameters.goal, targetProbabilityBefore: result.targetProbabilityBefore,
                                  originalClassProbabilityAfterFloat: result.originalClassProbabilityAfterFloat)
        return (record, png)
    }

    /// How `model` classifies the original crop and the saved adversarial image, both resized to
    /// its input side in the same way when it differs from the source model's.
    private func evaluate(model: String, original: RGBImage, adversarial: RGBImage, target: Int?)
        throws(RunnerError) -> ModelEvaluation {
        let classifier = try models.classifier(for: model)
        let side = classifier.imageSide
        func prepared(_ image: RGBImage) -> RGBImage {
            image.width == side && image.height == side ? image : Preprocess.resizeBicubic(image, width: side, height: side)
        }
        let images = [prepared(original), prepared(adversarial)]
        let probabilities = try probabilities(of: images, classifier: classifier)
        let classes = classifier.classCount
        let before = probabilities[0..<classes]
        let after = probabilities[classes..<(2 * classes)]
        let top5Before = Softmax.top(5, probabilities: before, labels: labels).map(RankedClass.init)
        let top5After = Softmax.top(5, probabilities: after, labels: labels).map(RankedClass.init)
        let originalClass = top5Before[0]
        let topAfter = top5After[0].index
        let success = target.map { topAfter == $0 } ?? (topAfter != originalClass.index)
        return ModelEvaluation(model: model, top5Before: top5Before, top5After: top5After,
                               targetProbabilityBefore: target.map { before[before.startIndex + $0] },
                               targetProbabilityAfter: target.map { after[after.startIndex + $0] },
                               originalClass: originalClass,
                               originalClassProbabilityAfter: after[after.startIndex + originalClass.index],
                               success: success)
    }

    private func rank(_ image: RGBImage, classifier: EfficientNetClassifier, count: Int) throws(RunnerError) -> [RankedClass] {
        let probabilities = try probabilities(of: [image], classifier: classifier)
        return Softmax.top(count, probabilities: probabilities[...], labels: labels).map(RankedClass.init)
    }

    /// Softmax probabilities of 8-bit images, `images.count × classCount`.
    private func probabilities(of images: [RGBImage], classifier: EfficientNetClassifier) throws(RunnerError) -> [Float] {
        var input: [Float] = []
        input.reserveCapacity(images.count * classifier.imageSide * classifier.imageSide * 3)
        for image in images { input += image.pixels.map { Float($0) / 255 } }
        do {
            let logits = try classifier.logits(images: input, count: images.count)
            return Softmax.probabilities(logits, classes: classifier.classCount)
        } catch {
            throw .network("\(error)")
        }
    }

    /// The image as the model sees it: the evaluation centre crop at the model's side.
    private func loadCrop(_ image: String, side: Int) throws(RunnerError) -> RGBImage {
        let path = lessonsRoot + "/" + image
        do {
            return Preprocess.centerCrop(try ImageCodec.read(contentsOf: path), size: side)
        } catch {
            throw .image(path: image, reason: error.description)
        }
    }

    private func encode(_ image: RGBImage) throws(RunnerError) -> [UInt8] {
        do {
            return try ImageCodec.encodePNG(image)
        } catch {
            throw .output("cannot encode a PNG: \(error)")
        }
    }

    private func className(_ target: ClassTarget?) -> ClassName? {
        target.map { ClassName(index: $0.index, label: labels.label($0.index)) }
    }
}
