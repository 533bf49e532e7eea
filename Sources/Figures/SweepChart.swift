/// An attack's strength against its budget: success rate or target probability against ε,
/// with ε in grey levels (k/255), one line with markers per series.
public struct SweepChart: Sendable {
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

        public init(epsilon: Double, value: Double) {
            self.epsilon = epsilon
            self.value = value
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

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            switch language {
            case .english:
                epsilon = "ε (grey levels, k/255)"
                successRate = "Success rate"
                targetProbability = "Target probability"
            case .spanish:
                epsilon = "ε (niveles de gris, k/255)"
                successRate = "Tasa de éxito"
                targetProbability = "Probabilidad del objetivo"
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
        let legend = LegendLayout(entries: entries, font: style.labelFont, maxWidth: contentWidth, measuring: measuring)
        let insets = PlotFrame.insets(yTickLabels: yTicks.map(\.label), hasXTitle: true, hasYTitle: true, style: style,
                                      measuring: measuring)
        let plotTop = style.margin + titleHeight + legend.height + 8
        let height = plotTop + plotHeight + insets.bottom + style.margin

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        legend.draw(on: canvas, at: Point(x: style.margin, y: plotTop - legend.height - 8), font: style.labelFont,
                    textColor: style.text)
        // A few points of air inside the frame so markers at 0 % or 100 % are not cut in half.
        let area = Rect(x: style.margin + insets.left, y: plotTop, width: width - 2 * style.margin - insets.left - 8,
                        height: plotHeight)
        let x = AxisMapping(lower: epsilonTicks.lower, upper: epsilonTicks.upper, logarithmic: false,
                            start: area.minX + 6, end: area.maxX - 6)
        let y = probabilityMapping(scale, start: area.maxY - 6, end: area.minY + 6)
        PlotFrame(area: area, x: x, y: y, xTicks: epsilonTicks.values.map { ($0, language.compact($0)) }, yTicks: yTicks,
                  xTitle: labels.epsilon, yTitle: yTitle)
            .draw(on: canvas, style: style)
        for (index, entry) in series.enumerated() {
            let color = style.seriesColor(index)
            let points = entry.samples.sorted { $0.epsilon < $1.epsilon }
                .map { Point(x: x.position($0.epsilon), y: y.position($0.value)) }
            canvas.polyline(points, color: color, width: 2)
            for point in points {
                MarkerShape.forSeries(index).draw(on: canvas, at: point, size: 8, color: color)
            }
        }
        return try canvas.rendered(altText: altText(yTitle: yTitle))
    }

    private func altText(yTitle: String) -> String {
        let language = style.language
        let prefix = altTextPrefix(labels.title)
        let sentences = series.map { entry -> String in
            let points = entry.samples.sorted { $0.epsilon < $1.epsilon }
                .map { "ε = \(language.compact($0.epsilon)): \(language.percent($0.value))" }
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
