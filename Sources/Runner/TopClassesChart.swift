import Figures
import Imaging

/// A `classify` block's figure: for each image, the crop the network saw beside bars of its
/// most probable classes. The top class is drawn in the "original class" colour and named in
/// the alt text, so nothing depends on colour alone.
struct TopClassesChart {
    struct Group {
        /// The lesson-relative image path, shown above the bars.
        var heading: String
        var image: RGBImage
        var classes: [RankedClass]
    }

    var groups: [Group]
    /// "EfficientNet-Lite0", for the alt text.
    var model: String
    var style: FigureStyle
    var width = 640.0

    static let thumbnailSide = 112.0
    static let rowPitch = 24.0
    static let barHeight = 16.0

    func render() throws(FigureError) -> RenderedFigure {
        guard !groups.isEmpty else { throw .noData(figure: "TopClassesChart", what: "images") }
        let language = style.language
        let margin = style.margin
        let measuring = try Canvas.measuring(fontFamily: style.fontFamily)
        let allLabels = groups.flatMap { $0.classes.map(\.label) }
        let labelColumn = min(200, allLabels.map { measuring.measure($0, font: style.labelFont).width }.max() ?? 0)
        let headingHeight = measuring.measure("Hg", font: style.headingFont).lineHeight + 8
        let barsLeft = margin + Self.thumbnailSide + style.gap + labelColumn + 10
        let valueRoom = measuring.measure(language.percent(0.999), font: style.valueFont).width + 10
        let barsRight = width - margin - valueRoom
        func groupHeight(_ group: Group) -> Double {
            max(Self.thumbnailSide, headingHeight + Double(group.classes.count) * Self.rowPitch)
        }
        let height = 2 * margin + groups.map(groupHeight).reduce(0, +) + Double(groups.count - 1) * style.gap

        let canvas = try Canvas(width: width, height: height.rounded(.up), scale: style.scale,
                                background: style.background, fontFamily: style.fontFamily)
        var top = margin
        for group in groups {
            let side = Self.thumbnailSide
            let thumbnail = Rect(x: margin, y: top, width: side, height: side * Double(group.image.height)
                                    / Double(max(1, group.image.width)))
            try canvas.draw(group.image, in: thumbnail)
            canvas.frame(thumbnail, color: style.frame)
            let textLeft = margin + side + style.gap
            canvas.text(shortened(group.heading, to: width - margin - textLeft, font: style.headingFont, on: canvas),
                        at: Point(x: textLeft, y: top + 2), font: style.headingFont, color: style.text, vertical: .top)
            var row = top + headingHeight
            for (rank, ranked) in group.classes.enumerated() {
                let middle = row + Self.rowPitch / 2
                canvas.text(shortened(ranked.label, to: labelColumn, font: style.labelFont, on: canvas),
                            at: Point(x: barsLeft - 10, y: middle), font: style.labelFont, color: style.text,
                            horizontal: .trailing, vertical: .middle)
                let probability = min(max(Double(ranked.probability), 0), 1)
                let length = max(1, (barsRight - barsLeft) * probability)
                let color = rank == 0 ? style.original : style.neutral
                canvas.fill(Rect(x: barsLeft, y: middle - Self.barHeight / 2, width: length, height: Self.barHeight),
                            with: color)
                canvas.text(language.percent(probability), at: Point(x: barsLeft + length + 5, y: middle),
                            font: style.valueFont, color: style.text, vertical: .middle)
                row += Self.rowPitch
            }
            canvas.line(from: Point(x: barsLeft, y: top + headingHeight), to: Point(x: barsLeft, y: row),
                        color: style.axis, width: 1)
            top += groupHeight(group) + style.gap
        }
        return RenderedFigure(png: try canvas.pngData(), pixelWidth: canvas.pixelWidth, pixelHeight: canvas.pixelHeight,
                              logicalWidth: canvas.width, logicalHeight: canvas.height, altText: altText())
    }

    private func altText() -> String {
        let language = style.language
        return groups.map { group in
            let list = group.classes.map { "\($0.label) \(language.percent(Double($0.probability)))" }
            switch language {
            case .spanish:
                return "Las \(group.classes.count) clases más probables de \(group.heading) según \(model): "
                    + list.joined(separator: ", ") + "."
            case .english:
                return "The \(group.classes.count) most probable classes of \(group.heading) according to \(model): "
                    + list.joined(separator: ", ") + "."
            }
        }.joined(separator: " ")
    }

    /// `text`, cut with "…" until it fits `width`.
    private func shortened(_ text: String, to width: Double, font: Font, on canvas: Canvas) -> String {
        guard canvas.measure(text, font: font).width > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty, canvas.measure(String(characters) + "…", font: font).width > width {
            characters.removeLast()
        }
        return String(characters) + "…"
    }
}
