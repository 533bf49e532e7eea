import Foundation

/// How a probability axis is scaled.
public enum ProbabilityScale: Sendable, Equatable {
    /// 0 … 1, ticks every 20 %.
    case linear
    /// `minimum` … 1 in decades; values below `minimum` are drawn at `minimum`.
    /// Useful once the target probability is tiny at the start of an attack.
    case logarithmic(minimum: Double)

    func validated(figure: String) throws(FigureError) -> ProbabilityScale {
        if case let .logarithmic(minimum) = self {
            guard minimum.isFinite, minimum > 0, minimum < 1 else {
                throw .invalidValue(figure: figure, what: "the logarithmic scale's minimum", value: minimum)
            }
            // Snap to a decade so the axis starts at a labelled tick.
            return .logarithmic(minimum: pow(10, floor(log10(minimum))))
        }
        return self
    }
}

/// Maps data values to positions along one axis of a plot.
struct AxisMapping {
    var lower: Double
    var upper: Double
    var logarithmic: Bool
    /// Position of `lower` on the canvas.
    var start: Double
    /// Position of `upper` on the canvas.
    var end: Double

    func position(_ value: Double) -> Double {
        let fraction: Double
        if logarithmic {
            let low = log10(lower), high = log10(upper)
            fraction = (log10(max(value, lower)) - low) / (high - low)
        } else {
            fraction = upper == lower ? 0 : (value - lower) / (upper - lower)
        }
        return start + (end - start) * fraction
    }
}

/// Tick positions that people can read at a glance.
enum Ticks {
    /// Ticks at 1, 2 or 5 × 10ⁿ apart covering `lower…upper`, about `count` of them;
    /// the returned range is widened to whole steps so the axis ends on a tick.
    static func nice(lower: Double, upper: Double, count: Int, wholeNumbers: Bool = false)
        -> (lower: Double, upper: Double, values: [Double]) {
        var low = lower, high = upper
        if !(high > low) { high = low + (wholeNumbers ? 1 : max(abs(low) * 0.1, 1)) }
        let rough = (high - low) / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(rough)))
        let residual = rough / magnitude
        var step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude
        if wholeNumbers { step = max(1, step.rounded()) }
        low = floor(low / step + 1e-9) * step
        high = ceil(high / step - 1e-9) * step
        let stepCount = Int(((high - low) / step).rounded())
        // Each tick is rounded to the step's decimal places and divided by a power of ten,
        // so ticks are the doubles nearest 0.6, not 3 × 0.2 = 0.6000000000000001.
        let decimals = max(0, -Int(floor(log10(step))))
        let power = pow(10, Double(decimals))
        let values = (0...stepCount).map { index in
            ((low + Double(index) * step) * power).rounded() / power
        }
        return (low, high, values)
    }

    /// Powers of ten from `lower` to `upper` (both powers of ten).
    static func decades(lower: Double, upper: Double) -> [Double] {
        let first = Int(floor(log10(lower) + 1e-9)), last = Int(ceil(log10(upper) - 1e-9))
        return (first...max(first, last)).map { pow(10, Double($0)) }
    }
}

/// Marker shapes that tell series apart without relying on colour.
enum MarkerShape: CaseIterable {
    case circle, square, triangle, diamond

    static func forSeries(_ index: Int) -> MarkerShape {
        allCases[index % allCases.count]
    }

    func draw(on canvas: Canvas, at center: Point, size: Double, color: Color) {
        let r = size / 2
        switch self {
        case .circle:
            canvas.fillCircle(center: center, radius: r, with: color)
        case .square:
            let side = r * 1.7
            canvas.fill(Rect(x: center.x - side / 2, y: center.y - side / 2, width: side, height: side),
                        with: color, snapToPixels: false)
        case .triangle:
            canvas.fillPolygon([Point(x: center.x, y: center.y - r * 1.15),
                                Point(x: center.x + r * 1.1, y: center.y + r * 0.8),
                                Point(x: center.x - r * 1.1, y: center.y + r * 0.8)], with: color)
        case .diamond:
            canvas.fillPolygon([Point(x: center.x, y: center.y - r * 1.25), Point(x: center.x + r, y: center.y),
                                Point(x: center.x, y: center.y + r * 1.25), Point(x: center.x - r, y: center.y)],
                               with: color)
        }
    }

    /// The shape as an outline: the shape in `color` with its inside in `background`, so a line
    /// passing under it does not show through.
    func drawHollow(on canvas: Canvas, at center: Point, size: Double, color: Color, background: Color) {
        draw(on: canvas, at: center, size: size, color: color)
        // The inner shape is smaller by about two points of outline on every side; a triangle's
        // sides slope, so it needs a little more.
        let inset = self == .triangle ? 5.0 : 4.0
        draw(on: canvas, at: center, size: max(1, size - inset), color: background)
    }
}

/// One entry of a legend: a sample (line, marker or swatch) and its label.
struct LegendEntry {
    enum Sample {
        case line(dash: [Double], marker: MarkerShape?)
        case swatch
        /// A lone circle, filled or hollow (a chart's success marks).
        case marker(hollow: Bool)
    }

    var label: String
    var color: Color
    var sample: Sample
}

/// Legend entries laid out left to right, wrapping onto new rows within a width.
struct LegendLayout {
    static let sampleWidth = 26.0
    static let sampleGap = 6.0
    static let entryGap = 18.0

    var placements: [(entry: LegendEntry, origin: Point, labelWidth: Double)]
    var height: Double
    var rowHeight: Double
    /// The figure's background, inside hollow markers.
    var background: Color

    init(entries: [LegendEntry], font: Font, maxWidth: Double, measuring canvas: Canvas, background: Color = .white) {
        self.background = background
        let metrics = canvas.measure("Hg", font: font)
        rowHeight = metrics.lineHeight + 6
        var x = 0.0, y = 0.0
        placements = []
        for entry in entries {
            let labelRoom = maxWidth - LegendLayout.sampleWidth - LegendLayout.sampleGap
            let label = canvas.ellipsize(entry.label, font: font, maxWidth: labelRoom)
            let labelWidth = canvas.measure(label, font: font).width
            let entryWidth = LegendLayout.sampleWidth + LegendLayout.sampleGap + labelWidth
            if x > 0, x + entryWidth > maxWidth {
                x = 0
                y += rowHeight
            }
            var shortened = entry
            shortened.label = label
            placements.append((shortened, Point(x: x, y: y), labelWidth))
            x += entryWidth + LegendLayout.entryGap
        }
        height = entries.isEmpty ? 0 : y + rowHeight
    }

    func draw(on canvas: Canvas, at origin: Point, font: Font, textColor: Color) {
        for placement in placements {
            let left = origin.x + placement.origin.x
            let middle = origin.y + placement.origin.y + rowHeight / 2
            let color = placement.entry.color
            switch placement.entry.sample {
            case let .line(dash, marker):
                canvas.line(from: Point(x: left, y: middle), to: Point(x: left + LegendLayout.sampleWidth, y: middle),
                            color: color, width: 2.5, dash: dash)
                marker?.draw(on: canvas, at: Point(x: left + LegendLayout.sampleWidth / 2, y: middle), size: 7,
                             color: color)
            case .swatch:
                canvas.fillRoundedRectangle(Rect(x: left + 4, y: middle - 6, width: LegendLayout.sampleWidth - 8,
                                                 height: 12), radius: 2, with: color)
            case .marker(let hollow):
                let center = Point(x: left + LegendLayout.sampleWidth / 2, y: middle)
                if hollow {
                    MarkerShape.circle.drawHollow(on: canvas, at: center, size: 10, color: color, background: background)
                } else {
                    MarkerShape.circle.draw(on: canvas, at: center, size: 10, color: color)
                }
            }
            canvas.text(placement.entry.label,
                        at: Point(x: left + LegendLayout.sampleWidth + LegendLayout.sampleGap, y: middle),
                        font: font, color: textColor, vertical: .middle)
        }
    }
}

/// Draws the frame of a cartesian plot: grid lines, axis lines, ticks, tick labels and axis
/// titles. The data is drawn afterwards by the figure, clipped to `area`.
struct PlotFrame {
    var area: Rect
    var x: AxisMapping
    var y: AxisMapping
    var xTicks: [(value: Double, label: String)]
    var yTicks: [(value: Double, label: String)]
    var xTitle: String?
    var yTitle: String?

    static let tickLength = 4.0
    static let tickLabelGap = 3.0

    /// Space needed left of and below the plot area for ticks, labels and titles.
    static func insets(yTickLabels: [String], hasXTitle: Bool, hasYTitle: Bool, style: FigureStyle,
                       measuring canvas: Canvas) -> (left: Double, bottom: Double) {
        let widest = yTickLabels.map { canvas.measure($0, font: style.tickFont).width }.max() ?? 0
        let tickHeight = canvas.measure("0", font: style.tickFont).lineHeight
        let titleHeight = canvas.measure("Hg", font: style.labelFont).lineHeight
        let left = widest + tickLength + tickLabelGap + 2 + (hasYTitle ? titleHeight + 6 : 0)
        let bottom = tickLength + tickLabelGap + tickHeight + (hasXTitle ? titleHeight + 6 : 0)
        return (left, bottom)
    }

    /// - Parameters:
    ///   - drawXTickLabels: `false` for a panel stacked above another that labels the shared x axis.
    ///   - drawVerticalGridAndAxis: `false` when the figure draws them itself in pieces (the
    ///     confidence chart keeps its group headings free of lines).
    func draw(on canvas: Canvas, style: FigureStyle, drawXTickLabels: Bool = true,
              drawVerticalGridAndAxis: Bool = true) {
        for tick in yTicks {
            let position = y.position(tick.value)
            canvas.line(from: Point(x: area.minX, y: position), to: Point(x: area.maxX, y: position),
                        color: style.grid, width: 1)
        }
        if drawVerticalGridAndAxis {
            drawVerticalGrid(on: canvas, style: style, from: area.minY, to: area.maxY)
            canvas.line(from: Point(x: area.minX, y: area.minY), to: Point(x: area.minX, y: area.maxY),
                        color: style.axis, width: 1)
        }
        canvas.line(from: Point(x: area.minX, y: area.maxY), to: Point(x: area.maxX, y: area.maxY),
                    color: style.axis, width: 1)
        var widestYLabel = 0.0
        for tick in yTicks {
            let position = y.position(tick.value)
            canvas.line(from: Point(x: area.minX - PlotFrame.tickLength, y: position),
                        to: Point(x: area.minX, y: position), color: style.axis, width: 1)
            canvas.text(tick.label, at: Point(x: area.minX - PlotFrame.tickLength - PlotFrame.tickLabelGap, y: position),
                        font: style.tickFont, color: style.mutedText, horizontal: .trailing, vertical: .middle)
            widestYLabel = max(widestYLabel, canvas.measure(tick.label, font: style.tickFont).width)
        }
        let tickMetrics = canvas.measure("0", font: style.tickFont)
        for tick in xTicks {
            let position = x.position(tick.value)
            canvas.line(from: Point(x: position, y: area.maxY), to: Point(x: position, y: area.maxY + PlotFrame.tickLength),
                        color: style.axis, width: 1)
            if drawXTickLabels {
                canvas.text(tick.label, at: Point(x: position, y: area.maxY + PlotFrame.tickLength + PlotFrame.tickLabelGap),
                            font: style.tickFont, color: style.mutedText, horizontal: .center, vertical: .top)
            }
        }
        if let xTitle, drawXTickLabels {
            let top = area.maxY + PlotFrame.tickLength + PlotFrame.tickLabelGap + tickMetrics.lineHeight + 6
            canvas.text(canvas.ellipsize(xTitle, font: style.labelFont, maxWidth: area.width),
                        at: Point(x: area.midX, y: top), font: style.labelFont, color: style.text,
                        horizontal: .center, vertical: .top)
        }
        if let yTitle {
            let titleMetrics = canvas.measure("Hg", font: style.labelFont)
            let x = area.minX - PlotFrame.tickLength - PlotFrame.tickLabelGap - widestYLabel - 8 - titleMetrics.descent
            canvas.text(canvas.ellipsize(yTitle, font: style.labelFont, maxWidth: area.height),
                        at: Point(x: x, y: area.midY), font: style.labelFont, color: style.text,
                        horizontal: .center, vertical: .baseline, rotation: Double.pi / 2)
        }
    }
}

extension PlotFrame {
    /// Vertical grid lines at the x ticks between two heights.
    func drawVerticalGrid(on canvas: Canvas, style: FigureStyle, from top: Double, to bottom: Double) {
        for tick in xTicks {
            let position = x.position(tick.value)
            canvas.line(from: Point(x: position, y: top), to: Point(x: position, y: bottom), color: style.grid, width: 1)
        }
    }
}

/// Tick values and labels for a probability axis in either scale.
func probabilityTicks(_ scale: ProbabilityScale, language: FigureLanguage) -> [(value: Double, label: String)] {
    switch scale {
    case .linear:
        return stride(from: 0, through: 10, by: 2).map { step in
            let value = Double(step) / 10
            return (value, language.percentTick(value))
        }
    case let .logarithmic(minimum):
        return Ticks.decades(lower: minimum, upper: 1).map { ($0, language.percentTick($0)) }
    }
}

/// The axis mapping for a probability axis in either scale.
func probabilityMapping(_ scale: ProbabilityScale, start: Double, end: Double) -> AxisMapping {
    switch scale {
    case .linear:
        return AxisMapping(lower: 0, upper: 1, logarithmic: false, start: start, end: end)
    case let .logarithmic(minimum):
        return AxisMapping(lower: minimum, upper: 1, logarithmic: true, start: start, end: end)
    }
}

/// Draws a figure title (wrapped to two lines) and returns the height it used.
@discardableResult
func drawTitle(_ title: String?, on canvas: Canvas?, measuring: Canvas, style: FigureStyle, at top: Double,
               width: Double) -> Double {
    guard let title, !title.isEmpty else { return 0 }
    let lines = measuring.wrap(title, font: style.titleFont, maxWidth: width, maxLines: 2)
    let lineHeight = measuring.measure("Hg", font: style.titleFont).lineHeight
    if let canvas {
        for (index, line) in lines.enumerated() {
            canvas.text(line, at: Point(x: style.margin, y: top + Double(index) * lineHeight),
                        font: style.titleFont, color: style.text, vertical: .top)
        }
    }
    return Double(lines.count) * lineHeight + 8
}
