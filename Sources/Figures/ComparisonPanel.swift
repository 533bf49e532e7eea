import Imaging

/// Original | perturbation | adversarial, each titled with its top-1 class and probability.
///
/// The perturbation is shown amplified around mid-grey (128 + amplification · δ, clamped),
/// with the factor written on it, because a perturbation of a few grey levels is invisible
/// otherwise. Several rows put several attacks side by side — the talk's two attacks,
/// unbounded and bounded, are the intended use.
public struct ComparisonPanel: Sendable {
    /// One attack: its original, its adversarial image and what the model said about each.
    public struct Row: Sendable {
        /// Shown above the row when the panel has several ("Attack 1: unbounded").
        public var heading: String?
        public var original: RGBImage
        /// The saved 8-bit adversarial image, as the network sees it.
        public var adversarial: RGBImage
        /// Top-1 class of the original.
        public var originalPrediction: Prediction
        /// Top-1 class of the adversarial image, measured on the saved 8-bit image.
        public var adversarialPrediction: Prediction

        public init(heading: String? = nil, original: RGBImage, adversarial: RGBImage,
                    originalPrediction: Prediction, adversarialPrediction: Prediction) {
            self.heading = heading
            self.original = original
            self.adversarial = adversarial
            self.originalPrediction = originalPrediction
            self.adversarialPrediction = adversarialPrediction
        }
    }

    /// The panel's words; `{factor}` and `{value}` are replaced by numbers.
    public struct Labels: Sendable, Equatable {
        public var title: String?
        public var original: String
        public var perturbation: String
        public var adversarial: String
        /// The amplification badge, e.g. "×{factor}".
        public var amplification: String
        /// Under the perturbation, e.g. "max |δ| = {value}" ({value} in grey levels).
        public var perturbationCaption: String

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            amplification = "×{factor}"
            switch language {
            case .english:
                original = "Original"
                perturbation = "Perturbation"
                adversarial = "Adversarial"
                perturbationCaption = "max |δ| = {value}"
            case .spanish:
                original = "Original"
                perturbation = "Perturbación"
                adversarial = "Adversaria"
                perturbationCaption = "máx. |δ| = {value}"
            }
        }
    }

    public var rows: [Row]
    /// The factor applied to δ in the perturbation column; `nil` picks one per row so the
    /// largest |δ| spans most of the grey range (see `Perturbation.automaticAmplification`).
    public var amplification: Double?
    /// Width of each image in points; the height follows the image's aspect ratio.
    public var imageWidth: Double
    public var labels: Labels
    public var style: FigureStyle

    /// A panel for one attack.
    public init(original: RGBImage, adversarial: RGBImage, originalPrediction: Prediction,
                adversarialPrediction: Prediction, amplification: Double? = nil, imageWidth: Double = 200,
                labels: Labels? = nil, style: FigureStyle = .standard) {
        self.init(rows: [Row(original: original, adversarial: adversarial, originalPrediction: originalPrediction,
                             adversarialPrediction: adversarialPrediction)],
                  amplification: amplification, imageWidth: imageWidth, labels: labels, style: style)
    }

    /// A panel with one row per attack.
    public init(rows: [Row], amplification: Double? = nil, imageWidth: Double = 200, labels: Labels? = nil,
                style: FigureStyle = .standard) {
        self.rows = rows
        self.amplification = amplification
        self.imageWidth = imageWidth
        self.labels = labels ?? Labels(language: style.language)
        self.style = style
    }

    /// Draws the panel.
    public func render() throws(FigureError) -> RenderedFigure {
        let figure = "ComparisonPanel"
        guard !rows.isEmpty else { throw .noData(figure: figure, what: "rows") }
        guard imageWidth.isFinite, imageWidth >= 40 else {
            throw .invalidValue(figure: figure, what: "imageWidth", value: imageWidth)
        }
        if let amplification, !(amplification.isFinite && amplification > 0) {
            throw .invalidValue(figure: figure, what: "amplification", value: amplification)
        }
        let language = style.language

        // Everything that can fail or needs measuring is prepared before the canvas exists,
        // because the canvas's height depends on how many lines the captions take.
        let measuring = try style.measuringCanvas()
        let columnFont = Font(size: style.labelFont.size, weight: .bold)
        let captionFont = style.labelFont
        let captionLineHeight = measuring.measure("Hg", font: captionFont).lineHeight
        let columnLineHeight = measuring.measure("Hg", font: columnFont).lineHeight
        let rowHeadingHeight = measuring.measure("Hg", font: style.headingFont).lineHeight
        let contentWidth = 3 * imageWidth + 2 * style.gap

        struct PreparedRow {
            var heading: String?
            var images: [RGBImage]
            var headings: [String]
            var captions: [[String]]
            var factor: Double
            var maximum: Int
            var imageHeight: Double
            var captionLines: Int
        }
        var prepared: [PreparedRow] = []
        for row in rows {
            try validateProbability(row.originalPrediction.probability, figure: figure, what: "original probability")
            try validateProbability(row.adversarialPrediction.probability, figure: figure, what: "adversarial probability")
            let perturbation = try Perturbation(original: row.original, adversarial: row.adversarial)
            let factor = amplification ?? perturbation.automaticAmplification
            let factorText = fill(labels.amplification, ["factor": language.compact(factor)])
            func predictionCaption(_ prediction: Prediction) -> [String] {
                let suffix = " (" + language.percent(prediction.probability) + ")"
                let reserve = measuring.measure(suffix, font: captionFont).width
                var lines = measuring.wrap(prediction.label, font: captionFont, maxWidth: imageWidth, maxLines: 2,
                                           lastLineReserve: reserve)
                lines[lines.count - 1] += suffix
                return lines
            }
            let maximum = perturbation.maximumMagnitude
            let perturbationCaption = measuring.wrap(
                fill(labels.perturbationCaption, ["value": language.greyLevels(Double(maximum))]),
                font: captionFont, maxWidth: imageWidth, maxLines: 2)
            let captions = [predictionCaption(row.originalPrediction), perturbationCaption,
                            predictionCaption(row.adversarialPrediction)]
            let headings = [labels.original, labels.perturbation + " " + factorText, labels.adversarial]
                .map { measuring.ellipsize($0, font: columnFont, maxWidth: imageWidth) }
            prepared.append(PreparedRow(
                heading: row.heading.map { measuring.ellipsize($0, font: style.headingFont, maxWidth: contentWidth) },
                images: [row.original, perturbation.amplified(by: factor), row.adversarial],
                headings: headings, captions: captions, factor: factor, maximum: maximum,
                imageHeight: imageWidth * Double(row.original.height) / Double(row.original.width),
                captionLines: captions.map(\.count).max() ?? 1))
        }

        func rowHeight(_ row: PreparedRow) -> Double {
            (row.heading != nil ? rowHeadingHeight + 6 : 0) + columnLineHeight + 2
                + Double(row.captionLines) * captionLineHeight + 6 + row.imageHeight
        }
        let width = 2 * style.margin + contentWidth
        let titleHeight = drawTitle(labels.title, on: nil, measuring: measuring, style: style, at: 0,
                                    width: contentWidth)
        let rowGap = style.gap * 1.5
        let height = 2 * style.margin + titleHeight + prepared.map(rowHeight).reduce(0, +)
            + rowGap * Double(prepared.count - 1)

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        var top = style.margin + titleHeight
        for row in prepared {
            if let heading = row.heading {
                canvas.text(heading, at: Point(x: style.margin, y: top), font: style.headingFont, color: style.text,
                            vertical: .top)
                top += rowHeadingHeight + 6
            }
            for column in 0..<3 {
                let left = style.margin + Double(column) * (imageWidth + style.gap)
                var y = top
                canvas.text(row.headings[column], at: Point(x: left, y: y), font: columnFont, color: style.text,
                            vertical: .top)
                y += columnLineHeight + 2
                for line in row.captions[column] {
                    canvas.text(line, at: Point(x: left, y: y), font: captionFont, color: style.mutedText, vertical: .top)
                    y += captionLineHeight
                }
                let imageTop = top + columnLineHeight + 2 + Double(row.captionLines) * captionLineHeight + 6
                let frame = Rect(x: left, y: imageTop, width: imageWidth, height: row.imageHeight)
                try canvas.draw(row.images[column], in: frame)
                canvas.frame(frame, color: style.frame)
                if column == 1 {
                    drawBadge(fill(labels.amplification, ["factor": language.compact(row.factor)]),
                              on: canvas, corner: Point(x: frame.minX + 6, y: frame.minY + 6))
                }
            }
            top += rowHeight(row) - (row.heading != nil ? rowHeadingHeight + 6 : 0) + rowGap
        }
        return try canvas.rendered(altText: altText(prepared.map { ($0.factor, $0.maximum) }))
    }

    /// A dark label on the image itself, so the factor survives cropping of the caption.
    private func drawBadge(_ text: String, on canvas: Canvas, corner: Point) {
        let font = Font(size: style.labelFont.size, weight: .bold)
        let metrics = canvas.measure(text, font: font)
        let box = Rect(x: corner.x, y: corner.y, width: metrics.width + 10, height: metrics.lineHeight + 4)
        canvas.fillRoundedRectangle(box, radius: 3, with: Color(hex: 0x000000, alpha: 0.72))
        canvas.text(text, at: Point(x: box.minX + 5, y: box.midY), font: font, color: .white, vertical: .middle)
    }

    private func altText(_ amplifications: [(factor: Double, maximum: Int)]) -> String {
        let language = style.language
        let sentences = zip(rows, amplifications).map { row, amplification -> String in
            let original = row.originalPrediction, adversarial = row.adversarialPrediction
            let levels = language.greyLevels(Double(amplification.maximum))
            let factor = language.compact(amplification.factor)
            let sentence: String
            switch language {
            case .english:
                sentence = "Original classified as \(original.label) (\(language.percent(original.probability))); "
                    + "after the attack: \(adversarial.label) (\(language.percent(adversarial.probability))) "
                    + "with a perturbation of at most \(levels) (shown amplified ×\(factor))."
            case .spanish:
                sentence = "Original clasificada como \(original.label) (\(language.percent(original.probability))); "
                    + "tras el ataque: \(adversarial.label) (\(language.percent(adversarial.probability))) "
                    + "con una perturbación de como máximo \(levels) (mostrada amplificada ×\(factor))."
            }
            guard let heading = row.heading else { return sentence }
            return heading + ": " + sentence.prefix(1).lowercased() + sentence.dropFirst()
        }
        let prefix = altTextPrefix(labels.title)
        return prefix + sentences.joined(separator: " ")
    }
}
