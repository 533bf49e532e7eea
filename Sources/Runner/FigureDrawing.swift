import Attacks
import Figures
import Foundation
import Imaging
import Lessons

/// A drawn figure as the site needs it: the PNG, its alt text and the size to show it at.
public struct FigureFile: Sendable, Codable, Equatable {
    /// The PNG bytes (not part of the JSON sidecar; stored as their own file).
    public var png: [UInt8] = []
    /// What the figure shows, generated from its data.
    public var altText: String
    /// CSS size in points (the PNG has twice as many pixels).
    public var width: Double
    public var height: Double

    enum CodingKeys: String, CodingKey { case altText, width, height }
}

/// Which `show:` values are figures (the others, `log` and `table`, are HTML made by the site),
/// and how each is drawn from a result.
public enum FigureDrawing {
    /// The `show:` values drawn as images, for every directive kind (`diagram` is the only
    /// figure of a `diagram` block, which has no `show:`).
    public static let figureNames: Set<String> = ["comparison", "noise", "noise-signed", "confidence", "progress",
                                                   "grid", "panel", "diagram", "chart"]

    /// Bump when the drawing below changes, so that cached figures are drawn again.
    public static let version = "figures 4"

    /// What a figure's cache key records of the code that draws it: ``version``, and for a
    /// `diagram` block the diagram's own drawing version (for a `sweep`, the chart's), so a
    /// redrawn figure is never served from the cache as it was.
    public static func cacheVersion(for body: DirectiveBody) -> String {
        switch body {
        case .diagram(let diagram): return version + " / " + drawingVersion(of: diagram.diagram)
        case .sweep: return version + " / " + SweepChart.drawingVersion
        case .attack, .classify, .compare, .transfer: return version
        }
    }

    /// The drawing version of each diagram.
    static func drawingVersion(of diagram: DiagramName) -> String {
        switch diagram {
        case .attackLoop: return AttackLoopDiagram.drawingVersion
        }
    }

    /// Draws a diagram in `language`.
    static func drawDiagram(_ diagram: DiagramName, language: FigureLanguage) throws(FigureError) -> RenderedFigure {
        switch diagram {
        case .attackLoop: return try AttackLoopDiagram(language: language).render()
        }
    }

    /// Draws `name` for `result` in `language`. `files` are the job's files (the PNGs of the
    /// original and adversarial images).
    public static func draw(_ name: String, result: DirectiveResult, files: [String: [UInt8]],
                            language: FigureLanguage) throws(RunnerError) -> FigureFile {
        let style = language == .spanish ? FigureStyle.spanish : FigureStyle.standard
        let rendered: RenderedFigure
        do {
            rendered = try render(name, result: result, files: files, style: style)
        } catch let error as RunnerError {
            throw error
        } catch {
            throw .figure(name: name, reason: "\(error)")
        }
        return FigureFile(png: rendered.png, altText: rendered.altText, width: rendered.logicalWidth,
                          height: rendered.logicalHeight)
    }

    private static func render(_ name: String, result: DirectiveResult, files: [String: [UInt8]],
                               style: FigureStyle) throws -> RenderedFigure {
        let language = style.language
        switch (result.kind, name) {
        case ("attack", _):
            guard let record = result.attack else { throw RunnerError.figure(name: name, reason: "the result has no attack") }
            let original = try image(JobComputation.originalFile, in: files)
            let adversarial = try image(record.adversarialFile, in: files)
            return try attackFigure(name, summary: record.summary, goal: record.goal, original: original,
                                    adversarial: adversarial, style: style)
        case ("classify", "confidence"):
            var groups: [TopClassesChart.Group] = []
            for answer in result.classification ?? [] {
                groups.append(TopClassesChart.Group(heading: answer.image, image: try image(answer.cropFile, in: files),
                                                    classes: answer.top))
            }
            return try TopClassesChart(groups: groups, model: MethodNames.model(result.model), style: style).render()
        case ("compare", "panel"):
            let original = try image(JobComputation.originalFile, in: files)
            var rows: [ComparisonPanel.Row] = []
            for record in result.comparison ?? [] {
                rows.append(ComparisonPanel.Row(
                    heading: MethodNames.withBound(record, language: language), original: original,
                    adversarial: try image(record.adversarialFile, in: files),
                    originalPrediction: prediction(record.top5Before.first),
                    adversarialPrediction: prediction(record.top5After.first)))
            }
            return try ComparisonPanel(rows: rows, imageWidth: 180, style: style).render()
        case ("diagram", "diagram"):
            guard let written = result.diagram, let diagram = DiagramName(rawValue: written) else {
                throw RunnerError.figure(name: name, reason: "the result names no known diagram ('\(result.diagram ?? "")'; "
                    + "diagrams: \(DiagramName.allNames.joined(separator: ", ")))")
            }
            return try drawDiagram(diagram, language: language)
        case ("sweep", "chart"):
            return try SweepAssembly.chart(result, style: style).render()
        case ("transfer", "grid"):
            guard let transfer = result.transfer else { throw RunnerError.figure(name: name, reason: "no transfer") }
            let attackNames = transfer.attacks.map { record in
                MethodNames.withBound(record, language: language) + " (\(transfer.sourceModel))"
            }
            let probabilities: [[Double?]] = transfer.models.map { model in
                transfer.evaluations.map { row in
                    row.first { $0.model == model }.map { evaluation in
                        Double(evaluation.targetProbabilityAfter ?? evaluation.originalClassProbabilityAfter)
                    }
                }
            }
            var labels = TransferGrid.Labels(language: language)
            if result.target == nil {
                labels.key = language == .spanish ? "Probabilidad de la clase original" : "Probability of the original class"
            }
            let targetLabel = result.target?.label ?? transfer.attacks.first?.summary.originalClass.label ?? ""
            return try TransferGrid(models: transfer.models.map(MethodNames.model), attacks: attackNames,
                                    probabilities: probabilities, targetLabel: targetLabel, labels: labels,
                                    style: style).render()
        default:
            throw RunnerError.figure(name: name, reason: "a \(result.kind) block has no figure '\(name)'")
        }
    }

    /// The figures an attack can show, in the order a reader takes them in.
    public static let attackFigureNames = ["comparison", "noise", "noise-signed", "confidence", "progress"]

    /// Draws one of ``attackFigureNames`` for an attack run outside a lesson (`attack --figures`).
    /// `original` and `adversarial` are the crop and the saved 8-bit image.
    public static func drawAttackFigure(
        _ name: String, summary: AttackSummary, goal: Double?, original: RGBImage, adversarial: RGBImage,
        language: FigureLanguage
    ) throws -> RenderedFigure {
        try attackFigure(name, summary: summary, goal: goal, original: original, adversarial: adversarial,
                         style: language == .spanish ? FigureStyle.spanish : FigureStyle.standard)
    }

    private static func attackFigure(_ name: String, summary: AttackSummary, goal: Double?, original: RGBImage,
                                     adversarial: RGBImage, style: FigureStyle) throws -> RenderedFigure {
        switch name {
        case "comparison":
            return try ComparisonPanel(original: original, adversarial: adversarial,
                                       originalPrediction: prediction(summary.top5Before.first),
                                       adversarialPrediction: prediction(summary.top5After.first),
                                       style: style).render()
        case "noise", "noise-signed":
            // An L∞ bound fixes the top of the colour scale, so heat maps of attacks with the
            // same ε compare at a glance.
            let limit = summary.bound?.gridLevels.flatMap { (1...255).contains($0) ? $0 : nil }
            return try NoiseHeatmap(original: original, adversarial: adversarial,
                                    mode: name == "noise" ? .magnitude : .signedPerChannel, limit: limit,
                                    style: style).render()
        case "confidence":
            return try ConfidenceChart(before: summary.top5Before.map(prediction), after: summary.top5After.map(prediction),
                                       targetLabel: summary.target?.label, originalLabel: summary.originalClass.label,
                                       style: style).render()
        case "progress":
            return try progressChart(summary, goal: goal, style: style).render()
        default:
            throw RunnerError.figure(name: name, reason: "an attack block has no figure '\(name)'")
        }
    }

    private static func progressChart(_ summary: AttackSummary, goal: Double?, style: FigureStyle) throws -> ProgressChart {
        var trace = summary.trace
        if trace.isEmpty {
            throw RunnerError.figure(name: "progress", reason: "the attack recorded no steps")
        }
        if trace.count == 1 { trace.append(trace[0]) }
        let targeted = summary.target != nil
        let followed = trace.map { Double(targeted ? ($0.targetProbability ?? 0) : $0.originalClassProbability) }
        let smallest = followed.min() ?? 1
        // A target that starts near zero (the talk's p ≈ 1e-6) is invisible on a linear axis.
        let scale: ProbabilityScale = smallest < 0.01 ? .logarithmic(minimum: max(1e-6, smallest)) : .linear
        var labels = ProgressChart.Labels(language: style.language)
        if !targeted {
            // Untargeted, the solid line follows the original class: key it as such.
            labels.targetKey = labels.originalKey
        }
        let run = ProgressChart.Run(
            name: MethodNames.display(summary.method, language: style.language),
            steps: trace.map { Double($0.step) }, targetProbability: followed,
            originalProbability: targeted ? trace.map { Double($0.originalClassProbability) } : nil,
            // The talk's "loss" is p_target itself, already drawn.
            loss: summary.method == "talk" ? nil : trace.map { Double($0.loss) })
        return ProgressChart(runs: [run], targetLabel: summary.target?.label ?? summary.originalClass.label,
                             originalLabel: targeted ? summary.originalClass.label : nil,
                             goal: targeted ? goal : nil, scale: scale,
                             showsLoss: summary.method != "talk", labels: labels, style: style)
    }

    private static func prediction(_ ranked: AttackSummary.RankedClass?) -> Prediction {
        Prediction(label: ranked?.label ?? "–", probability: Double(ranked?.probability ?? 0))
    }

    private static func prediction(_ ranked: AttackSummary.RankedClass) -> Prediction {
        Prediction(label: ranked.label, probability: Double(ranked.probability))
    }

    private static func prediction(_ ranked: RankedClass?) -> Prediction {
        Prediction(label: ranked?.label ?? "–", probability: Double(ranked?.probability ?? 0))
    }

    private static func prediction(_ ranked: RankedClass) -> Prediction {
        Prediction(label: ranked.label, probability: Double(ranked.probability))
    }

    private static func image(_ name: String, in files: [String: [UInt8]]) throws -> RGBImage {
        guard let bytes = files[name] else {
            throw RunnerError.output("the result has no file \(name)")
        }
        return try ImageCodec.decode(bytes, name: name)
    }
}
