import Foundation

/// The network's confidence while an attack runs: the target's and the original class's
/// probability against the step, with the goal line, for one or several runs.
///
/// Several runs on one chart compare update rules (the talk's raw gradient step against a
/// modern optimiser). Each run has its own colour; the target is a solid line and the
/// original class a dashed one, so the two stay apart without colour. The loss, when given,
/// gets its own panel below with the same step axis.
public struct ProgressChart: Sendable {
    /// One attack's trace.
    public struct Run: Sendable, Equatable {
        public var name: String
        /// The step of each sample; `nil` means 0, 1, 2, …
        public var steps: [Double]?
        public var targetProbability: [Double]
        public var originalProbability: [Double]?
        public var loss: [Double]?

        public init(name: String, steps: [Double]? = nil, targetProbability: [Double],
                    originalProbability: [Double]? = nil, loss: [Double]? = nil) {
            self.name = name
            self.steps = steps
            self.targetProbability = targetProbability
            self.originalProbability = originalProbability
            self.loss = loss
        }

        func stepValues() -> [Double] {
            steps ?? (0..<targetProbability.count).map(Double.init)
        }
    }

    /// The chart's words; `{label}` is a class name, `{value}` the goal probability.
    public struct Labels: Sendable, Equatable {
        public var title: String?
        public var step: String
        public var probability: String
        public var loss: String
        /// Line-style key of the target lines.
        public var targetKey: String
        /// Line-style key of the original-class lines.
        public var originalKey: String
        public var goal: String

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            switch language {
            case .english:
                step = "Step"
                probability = "Probability"
                loss = "Loss"
                targetKey = "target: {label}"
                originalKey = "original: {label}"
                goal = "goal {value}"
            case .spanish:
                step = "Paso"
                probability = "Probabilidad"
                loss = "Pérdida"
                targetKey = "objetivo: {label}"
                originalKey = "original: {label}"
                goal = "meta {value}"
            }
        }
    }

    public var runs: [Run]
    public var targetLabel: String
    public var originalLabel: String?
    /// The probability at which the attack stops (the talk's 0.95); `nil` draws no goal line.
    public var goal: Double?
    public var scale: ProbabilityScale
    /// Draw a loss panel when the runs carry a loss.
    public var showsLoss: Bool
    public var width: Double
    public var plotHeight: Double
    public var labels: Labels
    public var style: FigureStyle

    public init(runs: [Run], targetLabel: String, originalLabel: String? = nil, goal: Double? = 0.95,
                scale: ProbabilityScale = .linear, showsLoss: Bool = true, width: Double = 720,
                plotHeight: Double = 260, labels: Labels? = nil, style: FigureStyle = .standard) {
        self.runs = runs
        self.targetLabel = targetLabel
        self.originalLabel = originalLabel
        self.goal = goal
        self.scale = scale
        self.showsLoss = showsLoss
        self.width = width
        self.plotHeight = plotHeight
        self.labels = labels ?? Labels(language: style.language)
        self.style = style
    }

    /// Draws the chart.
    public func render() throws(FigureError) -> RenderedFigure {
        let figure = "ProgressChart"
        guard !runs.isEmpty else { throw .noData(figure: figure, what: "runs") }
        guard width.isFinite, width >= 300 else { throw .invalidValue(figure: figure, what: "width", value: width) }
        guard plotHeight.isFinite, plotHeight >= 80 else {
            throw .invalidValue(figure: figure, what: "plotHeight", value: plotHeight)
        }
        if let goal { try validateProbability(goal, figure: figure, what: "goal") }
        for run in runs {
            guard !run.targetProbability.isEmpty else { throw .noData(figure: figure, what: "\(run.name)'s target probability") }
            let count = run.targetProbability.count
            let series: [(String, [Double]?)] = [("steps", run.steps), ("originalProbability", run.originalProbability),
                                                 ("loss", run.loss)]
            for (name, values) in series {
                if let values, values.count != count {
                    throw .lengthMismatch(figure: figure, what: "\(run.name)'s \(name)", expected: count, actual: values.count)
                }
            }
            for value in run.targetProbability + (run.originalProbability ?? []) {
                try validateProbability(value, figure: figure, what: "a probability of \(run.name)")
            }
            if let bad = (run.stepValues() + (run.loss ?? [])).first(where: { !$0.isFinite }) {
                throw .invalidValue(figure: figure, what: "a step or loss of \(run.name)", value: bad)
            }
        }
        let scale = try self.scale.validated(figure: figure)
        let language = style.language
        let hasLoss = showsLoss && runs.contains { $0.loss != nil }
        let hasOriginal = runs.contains { $0.originalProbability != nil }

        let allSteps = runs.flatMap { $0.stepValues() }
        let stepTicks = Ticks.nice(lower: allSteps.min() ?? 0, upper: allSteps.max() ?? 1, count: 6, wholeNumbers: true)
        let probabilityTickList = probabilityTicks(scale, language: language)
        let lossValues = runs.flatMap { $0.loss ?? [] }
        let lossTicks = Ticks.nice(lower: min(0, lossValues.min() ?? 0), upper: lossValues.max() ?? 1, count: 3)
        let lossTickList = lossTicks.values.map { ($0, language.compact($0)) }

        let measuring = try style.measuringCanvas()
        let contentWidth = width - 2 * style.margin
        let titleHeight = drawTitle(labels.title, on: nil, measuring: measuring, style: style, at: 0, width: contentWidth)
        // Colour says which run, line style which class: runs get colour swatches and the classes
        // line samples, so no line in the legend means two things. With one run, the class keys
        // take its colour, as its curves do.
        var entries = runs.enumerated().map { index, run in
            LegendEntry(label: run.name, color: style.seriesColor(index), sample: .swatch)
        }
        let keyColor = runs.count == 1 ? style.seriesColor(0) : style.mutedText
        entries.append(LegendEntry(label: fill(labels.targetKey, ["label": targetLabel]), color: keyColor,
                                   sample: .line(dash: [], marker: nil)))
        if hasOriginal, let originalLabel {
            entries.append(LegendEntry(label: fill(labels.originalKey, ["label": originalLabel]), color: keyColor,
                                       sample: .line(dash: ProgressChart.originalDash, marker: nil)))
        }
        let legend = LegendLayout(entries: entries, font: style.labelFont, maxWidth: contentWidth, measuring: measuring)
        let yLabels = probabilityTickList.map(\.label) + (hasLoss ? lossTickList.map(\.1) : [])
        let insets = PlotFrame.insets(yTickLabels: yLabels, hasXTitle: true, hasYTitle: true, style: style,
                                      measuring: measuring)
        let plotLeft = style.margin + insets.left
        let plotRight = width - style.margin - 8
        let plotTop = style.margin + titleHeight + legend.height + 8
        let lossHeight = hasLoss ? max(80, plotHeight * 0.45) : 0
        let lossGap = hasLoss ? style.gap : 0
        let height = plotTop + plotHeight + lossGap + lossHeight + insets.bottom + style.margin

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        legend.draw(on: canvas, at: Point(x: style.margin, y: plotTop - legend.height - 8), font: style.labelFont,
                    textColor: style.text)

        let area = Rect(x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotHeight)
        let x = AxisMapping(lower: stepTicks.lower, upper: stepTicks.upper, logarithmic: false,
                            start: area.minX, end: area.maxX)
        let y = probabilityMapping(scale, start: area.maxY, end: area.minY)
        let stepTickList = stepTicks.values.map { ($0, language.compact($0)) }
        PlotFrame(area: area, x: x, y: y, xTicks: stepTickList, yTicks: probabilityTickList,
                  xTitle: labels.step, yTitle: labels.probability)
            .draw(on: canvas, style: style, drawXTickLabels: !hasLoss)

        if let goal {
            let goalY = y.position(goal)
            canvas.line(from: Point(x: area.minX, y: goalY), to: Point(x: area.maxX, y: goalY), color: style.reference,
                        width: 1.2, dash: [6, 4])
            let goalText = fill(labels.goal, ["value": language.percentTick(goal)])
            // Above the line when there is room, below it when the goal is near the top.
            let labelMetrics = canvas.measure(goalText, font: style.tickFont)
            let above = goalY - area.minY > labelMetrics.lineHeight + 2
            canvas.fill(Rect(x: area.maxX - labelMetrics.width - 8, y: above ? goalY - labelMetrics.lineHeight - 2 : goalY + 2,
                             width: labelMetrics.width + 6, height: labelMetrics.lineHeight), with: style.background.withAlpha(0.85))
            canvas.text(goalText, at: Point(x: area.maxX - 5, y: above ? goalY - 2 : goalY + 2), font: style.tickFont,
                        color: style.reference, horizontal: .trailing, vertical: above ? .bottom : .top)
        }
        canvas.clipped(to: area) {
            for (index, run) in runs.enumerated() {
                let steps = run.stepValues()
                let color = style.seriesColor(index)
                if let original = run.originalProbability {
                    canvas.polyline(zip(steps, original).map { Point(x: x.position($0), y: y.position($1)) },
                                    color: color, width: 2, dash: ProgressChart.originalDash)
                }
                canvas.polyline(zip(steps, run.targetProbability).map { Point(x: x.position($0), y: y.position($1)) },
                                color: color, width: 2.2)
            }
        }

        if hasLoss {
            let lossArea = Rect(x: plotLeft, y: area.maxY + lossGap, width: area.width, height: lossHeight)
            let lossX = AxisMapping(lower: x.lower, upper: x.upper, logarithmic: false, start: lossArea.minX,
                                    end: lossArea.maxX)
            let lossY = AxisMapping(lower: lossTicks.lower, upper: lossTicks.upper, logarithmic: false,
                                    start: lossArea.maxY, end: lossArea.minY)
            PlotFrame(area: lossArea, x: lossX, y: lossY, xTicks: stepTickList, yTicks: lossTickList,
                      xTitle: labels.step, yTitle: labels.loss)
                .draw(on: canvas, style: style)
            canvas.clipped(to: lossArea) {
                for (index, run) in runs.enumerated() {
                    guard let loss = run.loss else { continue }
                    canvas.polyline(zip(run.stepValues(), loss).map { Point(x: lossX.position($0), y: lossY.position($1)) },
                                    color: style.seriesColor(index), width: 1.8)
                }
            }
        }
        return try canvas.rendered(altText: altText())
    }

    static let originalDash: [Double] = [5, 3]

    private func altText() -> String {
        let language = style.language
        let prefix = altTextPrefix(labels.title)
        let sentences = runs.map { run -> String in
            let steps = run.stepValues()
            let first = run.targetProbability.first ?? 0, last = run.targetProbability.last ?? 0
            let lastStep = language.compact(steps.last ?? 0)
            let reached = goal.flatMap { goal in zip(steps, run.targetProbability).first { $0.1 >= goal }?.0 }
            switch language {
            case .english:
                var sentence = "\(run.name): the probability of \(targetLabel) goes from \(language.percent(first)) "
                    + "to \(language.percent(last)) by step \(lastStep)"
                if let goal {
                    sentence += reached.map { ", reaching the goal of \(language.percentTick(goal)) at step \(language.compact($0))" }
                        ?? " without reaching the goal of \(language.percentTick(goal))"
                }
                if let original = run.originalProbability, let originalLabel, let firstOriginal = original.first,
                   let lastOriginal = original.last {
                    sentence += "; \(originalLabel) goes from \(language.percent(firstOriginal)) to \(language.percent(lastOriginal))"
                }
                return sentence + "."
            case .spanish:
                var sentence = "\(run.name): la probabilidad de \(targetLabel) pasa de \(language.percent(first)) "
                    + "a \(language.percent(last)) hasta el paso \(lastStep)"
                if let goal {
                    sentence += reached.map { " y alcanza la meta del \(language.percentTick(goal)) en el paso \(language.compact($0))" }
                        ?? " sin alcanzar la meta del \(language.percentTick(goal))"
                }
                if let original = run.originalProbability, let originalLabel, let firstOriginal = original.first,
                   let lastOriginal = original.last {
                    sentence += "; \(originalLabel) pasa de \(language.percent(firstOriginal)) a \(language.percent(lastOriginal))"
                }
                return sentence + "."
            }
        }
        return prefix + sentences.joined(separator: " ")
    }
}
