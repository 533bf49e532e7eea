import ArgumentParser
import Attacks
import Engine
import Foundation
import Imaging
import Runner
import Figures

struct Attack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Attack an image and save the adversarial PNG (every reported number is measured on that 8-bit file).",
        discussion: """
        Methods: \(AttackMethod.allCases.map(\.rawValue).joined(separator: ", ")).
        ε is on the [0,1] image scale as in torchattacks and Foolbox: 8/255, 0.004.
        Example: trilobite attack lessons/images/chelsea.png --method pgd --target trilobite --epsilon 2/255 --out adv.png
        """)

    @Argument(help: "A PNG or JPEG image.")
    var image: String

    @Option(help: "Attack method.")
    var method: String

    @Option(parsing: .unconditional, help: "Target class: an ImageNet name (trilobite) or index (69). Omit for an untargeted attack.")
    var target: String?

    // Numbers are parsed `.unconditional`ly, so that a negative value ("--steps -3") reaches the
    // checks below and gets their one-line message instead of "missing value".

    @Option(parsing: .unconditional, help: "L∞ bound (L2 for pgd-l2) on the [0,1] scale, e.g. 2/255 or 0.004.")
    var epsilon: String?

    @Option(name: .customLong("bound-model-units"), parsing: .unconditional,
            help: "The bound in the network's input units, as the talk's ±0.01.")
    var boundModelUnits: Double?

    @Option(parsing: .unconditional, help: "Step limit (query budget for square).")
    var steps: Int?

    @Option(name: .customLong("step-size"), parsing: .unconditional, help: "Step size on the [0,1] scale, e.g. 0.5/255.")
    var stepSize: String?

    @Option(parsing: .unconditional, help: "Stop when the target probability reaches this (0 < goal < 1).")
    var goal: Double?

    @Option(parsing: .unconditional, help: "MI-FGSM: decay μ of the accumulated gradient (default 1.0).")
    var momentum: Double?

    @Option(name: .customLong("cw-c"), parsing: .unconditional, help: "C&W: the constant c (default 1).")
    var cwConstant: Double?

    @Option(name: .customLong("cw-kappa"), parsing: .unconditional, help: "C&W: the confidence κ (default 0).")
    var cwConfidence: Double?

    @Option(name: .customLong("cw-lr"), parsing: .unconditional, help: "C&W: Adam's learning rate (default 0.01).")
    var cwLearningRate: Double?

    @Option(name: .customLong("cw-search-rounds"), parsing: .unconditional,
            help: "C&W: rounds of the binary search over c, each of --steps steps (default 1: c fixed).")
    var cwSearchRounds: Int?

    @Option(parsing: .unconditional, help: "DeepFool: overshoot past the linearised boundary (default 0.02).")
    var overshoot: Double?

    @Option(help: "Model: lite0 (224 px) or lite2 (260 px).")
    var model: ModelVariant = .lite0

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Flag(help: "Keep every step on the 8-bit grid, so the goal check sees the image that is saved.")
    var grid = false

    @Flag(inversion: .prefixedNo, help: "PGD: start from a random point of the ε-ball (the default, as in torchattacks).")
    var randomStart = true

    @Option(help: "Where to write the adversarial PNG (the network's input: the attacked crop, pixel for pixel).")
    var out: String

    @Option(name: .customLong("out-photo"), help: ArgumentHelp(
        "Also write the photo at the evaluation scale with the adversarial crop in its centre.",
        discussion: """
        The standard evaluation preprocessing (shorter side resized to size/0.875, centre crop, as in \
        timm and ../shared/reference) resizes even a 224×224 file, which blurs the perturbation. Of \
        this file it gives back exactly the attacked crop, so such tools see what was attacked.
        """))
    var outPhoto: String?

    @Option(help: ArgumentHelp(
        "Also draw the attack's figures into this folder: comparison, noise, noise-signed, confidence, progress (PNG, with alt text).",
        valueName: "dir"))
    var figures: String?

    @Option(help: "Language of the figures' text: en or es.")
    var figureLanguage: String = "en"

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(help: "Folder with the weights.")
    var weights: String?

    func run() throws {
        try reportingErrors {
            let directory = try WeightsLocator.directory(explicit: weights)
            let labels = try WeightsLocator.labels(in: directory)
            let attackMethod = try AttackMethod(parsing: method)
            var config = AttackConfig(method: attackMethod, target: try target.map { try Self.targetIndex($0, labels: labels) })
            if let epsilon { config.epsilon = try Epsilon(parsing: epsilon) }
            if let boundModelUnits { config.epsilon = .modelInput(boundModelUnits) }
            if let steps { config.steps = steps }
            if let stepSize { config.stepSize = try Epsilon(parsing: stepSize).value }
            if let goal { config.goal = goal }
            if let momentum { config.momentum = momentum }
            if let cwConstant { config.cwConstant = cwConstant }
            if let cwConfidence { config.cwConfidence = cwConfidence }
            if let cwLearningRate { config.cwLearningRate = cwLearningRate }
            if let cwSearchRounds { config.cwSearchRounds = cwSearchRounds }
            if let overshoot { config.overshoot = overshoot }
            config.seed = seed
            config.gridMode = grid
            if attackMethod == .pgd || attackMethod == .pgdL2 { config.randomStart = randomStart }
            // Checked before the weights and the image are read, so a bad request fails at once.
            try config.validate(imageSide: model.inputSize, classCount: labels.count,
                                modelInputScale: EfficientNetClassifier.inputScale)

            let classifier = EfficientNetClassifier(weights: try EfficientNetLiteWeights(variant: model, directory: directory))
            try config.validate(imageSide: classifier.imageSide, classCount: classifier.classCount,
                                modelInputScale: classifier.modelInputScale)
            let (cropped, _) = try ModelInput.load(path: image, size: model.inputSize)
            let progress = ProgressLine(enabled: isatty(STDERR_FILENO) == 1, targetLabel: config.target.map(labels.label))
            let result = try runAttack(config, on: classifier, image: cropped.pixels) { progress.update($0) }
            progress.finish()
            let check = try SavedImageCheck.save(result, to: out, classifier: classifier)
            if let outPhoto {
                try Self.writePhoto(around: result.adversarialImage, of: image, size: model.inputSize, to: outPhoto)
            }
            let summary = AttackSummary(result: result, labels: labels, model: model.rawValue, image: image)
            let drawn = try figures.map { folder in
                try Self.drawFigures(summary: summary, goal: config.goal, original: cropped,
                                     adversarial: RGBImage(width: result.imageSide, height: result.imageSide,
                                                           pixels: result.adversarialImage),
                                     language: figureLanguage == "es" ? .spanish : .english, folder: folder)
            } ?? []
            if json {
                struct Output: Encodable {
                    let result: AttackSummary; let saved: String; let savedCheck: SavedImageCheck.Outcome; let photo: String?
                }
                try printJSON(Output(result: summary, saved: out, savedCheck: check, photo: outPhoto))
            } else {
                printSummary(summary, saved: out, check: check)
                if let outPhoto { print("photo with the adversarial crop in its centre: \(outPhoto)") }
                for path in drawn { print("figure: \(path)") }
            }
        }
    }

    /// Draws every attack figure into `folder` as `<name>.png`, with its alt text beside it as
    /// `<name>.txt`. Returns the PNG paths.
    static func drawFigures(summary: AttackSummary, goal: Double?, original: RGBImage, adversarial: RGBImage,
                            language: FigureLanguage, folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for name in FigureDrawing.attackFigureNames {
            let figure = try FigureDrawing.drawAttackFigure(name, summary: summary, goal: goal, original: original,
                                                            adversarial: adversarial, language: language)
            let path = (folder as NSString).appendingPathComponent(name + ".png")
            try Data(figure.png).write(to: URL(fileURLWithPath: path), options: .atomic)
            try Data((figure.altText + "\n").utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name + ".txt")),
                                                  options: .atomic)
            paths.append(path)
        }
        return paths
    }

    /// Writes the photo at the evaluation scale with `crop` (the adversarial `size`×`size` image)
    /// pasted in its centre, and checks that the evaluation crop of the written file is `crop`.
    ///
    /// The evaluation resize scales the shorter side to size/0.875 (256 for 224); resizing a file
    /// that already has that shorter side changes nothing (Pillow returns a copy, and ours is the
    /// identity), and the centre crop then cuts out exactly the pasted square. A photo that was
    /// already `size`×`size` (a prepared crop) gets a frame of its own resized pixels instead.
    static func writePhoto(around crop: [UInt8], of imagePath: String, size: Int, to path: String) throws {
        let decoded = try ImageCodec.read(contentsOf: imagePath)
        let cropFraction = 0.875  // as Preprocess.centerCrop
        let width: Int, height: Int
        if decoded.width == size && decoded.height == size {
            width = Int((Double(size) / cropFraction).rounded(.toNearestOrEven))
            height = width
        } else {
            let scale = Double(size) / cropFraction / Double(min(decoded.width, decoded.height))
            width = Int((Double(decoded.width) * scale).rounded(.toNearestOrEven))
            height = Int((Double(decoded.height) * scale).rounded(.toNearestOrEven))
        }
        var photo = Preprocess.resizeBicubic(decoded, width: width, height: height)
        let left = (width - size) / 2, top = (height - size) / 2
        for row in 0..<size {
            let target = ((top + row) * width + left) * 3
            photo.pixels.replaceSubrange(target..<(target + size * 3), with: crop[(row * size * 3)..<((row + 1) * size * 3)])
        }
        try ImageCodec.writePNG(photo, to: path)
        let reread = try ImageCodec.read(contentsOf: path)
        guard Preprocess.centerCrop(reread, size: size).pixels == crop else {
            throw ValidationError("\(path): the evaluation crop of the written photo is not the adversarial image; use the \(size)×\(size) PNG")
        }
    }

    /// A class index ("69", also out of range, which the attack's check then reports with the
    /// valid range) or a name, resolved by the labels (unknown names get suggestions).
    static func targetIndex(_ text: String, labels: ImageNetLabels) throws -> Int {
        if let index = Int(text.trimmingCharacters(in: .whitespaces)) { return index }
        return try labels.resolve(text)
    }

    private func printSummary(_ s: AttackSummary, saved: String, check: SavedImageCheck.Outcome) {
        func percent(_ p: Float?) -> String { p.map { String(format: "%.2f%%", Double($0) * 100) } ?? "–" }
        print("\(s.methodDescription)")
        print("model \(s.model), image \(s.image), seed \(s.seed)")
        if let bound = s.bound { print("bound: \(bound)") } else { print("bound: none") }
        print(String(format: "steps %d (%@), %.2f s (the attack %.2f s, then the result's evaluation), gradient images %d, forward images %d, black-box queries %d",
                     s.steps, s.stopReason as NSString, s.wallTimeSeconds, s.attackSeconds ?? s.wallTimeSeconds,
                     s.queries.gradientImages, s.queries.forwardImages, s.queries.blackBoxQueries))
        print("before:")
        for c in s.top5Before { print("  \(percent(c.probability).padding(toLength: 8, withPad: " ", startingAt: 0)) \(c.label) (\(c.index))") }
        print("after, saved 8-bit PNG (\(saved)):")
        for c in s.top5After { print("  \(percent(c.probability).padding(toLength: 8, withPad: " ", startingAt: 0)) \(c.label) (\(c.index))") }
        if s.savedImageDiffersFromFloat {
            print("before rounding to 8 bits the float image had: top-1 \(s.top5AfterFloat.first.map { "\($0.label) \(percent($0.probability))" } ?? "–"), success \(s.successFloat)")
        }
        let m = s.metrics
        print(String(format: "L∞ %d grey levels (%.4f), L2 %.2f grey levels (%.4f), PSNR %@, SSIM %@",
                     m.linfGreyLevels, m.linf, m.l2GreyLevels, m.l2,
                     (m.psnr.map { String(format: "%.2f dB", $0) } ?? "∞") as NSString,
                     (m.ssim.map { String(format: "%.4f", $0) } ?? "–") as NSString))
        if let target = s.target {
            print("target \(target.label): p = \(percent(s.targetProbabilityAfter)) on the saved image — \(s.success ? "success" : "not reached")")
        } else {
            print("untargeted: \(s.success ? "the top class changed" : "the top class is still \(s.originalClass.label)")")
        }
        print("read back from \(saved): top-1 class \(check.topClass)\(check.matchesResult ? ", as reported" : " — DIFFERS from the report")")
    }
}

/// A one-line live display on a terminal: step, target probability, ETA. Redrawn at most ten
/// times a second so that printing never slows the attack.
final class ProgressLine {
    private let enabled: Bool
    private let targetLabel: String?
    private var lastDraw = 0.0
    private var drawn = false

    init(enabled: Bool, targetLabel: String?) {
        self.enabled = enabled
        self.targetLabel = targetLabel
    }

    func update(_ progress: AttackProgress) {
        guard enabled, progress.elapsedSeconds - lastDraw >= 0.1 || progress.step == progress.totalSteps else { return }
        lastDraw = progress.elapsedSeconds
        var line = "step \(progress.step)/\(progress.totalSteps)"
        if let p = progress.targetProbability {
            line += String(format: "  p(%@) %.4f", (targetLabel ?? "target") as NSString, Double(p))
        }
        line += String(format: "  original class %.4f", Double(progress.originalClassProbability))
        if let eta = progress.estimatedSecondsRemaining { line += String(format: "  ETA %.1f s", eta) }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
