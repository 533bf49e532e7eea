/// The model's top classes before and after the attack, as two groups of horizontal bars.
///
/// Bars share one probability axis so the groups can be compared at a glance; each bar has
/// its probability written on it (or beside it when it is too short). The attack's target is
/// drawn in its own colour, the original class in another, and a legend names both, so the
/// highlight does not depend on colour alone.
public struct ConfidenceChart: Sendable {
    /// The chart's words; `{label}` is replaced by a class name.
    public struct Labels: Sendable, Equatable {
        public var title: String?
        public var before: String
        public var after: String
        public var axis: String
        /// Legend entry of the target class.
        public var targetLegend: String
        /// Legend entry of the original class.
        public var originalLegend: String

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            switch language {
            case .english:
                before = "Before the attack"
                after = "After the attack"
                axis = "Probability"
                targetLegend = "target: {label}"
                originalLegend = "original class: {label}"
            case .spanish:
                before = "Antes del ataque"
                after = "Después del ataque"
                axis = "Probabilidad"
                targetLegend = "objetivo: {label}"
                originalLegend = "clase original: {label}"
            }
        }
    }

    /// Top classes of the original image, most probable first (usually five).
    public var before: [Prediction]
    /// Top classes of the adversarial image, most probable first.
    public var after: [Prediction]
    /// The attack's target class, highlighted wherever it appears; `nil` for untargeted attacks.
    public var targetLabel: String?
    /// The original class, highlighted too; `nil` takes the first class of `before`.
    public var originalLabel: String?
    public var scale: ProbabilityScale
    /// Total width in points.
    public var width: Double
    public var labels: Labels
    public var style: FigureStyle

    public init(before: [Prediction], after: [Prediction], targetLabel: String?, originalLabel: String? = nil,
                scale: ProbabilityScale = .linear, width: Double = 640, labels: Labels? = nil,
                style: FigureStyle = .standard) {
        self.before = before
        self.after = after
        self.targetLabel = targetLabel
        self.originalLabel = originalLabel
        self.scale = scale
        self.width = width
        self.labels = labels ?? Labels(language: style.language)
        self.style = style
    }

    static let barHeight = 18.0
    static let rowPitch = 26.0

    /// Draws the chart.
    public func render() throws(FigureError) -> RenderedFigure {
        let figure = "ConfidenceChart"
        guard !before.isEmpty else { throw .noData(figure: figure, what: "before") }
        guard !after.isEmpty else { throw .noData(figure: figure, what: "after") }
        for prediction in before + after {
            try validateProbability(prediction.probability, figure: figure, what: "the probability of \(prediction.label)")
        }
        guard width.isFinite, width >= 240 else { throw .invalidValue(figure: figure, what: "width", value: width) }
        let scale = try self.scale.validated(figure: figure)
        let originalClass = originalLabel ?? before[0].label
        let language = style.language

        let measuring = try style.measuringCanvas()
        let contentWidth = width - 2 * style.margin
        // Class names get at most 40% of the width; longer ones are shortened with "…".
        let labelColumn = min(contentWidth * 0.4,
                              (before + after).map { measuring.measure($0.label, font: style.labelFont).width }.max() ?? 0)
        let barsLeft = style.margin + labelColumn + 10
        // Room on the right for a value written beside a full-length bar's neighbour.
        let barsRight = width - style.margin - 12
        let headingHeight = measuring.measure("Hg", font: style.headingFont).lineHeight + 6
        let groupHeight = { (count: Int) in headingHeight + Double(count) * ConfidenceChart.rowPitch }
        let titleHeight = drawTitle(labels.title, on: nil, measuring: measuring, style: style, at: 0, width: contentWidth)

        var legendEntries: [LegendEntry] = []
        if let targetLabel {
            legendEntries.append(LegendEntry(label: fill(labels.targetLegend, ["label": targetLabel]),
                                             color: style.target, sample: .swatch))
        }
        if originalClass != targetLabel {
            legendEntries.append(LegendEntry(label: fill(labels.originalLegend, ["label": originalClass]),
                                             color: style.original, sample: .swatch))
        }
        let legend = LegendLayout(entries: legendEntries, font: style.labelFont, maxWidth: contentWidth,
                                  measuring: measuring)
        let ticks = probabilityTicks(scale, language: language)
        let insets = PlotFrame.insets(yTickLabels: [], hasXTitle: true, hasYTitle: false, style: style,
                                      measuring: measuring)
        let plotTop = style.margin + titleHeight + (legend.height > 0 ? legend.height + 6 : 0)
        let plotHeight = groupHeight(before.count) + style.gap + groupHeight(after.count)
        let height = plotTop + plotHeight + insets.bottom + style.margin

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        legend.draw(on: canvas, at: Point(x: style.margin, y: plotTop - legend.height - 6), font: style.labelFont,
                    textColor: style.text)
        let x = probabilityMapping(scale, start: barsLeft, end: barsRight)
        let plotArea = Rect(x: barsLeft, y: plotTop, width: barsRight - barsLeft, height: plotHeight)
        let frame = PlotFrame(area: plotArea, x: x, y: AxisMapping(lower: 0, upper: 1, logarithmic: false, start: 0, end: 0),
                              xTicks: ticks, yTicks: [], xTitle: labels.axis, yTitle: nil)
        frame.draw(on: canvas, style: style, drawVerticalGridAndAxis: false)

        var top = plotTop
        for (heading, predictions) in [(labels.before, before), (labels.after, after)] {
            canvas.text(canvas.ellipsize(heading, font: style.headingFont, maxWidth: contentWidth),
                        at: Point(x: style.margin, y: top + 2), font: style.headingFont, color: style.text,
                        vertical: .top)
            top += headingHeight
            // Grid and axis only beside the bars, so the group headings stay free of lines.
            let barsBottom = top + Double(predictions.count) * ConfidenceChart.rowPitch
            frame.drawVerticalGrid(on: canvas, style: style, from: top, to: barsBottom)
            canvas.line(from: Point(x: barsLeft, y: top), to: Point(x: barsLeft, y: barsBottom), color: style.axis, width: 1)
            for prediction in predictions {
                let middle = top + ConfidenceChart.rowPitch / 2
                canvas.text(canvas.ellipsize(prediction.label, font: style.labelFont, maxWidth: labelColumn),
                            at: Point(x: barsLeft - 10, y: middle), font: style.labelFont, color: style.text,
                            horizontal: .trailing, vertical: .middle)
                let color = prediction.label == targetLabel ? style.target
                    : prediction.label == originalClass ? style.original : style.neutral
                let length = x.position(prediction.probability) - barsLeft
                let bar = Rect(x: barsLeft, y: middle - ConfidenceChart.barHeight / 2, width: length,
                               height: ConfidenceChart.barHeight)
                canvas.fill(bar, with: color)
                let value = language.percent(prediction.probability)
                let valueWidth = canvas.measure(value, font: style.valueFont).width
                if valueWidth + 12 <= length {
                    canvas.text(value, at: Point(x: bar.maxX - 6, y: middle), font: style.valueFont,
                                color: style.textColor(on: color), horizontal: .trailing, vertical: .middle)
                } else {
                    // Beside a short bar; a long value next to a nearly full bar goes inside the
                    // plot's right edge instead of past the figure's margin.
                    let left = min(bar.maxX + 5, width - style.margin - valueWidth)
                    canvas.text(value, at: Point(x: left, y: middle), font: style.valueFont, color: style.text,
                                vertical: .middle)
                }
                top += ConfidenceChart.rowPitch
            }
            top += style.gap
        }
        return try canvas.rendered(altText: altText(originalClass: originalClass))
    }

    private func altText(originalClass: String) -> String {
        let language = style.language
        func list(_ predictions: [Prediction]) -> String {
            language.list(predictions.map { "\($0.label) \(language.percent($0.probability))" })
        }
        let prefix = altTextPrefix(labels.title)
        let targetAfter = targetLabel.flatMap { target in after.first { $0.label == target } }
        switch language {
        case .english:
            var text = prefix + "Top \(before.count) classes before the attack: \(list(before)). "
                + "Top \(after.count) after the attack: \(list(after))."
            if let targetLabel {
                text += targetAfter != nil ? " The target class is \(targetLabel)."
                    : " The target class \(targetLabel) is not among them."
            }
            return text
        case .spanish:
            var text = prefix + "Las \(before.count) clases más probables antes del ataque: \(list(before)). "
                + "Después del ataque: \(list(after))."
            if let targetLabel {
                text += targetAfter != nil ? " La clase objetivo es \(targetLabel)."
                    : " La clase objetivo \(targetLabel) no está entre ellas."
            }
            return text
        }
    }
}
