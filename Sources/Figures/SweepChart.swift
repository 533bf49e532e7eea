/// An attack's strength against its budget: success rate or target probability against ε,
/// with ε in grey levels (k/255), one line with markers per series.
///
/// When samples say whether the attack succeeded there, a success is a filled marker and a
/// failure a hollow one, and the legend explains both: a target probability of 40 % can be a
/// success (the target is the top-1) and one of 45 % a failure, so the value alone does not tell.
public struct SweepChart: Sendable {
    /// Identifies this drawing in cache keys: bump it when the layout, colours or words change,
    /// so that a cached PNG of the old drawing is drawn again.
    public static let drawingVersion = "sweep chart 4"

    /// What the y axis measures.
    public enum Quantity: Sendable, Equatable {
        /// The share of images for which the attack succeeded.
        case successRate
        /// The target class's probability.
        case targetProbability
    }

    /// One measurement: ε in grey levels and the value at that ε.
    public struct Sample: Sendable, Equatable {
        /// L∞ bound in grey levels (ε = k/255 on the [0, 1] scale means k here).
        public var epsilon: Double
        /// Success rate or probability in [0, 1].
        public var value: Double
        /// Whether the attack succeeded at this ε (filled or hollow marker); nil when the chart
        /// does not say (a success rate says it by itself).
        public var succeeded: Bool?

        public init(epsilon: Double, value: Double, succeeded: Bool? = nil) {
            self.epsilon = epsilon
            self.value = value
            self.succeeded = succeeded
        }
    }

    /// One attack (or model) measured at several ε.
    public struct Series: Sendable, Equatable {
        public var name: String
        public var samples: [Sample]

        public init(name: String, samples: [Sample]) {
            self.name = name
            self.samples = samples
        }
    }

    /// The chart's words.
    public struct Labels: Sendable, Equatable {
        public var title: String?
        public var epsilon: String
        public var successRate: String
        public var targetProbability: String
        /// The legend's keys for filled and hollow markers.
        public var succeeded: String
        public var failed: String
        /// Appended to a value in the alt text when the attack succeeded or failed there.
        public var succeededNote: String
        public var failedNote: String

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            switch language {
            case .english:
                epsilon = "ε (grey levels, k/255)"
                successRate = "Success rate"
                targetProbability = "Target probability"
                succeeded = "success (top-1 is the target)"
                failed = "failure"
                succeededNote = "success"
                failedNote = "failure"
            case .spanish:
                epsilon = "ε (niveles de gris, k/255)"
                successRate = "Tasa de éxito"
                targetProbability = "Probabilidad del objetivo"
                succeeded = "éxito (la clase ganadora es el objetivo)"
                failed = "fracaso"
                succeededNote = "éxito"
                failedNote = "fracaso"
            }
        }
    }

    public var series: [Series]
    public var quantity: Quantity
    public var scale: ProbabilityScale
    public var width: Double
    public var plotHeight: Double
    public var labels: Labels
    public var style: FigureStyle

    public init(series: [Series], quantity: Quantity = .successRate, scale: ProbabilityScale = .linear,
                width: Double = 640, plotHeight: Double = 260, labels: Labels? = nil, style: FigureStyle = .standard) {
        self.series = series
        self.quantity = quantity
        self.scale = scale
        self.width = width
        self.plotHeight = plotHeight
        self.labels = labels ?? Labels(language: style.language)
        self.style = style
    }

    /// Draws the chart.
    public func render() throws(FigureError) -> RenderedFigure {
        let figure = "SweepChart"
        guard series.contains(where: { !$0.samples.isEmpty }) else { throw .noData(figure: figure, what: "series") }
        guard width.isFinite, width >= 300 else { throw .invalidValue(figure: figure, what: "width", value: width) }
        guard plotHeight.isFinite, plotHeight >= 80 else {
            throw .invalidValue(figure: figure, what: "plotHeight", value: plotHeight)
        }
        for entry in series {
            for sample in entry.samples {
                guard sample.epsilon.isFinite, sample.epsilon >= 0, sample.epsilon <= 255 else {
                    throw .invalidValue(figure: figure, what: "ε of \(entry.name)", value: sample.epsilon)
                }
                try validateProbability(sample.value, figure: figure, what: "a value of \(entry.name)")
            }
        }
        let scale = try self.scale.validated(figure: figure)
        let language = style.language
        let epsilons = series.flatMap { $0.samples.map(\.epsilon) }
        let wholeLevels = epsilons.allSatisfy { $0 == $0.rounded() }
        let epsilonTicks = Ticks.nice(lower: 0, upper: epsilons.max() ?? 1, count: 8, wholeNumbers: wholeLevels)
        let yTicks = probabilityTicks(scale, language: language)
        let yTitle = quantity == .successRate ? labels.successRate : labels.targetProbability

        let measuring = try style.measuringCanvas()
        let contentWidth = width - 2 * style.margin
        let titleHeight = drawTitle(labels.title, on: nil, measuring: measuring, style: style, at: 0, width: contentWidth)
        let entries = series.enumerated().map { index, entry in
            LegendEntry(label: entry.name, color: style.seriesColor(index),
                        sample: .line(dash: [], marker: MarkerShape.forSeries(index)))
        }
        let marksSuccess = series.contains { $0.samples.contains { $0.succeeded != nil } }
        let legend = LegendLayout(entries: entries, font: style.labelFont, maxWidth: contentWidth, measuring: measuring)
        // The marker key gets a row of its own under the series, in the quieter tick font.
        let markerKey = marksSuccess
            ? LegendLayout(entries: [LegendEntry(label: labels.succeeded, color: style.mutedText, sample: .marker(hollow: false)),
                                     LegendEntry(label: labels.failed, color: style.mutedText, sample: .marker(hollow: true))],
                           font: style.tickFont, maxWidth: contentWidth, measuring: measuring, background: style.background)
            : nil
        let legendHeight = legend.height + (markerKey.map { $0.height + 2 } ?? 0)
        let insets = PlotFrame.insets(yTickLabels: yTicks.map(\.label), hasXTitle: true, hasYTitle: true, style: style,
                                      measuring: measuring)
        let plotTop = style.margin + titleHeight + legendHeight + 8
        let height = plotTop + plotHeight + insets.bottom + style.margin

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        legend.draw(on: canvas, at: Point(x: style.margin, y: plotTop - legendHeight - 8), font: style.labelFont,
                    textColor: style.text)
        markerKey?.draw(on: canvas, at: Point(x: style.margin, y: plotTop - legendHeight - 8 + legend.height + 2),
                        font: style.tickFont, textColor: style.mutedText)
        // A few points of air inside the frame so markers at 0 % or 100 % are not cut in half.
        let area = Rect(x: style.margin + insets.left, y: plotTop, width: width - 2 * style.margin - insets.left - 8,
                        height: plotHeight)
        // Attacks often tie (0 % or 100 % at the same ε): each series is drawn a few points to the
        // side of the next, so that no marker hides another. The shift is a small fraction of a
        // grey level, and the alt text and table give the exact values.
        let dodge = series.count > 1 ? min(5.0, (area.width / 40) / Double(series.count - 1)) : 0
        let widestShift = dodge * Double(series.count - 1) / 2
        let x = AxisMapping(lower: epsilonTicks.lower, upper: epsilonTicks.upper, logarithmic: false,
                            start: area.minX + 6 + widestShift, end: area.maxX - 6 - widestShift)
        let y = probabilityMapping(scale, start: area.maxY - 6, end: area.minY + 6)
        PlotFrame(area: area, x: x, y: y, xTicks: epsilonTicks.values.map { ($0, language.compact($0)) }, yTicks: yTicks,
                  xTitle: labels.epsilon, yTitle: yTitle)
            .draw(on: canvas, style: style)
        for (index, entry) in series.enumerated() {
            let color = style.seriesColor(index)
            let samples = entry.samples.sorted { $0.epsilon < $1.epsilon }
            let shift = (Double(index) - Double(series.count - 1) / 2) * dodge
            let points = samples.map { Point(x: x.position($0.epsilon) + shift, y: y.position($0.value)) }
            canvas.polyline(points, color: color, width: 2)
            let shape = MarkerShape.forSeries(index)
            for (sample, point) in zip(samples, points) {
                if sample.succeeded == false {
                    shape.drawHollow(on: canvas, at: point, size: 10, color: color, background: style.background)
                } else {
                    shape.draw(on: canvas, at: point, size: marksSuccess ? 10 : 8, color: color)
                }
            }
        }
        return try canvas.rendered(altText: altText(yTitle: yTitle))
    }

    private func altText(yTitle: String) -> String {
        let language = style.language
        let prefix = altTextPrefix(labels.title)
        let sentences = series.map { entry -> String in
            let points = entry.samples.sorted { $0.epsilon < $1.epsilon }.map { sample in
                let note = sample.succeeded.map { " (\($0 ? labels.succeededNote : labels.failedNote))" } ?? ""
                return "ε = \(language.compact(sample.epsilon)): \(language.percent(sample.value))\(note)"
            }
            return "\(entry.name): " + points.joined(separator: ", ")
        }
        switch language {
        case .english:
            return prefix + "\(yTitle) against ε in grey levels. " + sentences.joined(separator: "; ") + "."
        case .spanish:
            return prefix + "\(yTitle) frente a ε en niveles de gris. " + sentences.joined(separator: "; ") + "."
        }
    }
}
