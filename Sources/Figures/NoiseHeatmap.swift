import Imaging

/// Where the attack changed the image and by how much, as a heat map with a colour bar.
///
/// The default shows each pixel's magnitude (the largest |δ| over its three channels, in grey
/// levels) with a perceptually uniform map, so equal steps in colour are equal steps in δ.
/// The signed variant shows δ per channel in three small panels (R, G, B) with a diverging
/// map and symmetric limits, where white means unchanged.
public struct NoiseHeatmap: Sendable {
    /// What is mapped to colour.
    public enum Mode: Sendable, Equatable {
        /// max over channels of |δ|, with a sequential colour map (viridis or magma).
        case magnitude(ColorMap)
        /// δ per channel in three panels, with a diverging colour map and limits ±limit.
        case signedPerChannel(ColorMap)

        /// Magnitude with viridis.
        public static let magnitude = Mode.magnitude(.viridis)
        /// Signed per channel with blue–white–red.
        public static let signedPerChannel = Mode.signedPerChannel(.blueWhiteRed)
    }

    /// The heat map's words; `{value}`, `{changed}` are replaced by numbers.
    public struct Labels: Sendable, Equatable {
        public var title: String?
        /// Colour bar title in magnitude mode.
        public var magnitudeBar: String
        /// Colour bar title in signed mode.
        public var signedBar: String
        /// Panel headings in signed mode, in R, G, B order.
        public var channels: [String]
        /// Below the map: `{value}` is the largest |δ|, `{changed}` the share of changed values.
        public var caption: String

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            switch language {
            case .english:
                magnitudeBar = "|δ| (grey levels)"
                signedBar = "δ (grey levels)"
                channels = ["Red (R)", "Green (G)", "Blue (B)"]
                caption = "max |δ| = {value}; {changed} of the values changed"
            case .spanish:
                magnitudeBar = "|δ| (niveles de gris)"
                signedBar = "δ (niveles de gris)"
                channels = ["Rojo (R)", "Verde (G)", "Azul (B)"]
                caption = "máx. |δ| = {value}; cambió el {changed} de los valores"
            }
        }
    }

    public var perturbation: Perturbation
    public var mode: Mode
    /// The grey level at the top of the colour scale; `nil` uses the largest |δ| (at least 1).
    /// Pass the attack's ε in grey levels to compare heat maps of several attacks.
    public var limit: Int?
    /// Width of the map (of each map in signed mode) in points; `nil` picks 300 or 200.
    public var imageWidth: Double?
    public var labels: Labels
    public var style: FigureStyle

    /// A heat map of a perturbation.
    public init(perturbation: Perturbation, mode: Mode = .magnitude, limit: Int? = nil, imageWidth: Double? = nil,
                labels: Labels? = nil, style: FigureStyle = .standard) {
        self.perturbation = perturbation
        self.mode = mode
        self.limit = limit
        self.imageWidth = imageWidth
        self.labels = labels ?? Labels(language: style.language)
        self.style = style
    }

    /// A heat map of the perturbation that turns `original` into `adversarial`.
    public init(original: RGBImage, adversarial: RGBImage, mode: Mode = .magnitude, limit: Int? = nil,
                imageWidth: Double? = nil, labels: Labels? = nil, style: FigureStyle = .standard) throws(FigureError) {
        self.init(perturbation: try Perturbation(original: original, adversarial: adversarial), mode: mode,
                  limit: limit, imageWidth: imageWidth, labels: labels, style: style)
    }

    /// Draws the heat map.
    public func render() throws(FigureError) -> RenderedFigure {
        let figure = "NoiseHeatmap"
        if let limit, limit < 1 || limit > 255 {
            throw .invalidValue(figure: figure, what: "limit", value: Double(limit))
        }
        let scaleLimit = limit ?? max(1, perturbation.maximumMagnitude)
        let language = style.language
        let (panels, colorMap, signed): ([RGBImage], ColorMap, Bool)
        switch mode {
        case let .magnitude(map):
            panels = [magnitudeImage(limit: scaleLimit, map: map)]
            colorMap = map
            signed = false
        case let .signedPerChannel(map):
            panels = (0..<3).map { signedImage(channel: $0, limit: scaleLimit, map: map) }
            colorMap = map
            signed = true
        }
        let panelWidth = imageWidth ?? (signed ? 200 : 300)
        guard panelWidth.isFinite, panelWidth >= 40 else {
            throw .invalidValue(figure: figure, what: "imageWidth", value: panelWidth)
        }
        let panelHeight = panelWidth * Double(perturbation.height) / Double(perturbation.width)

        let measuring = try style.measuringCanvas()
        let ticks: [Double]
        if signed {
            let half = Ticks.nice(lower: 0, upper: Double(scaleLimit), count: 3, wholeNumbers: true).values
                .filter { $0 <= Double(scaleLimit) }
            ticks = half.reversed().map { -$0 } + half.dropFirst()
        } else {
            var values = Ticks.nice(lower: 0, upper: Double(scaleLimit), count: 5, wholeNumbers: true).values
                .filter { $0 <= Double(scaleLimit) }
            // Label the top of the bar too when it is far enough from the last nice tick.
            if let last = values.last, values.count > 1, Double(scaleLimit) - last >= 0.5 * (values[1] - values[0]) {
                values.append(Double(scaleLimit))
            }
            ticks = values
        }
        // Signed ticks carry an explicit "+" so the two halves of the bar read symmetrically.
        let tickLabels = ticks.map { (signed && $0 > 0 ? "+" : "") + language.compact($0) }
        let widestTick = tickLabels.map { measuring.measure($0, font: style.tickFont).width }.max() ?? 0
        let labelLineHeight = measuring.measure("Hg", font: style.labelFont).lineHeight
        let headingFont = Font(size: style.labelFont.size, weight: .bold)
        let headingHeight = signed ? measuring.measure("Hg", font: headingFont).lineHeight + 4 : 0

        let barWidth = 14.0
        let mapsWidth = Double(panels.count) * panelWidth + Double(panels.count - 1) * style.gap
        let barBlockWidth = style.gap + barWidth + PlotFrame.tickLength + PlotFrame.tickLabelGap + widestTick
            + 8 + labelLineHeight
        let contentWidth = mapsWidth + barBlockWidth
        let titleHeight = drawTitle(labels.title, on: nil, measuring: measuring, style: style, at: 0,
                                    width: contentWidth)
        let changedShare = Double(perturbation.changedValueCount) / Double(perturbation.deltas.count)
        let caption = measuring.wrap(
            fill(labels.caption, ["value": language.greyLevels(Double(perturbation.maximumMagnitude)),
                                  "changed": language.percent(changedShare)]),
            font: style.labelFont, maxWidth: contentWidth, maxLines: 2)
        let width = 2 * style.margin + contentWidth
        let height = 2 * style.margin + titleHeight + headingHeight + panelHeight + 8
            + Double(caption.count) * labelLineHeight

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        let mapsTop = style.margin + titleHeight + headingHeight
        for (index, panel) in panels.enumerated() {
            let left = style.margin + Double(index) * (panelWidth + style.gap)
            if signed {
                let heading = index < labels.channels.count ? labels.channels[index] : ""
                canvas.text(canvas.ellipsize(heading, font: headingFont, maxWidth: panelWidth),
                            at: Point(x: left, y: mapsTop - headingHeight), font: headingFont, color: style.text,
                            vertical: .top)
            }
            let frame = Rect(x: left, y: mapsTop, width: panelWidth, height: panelHeight)
            try canvas.draw(panel, in: frame)
            canvas.frame(frame, color: style.frame)
        }

        // The colour bar: the 256 table entries as a 1-pixel-wide image, top = largest value.
        let bar = Rect(x: style.margin + mapsWidth + style.gap, y: mapsTop, width: barWidth, height: panelHeight)
        var barPixels: [UInt8] = []
        barPixels.reserveCapacity(256 * 3)
        for entry in (0..<256).reversed() {
            let (red, green, blue) = colorMap.rgb8(entry)
            barPixels += [red, green, blue]
        }
        try canvas.draw(RGBImage(width: 1, height: 256, pixels: barPixels), in: bar)
        canvas.frame(bar, color: style.frame)
        let mapping = AxisMapping(lower: signed ? -Double(scaleLimit) : 0, upper: Double(scaleLimit), logarithmic: false,
                                  start: bar.maxY, end: bar.minY)
        for (tick, label) in zip(ticks, tickLabels) {
            let y = mapping.position(tick)
            canvas.line(from: Point(x: bar.maxX, y: y), to: Point(x: bar.maxX + PlotFrame.tickLength, y: y),
                        color: style.axis, width: 1)
            canvas.text(label, at: Point(x: bar.maxX + PlotFrame.tickLength + PlotFrame.tickLabelGap, y: y),
                        font: style.tickFont, color: style.mutedText, vertical: .middle)
        }
        let barTitle = signed ? labels.signedBar : labels.magnitudeBar
        let barTitleX = bar.maxX + PlotFrame.tickLength + PlotFrame.tickLabelGap + widestTick + 8
            + measuring.measure("Hg", font: style.labelFont).ascent
        canvas.text(canvas.ellipsize(barTitle, font: style.labelFont, maxWidth: panelHeight),
                    at: Point(x: barTitleX, y: bar.midY), font: style.labelFont, color: style.text,
                    horizontal: .center, vertical: .baseline, rotation: Double.pi / 2)

        var captionTop = mapsTop + panelHeight + 8
        for line in caption {
            canvas.text(line, at: Point(x: style.margin, y: captionTop), font: style.labelFont, color: style.mutedText,
                        vertical: .top)
            captionTop += labelLineHeight
        }
        return try canvas.rendered(altText: altText(limit: scaleLimit, colorMap: colorMap, signed: signed,
                                                    changedShare: changedShare))
    }

    /// Each pixel's max-over-channels |δ| mapped through the colour map.
    func magnitudeImage(limit: Int, map: ColorMap) -> RGBImage {
        let magnitudes = perturbation.pixelMagnitudes
        var pixels = [UInt8](repeating: 0, count: magnitudes.count * 3)
        for (index, magnitude) in magnitudes.enumerated() {
            let (red, green, blue) = map.rgb8(map.index(at: Double(magnitude) / Double(limit)))
            pixels[index * 3] = red
            pixels[index * 3 + 1] = green
            pixels[index * 3 + 2] = blue
        }
        return RGBImage(width: perturbation.width, height: perturbation.height, pixels: pixels)
    }

    /// One channel's signed δ mapped so that −limit, 0, +limit are the map's ends and centre.
    func signedImage(channel: Int, limit: Int, map: ColorMap) -> RGBImage {
        let count = perturbation.width * perturbation.height
        var pixels = [UInt8](repeating: 0, count: count * 3)
        for index in 0..<count {
            let delta = Double(perturbation.deltas[index * 3 + channel])
            let (red, green, blue) = map.rgb8(map.index(at: 0.5 + delta / (2 * Double(limit))))
            pixels[index * 3] = red
            pixels[index * 3 + 1] = green
            pixels[index * 3 + 2] = blue
        }
        return RGBImage(width: perturbation.width, height: perturbation.height, pixels: pixels)
    }

    private func altText(limit: Int, colorMap: ColorMap, signed: Bool, changedShare: Double) -> String {
        let language = style.language
        let maximum = language.greyLevels(Double(perturbation.maximumMagnitude))
        let changed = language.percent(changedShare)
        let limitText = language.greyLevels(Double(limit))
        let prefix = altTextPrefix(labels.title)
        switch (language, signed) {
        case (.english, false):
            return prefix + "Heat map of how much each pixel changed (largest |δ| over red, green and blue), "
                + "coloured with \(colorMap.name) from 0 to \(limitText). The largest change is \(maximum); "
                + "\(changed) of the channel values changed."
        case (.english, true):
            return prefix + "Three heat maps of the signed change of the red, green and blue channels, "
                + "coloured \(colorMap.name) from −\(limitText) (blue) through 0 (white) to +\(limitText) (red). "
                + "The largest change is \(maximum); \(changed) of the channel values changed."
        case (.spanish, false):
            return prefix + "Mapa de calor de cuánto cambió cada píxel (el mayor |δ| entre rojo, verde y azul), "
                + "coloreado con \(colorMap.name) de 0 a \(limitText). El mayor cambio es de \(maximum); "
                + "cambió el \(changed) de los valores."
        case (.spanish, true):
            return prefix + "Tres mapas de calor del cambio con signo de los canales rojo, verde y azul, "
                + "coloreados de −\(limitText) (azul) a +\(limitText) (rojo) pasando por 0 (blanco). "
                + "El mayor cambio es de \(maximum); cambió el \(changed) de los valores."
        }
    }
}
