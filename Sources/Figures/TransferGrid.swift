import Imaging

/// How well attacks transfer: a grid of models × attacks with the target's probability in
/// each cell, as a number on a colour-coded cell.
public struct TransferGrid: Sendable {
    /// The grid's words; `{label}` is the target class.
    public struct Labels: Sendable, Equatable {
        public var title: String?
        /// Header of the row names.
        public var models: String
        /// Header above the column names.
        public var attacks: String
        /// Title of the colour key.
        public var key: String
        /// Shown in cells without a value.
        public var missing: String

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            missing = "—"
            switch language {
            case .english:
                models = "Model"
                attacks = "Attack"
                key = "Probability of {label}"
            case .spanish:
                models = "Modelo"
                attacks = "Ataque"
                key = "Probabilidad de {label}"
            }
        }
    }

    /// Row names: the models the adversarial images were shown to.
    public var models: [String]
    /// Column names: the attacks (and the model they were made on).
    public var attacks: [String]
    /// `probabilities[model][attack]`: the target's probability, `nil` where not measured.
    public var probabilities: [[Double?]]
    public var targetLabel: String
    public var colorMap: ColorMap
    /// Width of each cell in points.
    public var cellWidth: Double
    public var labels: Labels
    public var style: FigureStyle

    public init(models: [String], attacks: [String], probabilities: [[Double?]], targetLabel: String,
                colorMap: ColorMap = .viridis, cellWidth: Double = 112, labels: Labels? = nil,
                style: FigureStyle = .standard) {
        self.models = models
        self.attacks = attacks
        self.probabilities = probabilities
        self.targetLabel = targetLabel
        self.colorMap = colorMap
        self.cellWidth = cellWidth
        self.labels = labels ?? Labels(language: style.language)
        self.style = style
    }

    static let cellHeight = 38.0

    /// Draws the grid.
    public func render() throws(FigureError) -> RenderedFigure {
        let figure = "TransferGrid"
        guard !models.isEmpty else { throw .noData(figure: figure, what: "models") }
        guard !attacks.isEmpty else { throw .noData(figure: figure, what: "attacks") }
        guard probabilities.count == models.count else {
            throw .lengthMismatch(figure: figure, what: "probabilities (rows)", expected: models.count,
                                  actual: probabilities.count)
        }
        for (model, row) in zip(models, probabilities) {
            guard row.count == attacks.count else {
                throw .lengthMismatch(figure: figure, what: "the row of \(model)", expected: attacks.count, actual: row.count)
            }
            for value in row.compactMap({ $0 }) {
                try validateProbability(value, figure: figure, what: "a probability in the row of \(model)")
            }
        }
        guard cellWidth.isFinite, cellWidth >= 48 else {
            throw .invalidValue(figure: figure, what: "cellWidth", value: cellWidth)
        }
        let language = style.language
        let measuring = try style.measuringCanvas()
        let boldLabel = Font(size: style.labelFont.size, weight: .bold)
        let lineHeight = measuring.measure("Hg", font: style.labelFont).lineHeight
        let rowHeaderWidth = min(220, max(measuring.measure(labels.models, font: boldLabel).width,
                                          models.map { measuring.measure($0, font: style.labelFont).width }.max() ?? 0))
        let columnHeaders = attacks.map {
            measuring.wrap($0, font: style.labelFont, maxWidth: cellWidth - 8, maxLines: 3)
        }
        let headerLines = columnHeaders.map(\.count).max() ?? 1
        let gridWidth = Double(attacks.count) * cellWidth
        let contentWidth = max(rowHeaderWidth + 12 + gridWidth, 260)
        let titleHeight = drawTitle(labels.title, on: nil, measuring: measuring, style: style, at: 0, width: contentWidth)
        let attacksHeadingHeight = lineHeight + 4
        let headerHeight = Double(headerLines) * lineHeight + 6
        let keyHeight = 14 + PlotFrame.tickLength + PlotFrame.tickLabelGap
            + measuring.measure("0", font: style.tickFont).lineHeight + lineHeight + 6
        let gridTop = style.margin + titleHeight + attacksHeadingHeight + headerHeight
        let height = gridTop + Double(models.count) * TransferGrid.cellHeight + style.gap + keyHeight + style.margin
        let width = 2 * style.margin + contentWidth

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        let gridLeft = style.margin + rowHeaderWidth + 12
        canvas.text(canvas.ellipsize(labels.attacks, font: boldLabel, maxWidth: gridWidth),
                    at: Point(x: gridLeft + gridWidth / 2, y: style.margin + titleHeight), font: boldLabel,
                    color: style.text, horizontal: .center, vertical: .top)
        canvas.text(canvas.ellipsize(labels.models, font: boldLabel, maxWidth: rowHeaderWidth),
                    at: Point(x: style.margin, y: gridTop - 6), font: boldLabel, color: style.text, vertical: .bottom)
        for (column, lines) in columnHeaders.enumerated() {
            let center = gridLeft + (Double(column) + 0.5) * cellWidth
            // Bottom-aligned so one-line and two-line headers sit on the same line above the grid.
            var y = gridTop - 6 - Double(lines.count - 1) * lineHeight
            for line in lines {
                canvas.text(line, at: Point(x: center, y: y), font: style.labelFont, color: style.text,
                            horizontal: .center, vertical: .bottom)
                y += lineHeight
            }
        }
        for (row, model) in models.enumerated() {
            let top = gridTop + Double(row) * TransferGrid.cellHeight
            canvas.text(canvas.ellipsize(model, font: style.labelFont, maxWidth: rowHeaderWidth),
                        at: Point(x: style.margin, y: top + TransferGrid.cellHeight / 2), font: style.labelFont,
                        color: style.text, vertical: .middle)
            for column in attacks.indices {
                let cell = Rect(x: gridLeft + Double(column) * cellWidth, y: top, width: cellWidth,
                                height: TransferGrid.cellHeight)
                let value = probabilities[row][column]
                let fillColor = value.map { colorMap.color(at: $0) } ?? Color(hex: 0xF2F2F2)
                canvas.fill(cell, with: fillColor)
                let text = value.map { language.percent($0) } ?? labels.missing
                canvas.text(text, at: Point(x: cell.midX, y: cell.midY), font: style.valueFont,
                            color: value == nil ? style.mutedText : style.textColor(on: fillColor),
                            horizontal: .center, vertical: .middle)
            }
        }
        // White separators between cells keep neighbouring cells of similar colour apart.
        for column in 1..<max(attacks.count, 1) {
            let x = gridLeft + Double(column) * cellWidth
            canvas.line(from: Point(x: x, y: gridTop), to: Point(x: x, y: gridTop + Double(models.count) * TransferGrid.cellHeight),
                        color: style.background, width: 2)
        }
        for row in 1..<max(models.count, 1) {
            let y = gridTop + Double(row) * TransferGrid.cellHeight
            canvas.line(from: Point(x: gridLeft, y: y), to: Point(x: gridLeft + gridWidth, y: y),
                        color: style.background, width: 2)
        }

        // Colour key: the map from 0 % to 100 % with three ticks.
        let keyTop = gridTop + Double(models.count) * TransferGrid.cellHeight + style.gap
        let keyTitle = fill(labels.key, ["label": targetLabel])
        canvas.text(canvas.ellipsize(keyTitle, font: style.labelFont, maxWidth: contentWidth),
                    at: Point(x: style.margin, y: keyTop), font: style.labelFont, color: style.mutedText, vertical: .top)
        let keyBar = Rect(x: style.margin, y: keyTop + lineHeight + 4, width: min(260, contentWidth), height: 12)
        var keyPixels: [UInt8] = []
        for entry in 0..<256 {
            let (red, green, blue) = colorMap.rgb8(entry)
            keyPixels += [red, green, blue]
        }
        try canvas.draw(RGBImage(width: 256, height: 1, pixels: keyPixels), in: keyBar)
        for value in [0.0, 0.5, 1.0] {
            let x = keyBar.minX + value * keyBar.width
            canvas.line(from: Point(x: x, y: keyBar.maxY), to: Point(x: x, y: keyBar.maxY + PlotFrame.tickLength),
                        color: style.axis, width: 1)
            canvas.text(language.percentTick(value), at: Point(x: x, y: keyBar.maxY + PlotFrame.tickLength + PlotFrame.tickLabelGap),
                        font: style.tickFont, color: style.mutedText,
                        horizontal: value == 0 ? .leading : value == 1 ? .trailing : .center, vertical: .top)
        }
        return try canvas.rendered(altText: altText())
    }

    private func altText() -> String {
        let language = style.language
        let prefix = altTextPrefix(labels.title)
        let rows = zip(models, probabilities).map { model, row -> String in
            let cells = zip(attacks, row).map { attack, value in
                "\(attack) \(value.map { language.percent($0) } ?? labels.missing)"
            }
            return "\(model): " + language.list(cells)
        }
        switch language {
        case .english:
            return prefix + "Probability of \(targetLabel) for each model under each attack. " + rows.joined(separator: "; ") + "."
        case .spanish:
            return prefix + "Probabilidad de \(targetLabel) en cada modelo con cada ataque. " + rows.joined(separator: "; ") + "."
        }
    }
}
