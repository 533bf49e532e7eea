/// Training a network against attacking it: the talk's "Figura 4" drawn as two loops.
///
///     training:  image + label → network (weights W) → loss → ∂loss/∂W ─┐
///                                   ▲────────── update the weights ─────┘
///     attack:    image x → network (frozen) → p(target) → ∂p/∂x ───────┐
///                   ▲──────── update the image, clip to ±ε ─────────────┘
///
/// Both loops compute a gradient and take a step; what differs is what the gradient is taken
/// with respect to and what the step changes. The box that changes at every step is drawn in
/// the target colour with a solid border, the frozen network grey with a dashed one, and each
/// box says so in words, so the figure does not rely on colour.
public struct AttackLoopDiagram: Sendable {
    /// One box: a bold title and a short explanation under it.
    public struct Box: Sendable, Equatable {
        public var title: String
        public var detail: String

        public init(_ title: String, _ detail: String) {
            self.title = title
            self.detail = detail
        }
    }

    /// One loop: a heading, four boxes left to right (input, network, objective, gradient) and
    /// the update that closes the loop.
    public struct Loop: Sendable, Equatable {
        public var heading: String
        public var input: Box
        public var network: Box
        public var objective: Box
        public var gradient: Box
        /// The text on the arrow back from the gradient to what the step changes.
        public var update: String

        public init(heading: String, input: Box, network: Box, objective: Box, gradient: Box, update: String) {
            self.heading = heading
            self.input = input
            self.network = network
            self.objective = objective
            self.gradient = gradient
            self.update = update
        }
    }

    /// The diagram's words; `{label}` is the target class.
    public struct Labels: Sendable, Equatable {
        public var title: String?
        public var training: Loop
        public var attack: Loop
        /// Legend entry of the boxes that change at every step.
        public var changesKey: String
        /// Legend entry of the frozen network.
        public var frozenKey: String
        /// The sentence that introduces the alt text of the two loops.
        public var altIntroduction: String

        public init(language: FigureLanguage = .english, title: String? = nil) {
            self.title = title
            switch language {
            case .english:
                training = Loop(
                    heading: "Training the network: the weights change",
                    input: Box("Image + label", "a photo and the class it should get"),
                    network: Box("Network", "weights W, adjusted at every step"),
                    objective: Box("Loss", "the network's output against the label"),
                    gradient: Box("Gradient ∂loss/∂W", "with respect to the WEIGHTS"),
                    update: "update the weights: W ← W − η · ∂loss/∂W (the loss goes down)")
                attack = Loop(
                    heading: "Attacking the network: the image changes",
                    input: Box("Image x", "modified at every step"),
                    network: Box("Network", "frozen: the weights stay fixed"),
                    objective: Box("p({label})", "the probability of the class we want"),
                    gradient: Box("Gradient ∂p/∂x", "with respect to the IMAGE"),
                    update: "update the image: x ← x + ∂p/∂x, then clip to x₀ ± ε (p goes up)")
                changesKey = "changes at every step"
                frozenKey = "frozen"
                altIntroduction = "Two loops compared."
            case .spanish:
                training = Loop(
                    heading: "Entrenamiento de la red: cambian los pesos",
                    input: Box("Imagen + etiqueta", "una foto y la clase que le corresponde"),
                    network: Box("Red neuronal", "pesos W, ajustados en cada paso"),
                    objective: Box("Error", "la salida de la red frente a la etiqueta"),
                    gradient: Box("Gradiente ∂error/∂W", "respecto a los PESOS"),
                    update: "se ajustan los pesos: W ← W − η · ∂error/∂W (el error baja)")
                attack = Loop(
                    heading: "Ataque adversario: cambia la imagen",
                    input: Box("Imagen x", "se modifica en cada paso"),
                    network: Box("Red neuronal", "congelada: los pesos no cambian"),
                    objective: Box("p({label})", "la probabilidad de la clase destino"),
                    gradient: Box("Gradiente ∂p/∂x", "respecto a la IMAGEN"),
                    update: "se modifica la imagen: x ← x + ∂p/∂x y se recorta a x₀ ± ε (p sube)")
                changesKey = "cambia en cada paso"
                frozenKey = "congelado"
                altIntroduction = "Dos bucles comparados."
            }
        }
    }

    /// The class the attack pushes towards, shown in the objective box.
    public var targetLabel: String
    /// Width of each box in points.
    public var boxWidth: Double
    public var labels: Labels
    public var style: FigureStyle

    public init(targetLabel: String = "trilobite", boxWidth: Double = 156, labels: Labels? = nil,
                style: FigureStyle = .standard) {
        self.targetLabel = targetLabel
        self.boxWidth = boxWidth
        self.labels = labels ?? Labels(language: style.language)
        self.style = style
    }

    /// The diagram as a lesson page in `language` shows it: that language's style and words, and
    /// the target class as the lessons write it ("trilobites" in Spanish, "trilobite" in English).
    public init(language: FigureLanguage) {
        self.init(targetLabel: language == .spanish ? "trilobites" : "trilobite",
                  style: language == .spanish ? .spanish : .standard)
    }

    /// Identifies this drawing in cache keys: bump it when the layout, colours or words change,
    /// so that a cached PNG of the old drawing is drawn again.
    public static let drawingVersion = "attack-loop diagram 1"

    /// Space between two boxes, where the forward arrows run.
    static let arrowGap = 34.0
    /// Padding inside a box.
    static let padding = 9.0

    /// How a box is drawn.
    private enum BoxKind {
        case plain, changes, frozen
    }

    /// Draws the diagram.
    public func render() throws(FigureError) -> RenderedFigure {
        let figure = "AttackLoopDiagram"
        guard boxWidth.isFinite, boxWidth >= 100 else {
            throw .invalidValue(figure: figure, what: "boxWidth", value: boxWidth)
        }
        guard !targetLabel.isEmpty else { throw .noData(figure: figure, what: "targetLabel") }
        let loops = [labels.training, labels.attack].map { loop -> Loop in
            var filled = loop
            filled.objective.title = fill(loop.objective.title, ["label": targetLabel])
            filled.objective.detail = fill(loop.objective.detail, ["label": targetLabel])
            filled.update = fill(loop.update, ["label": targetLabel])
            return filled
        }

        let measuring = try style.measuringCanvas()
        let boxTitleFont = Font(size: style.labelFont.size, weight: .bold)
        let detailFont = style.tickFont
        let updateFont = Font(size: style.labelFont.size, weight: .bold)
        let headingFont = style.headingFont
        let titleLineHeight = measuring.measure("Hg", font: boxTitleFont).lineHeight
        let detailLineHeight = measuring.measure("Hg", font: detailFont).lineHeight
        let updateLineHeight = measuring.measure("Hg", font: updateFont).lineHeight
        let headingHeight = measuring.measure("Hg", font: headingFont).lineHeight
        let padding = Self.padding
        let gap = Self.arrowGap
        let inner = boxWidth - 2 * padding
        let contentWidth = 4 * boxWidth + 3 * gap

        // Text of every box, wrapped before the canvas exists: the box height follows the
        // longest explanation of the whole diagram, so both rows line up.
        struct PreparedLoop {
            var heading: String
            var titles: [String]
            var details: [[String]]
            var update: [String]
        }
        var prepared: [PreparedLoop] = []
        for (row, loop) in loops.enumerated() {
            let boxes = [loop.input, loop.network, loop.objective, loop.gradient]
            // The update runs under the boxes between the one it changes and the gradient:
            // the network when training (row 0), the image when attacking.
            let updatedIndex = row == 0 ? 1 : 0
            let span = Double(4 - updatedIndex) * boxWidth + Double(3 - updatedIndex) * gap
            prepared.append(PreparedLoop(
                heading: measuring.ellipsize(loop.heading, font: headingFont, maxWidth: contentWidth),
                titles: boxes.map { measuring.ellipsize($0.title, font: boxTitleFont, maxWidth: inner) },
                details: boxes.map { measuring.wrap($0.detail, font: detailFont, maxWidth: inner, maxLines: 3) },
                update: measuring.wrap(loop.update, font: updateFont, maxWidth: span, maxLines: 2)))
        }
        let detailLines = prepared.flatMap { $0.details.map(\.count) }.max() ?? 1
        let boxHeight = 2 * padding + titleLineHeight + 3 + Double(detailLines) * detailLineHeight
        let laneDrop = 16.0
        let updateLines = prepared.map(\.update.count).max() ?? 1
        let rowHeight = headingHeight + 10 + boxHeight + laneDrop + 6 + Double(updateLines) * updateLineHeight
        let rowGap = style.gap * 1.6

        let legendEntries = [
            LegendEntry(label: labels.changesKey, color: changesBorder, sample: .swatch),
            LegendEntry(label: labels.frozenKey, color: frozenBorder, sample: .swatch),
        ]
        let legend = LegendLayout(entries: legendEntries, font: style.tickFont, maxWidth: contentWidth,
                                  measuring: measuring)
        let titleHeight = drawTitle(labels.title, on: nil, measuring: measuring, style: style, at: 0,
                                    width: contentWidth)
        let width = 2 * style.margin + contentWidth
        let height = 2 * style.margin + titleHeight + 2 * rowHeight + rowGap + 10 + legend.height

        let canvas = try style.canvas(width: width, height: height)
        drawTitle(labels.title, on: canvas, measuring: measuring, style: style, at: style.margin, width: contentWidth)
        var top = style.margin + titleHeight
        for (row, loop) in prepared.enumerated() {
            if row > 0 {
                let separator = top - rowGap / 2
                canvas.line(from: Point(x: style.margin, y: separator),
                            to: Point(x: style.margin + contentWidth, y: separator), color: style.grid, width: 1)
            }
            canvas.text(loop.heading, at: Point(x: style.margin, y: top), font: headingFont, color: style.text,
                        vertical: .top)
            let boxTop = top + headingHeight + 10
            let isTraining = row == 0
            let kinds: [BoxKind] = isTraining ? [.plain, .changes, .plain, .plain] : [.changes, .frozen, .plain, .plain]
            var frames: [Rect] = []
            for index in 0..<4 {
                let frame = Rect(x: style.margin + Double(index) * (boxWidth + gap), y: boxTop, width: boxWidth,
                                 height: boxHeight)
                frames.append(frame)
                drawBox(frame, kind: kinds[index], on: canvas)
                var y = frame.minY + padding
                canvas.text(loop.titles[index], at: Point(x: frame.minX + padding, y: y), font: boxTitleFont,
                            color: style.text, vertical: .top)
                y += titleLineHeight + 3
                for line in loop.details[index] {
                    canvas.text(line, at: Point(x: frame.minX + padding, y: y), font: detailFont,
                                color: style.mutedText, vertical: .top)
                    y += detailLineHeight
                }
            }
            // The forward pass, left to right.
            for index in 0..<3 {
                arrow(from: Point(x: frames[index].maxX + 3, y: frames[index].midY),
                      to: Point(x: frames[index + 1].minX - 3, y: frames[index + 1].midY),
                      color: style.axis, width: 1.5, on: canvas)
            }
            // The update: down from the gradient, back along a lane, up into what changes.
            let updated = frames[isTraining ? 1 : 0]
            let source = frames[3]
            let lane = boxTop + boxHeight + laneDrop
            arrow(through: [Point(x: source.midX, y: source.maxY + 2), Point(x: source.midX, y: lane),
                            Point(x: updated.midX, y: lane), Point(x: updated.midX, y: updated.maxY + 3)],
                  color: changesBorder, width: 2.2, on: canvas)
            var y = lane + 6
            let centre = (source.maxX + updated.minX) / 2
            for line in loop.update {
                canvas.text(line, at: Point(x: centre, y: y), font: updateFont, color: changesText,
                            horizontal: .center, vertical: .top)
                y += updateLineHeight
            }
            top += rowHeight + rowGap
        }
        legend.draw(on: canvas, at: Point(x: style.margin, y: top - rowGap + 10), font: style.tickFont,
                    textColor: style.text)
        return try canvas.rendered(altText: altText(loops))
    }

    // MARK: Drawing

    /// The border of the boxes that change: the style's target colour.
    private var changesBorder: Color { style.target }

    /// The update text: the target colour darkened until it reads on white (WCAG AA, 4.5:1).
    private var changesText: Color {
        var color = style.target
        while color.contrastRatio(with: style.background) < 4.5, color.relativeLuminance > 0.01 {
            color = Color(red: color.red * 0.9, green: color.green * 0.9, blue: color.blue * 0.9)
        }
        return color
    }

    private var frozenBorder: Color { style.neutral }

    /// `color` at `opacity` over the background, as an opaque colour.
    private func tint(_ color: Color, _ opacity: Double) -> Color {
        let background = style.background
        return Color(red: background.red + (color.red - background.red) * opacity,
                     green: background.green + (color.green - background.green) * opacity,
                     blue: background.blue + (color.blue - background.blue) * opacity)
    }

    private func drawBox(_ frame: Rect, kind: BoxKind, on canvas: Canvas) {
        switch kind {
        case .plain:
            canvas.fillRoundedRectangle(frame, radius: 6, with: style.frame)
            canvas.fillRoundedRectangle(inset(frame, 1.2), radius: 5, with: tint(style.frame, 0.12))
        case .changes:
            canvas.fillRoundedRectangle(frame, radius: 6, with: changesBorder)
            canvas.fillRoundedRectangle(inset(frame, 2.4), radius: 4.5, with: tint(changesBorder, 0.12))
        case .frozen:
            // Square corners: the canvas draws dashes along straight lines only.
            canvas.fill(frame, with: tint(frozenBorder, 0.28))
            let corners = [Point(x: frame.minX + 1, y: frame.minY + 1), Point(x: frame.maxX - 1, y: frame.minY + 1),
                           Point(x: frame.maxX - 1, y: frame.maxY - 1), Point(x: frame.minX + 1, y: frame.maxY - 1)]
            for index in 0..<4 {
                canvas.line(from: corners[index], to: corners[(index + 1) % 4], color: style.axis, width: 1.5,
                            dash: [5, 3.5])
            }
        }
    }

    private func inset(_ rect: Rect, _ amount: Double) -> Rect {
        Rect(x: rect.x + amount, y: rect.y + amount, width: rect.width - 2 * amount, height: rect.height - 2 * amount)
    }

    private func arrow(from start: Point, to end: Point, color: Color, width: Double, on canvas: Canvas) {
        arrow(through: [start, end], color: color, width: width, on: canvas)
    }

    /// A polyline whose last segment ends in an arrow head at the last point.
    private func arrow(through points: [Point], color: Color, width: Double, on canvas: Canvas) {
        guard points.count >= 2 else { return }
        let tip = points[points.count - 1], previous = points[points.count - 2]
        let dx = tip.x - previous.x, dy = tip.y - previous.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return }
        let ux = dx / length, uy = dy / length
        let headLength = 5 + 2 * width, headHalfWidth = 2.5 + 1.2 * width
        let base = Point(x: tip.x - ux * headLength, y: tip.y - uy * headLength)
        var shaft = Array(points.dropLast())
        shaft.append(base)
        canvas.polyline(shaft, color: color, width: width)
        canvas.fillPolygon([tip, Point(x: base.x - uy * headHalfWidth, y: base.y + ux * headHalfWidth),
                            Point(x: base.x + uy * headHalfWidth, y: base.y - ux * headHalfWidth)], with: color)
    }

    // MARK: Alt text

    private func altText(_ loops: [Loop]) -> String {
        func describe(_ loop: Loop) -> String {
            let boxes = [loop.input, loop.network, loop.objective, loop.gradient]
                .map { "\($0.title) (\($0.detail))" }
            return loop.heading + ": " + boxes.joined(separator: " → ") + "; " + loop.update + "."
        }
        return altTextPrefix(labels.title) + labels.altIntroduction + " " + loops.map(describe).joined(separator: " ")
    }
}
