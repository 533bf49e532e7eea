/// A class label with the probability a model gave it.
public struct Prediction: Sendable, Equatable {
    /// The class name as it should be shown ("tabby cat", "trilobite").
    public var label: String
    /// Softmax probability in [0, 1].
    public var probability: Double

    public init(label: String, probability: Double) {
        self.label = label
        self.probability = probability
    }
}

/// A drawn figure: its PNG bytes, sizes and a text alternative.
public struct RenderedFigure: Sendable, Equatable {
    /// The PNG file's bytes (identical for identical input).
    public var png: [UInt8]
    /// PNG width in pixels (logical width × scale).
    public var pixelWidth: Int
    /// PNG height in pixels (logical height × scale).
    public var pixelHeight: Int
    /// Width in points, the CSS width to display it at.
    public var logicalWidth: Double
    /// Height in points, the CSS height to display it at.
    public var logicalHeight: Double
    /// A description of what the figure shows, generated from its data, for `alt=""`.
    public var altText: String

    public init(png: [UInt8], pixelWidth: Int, pixelHeight: Int, logicalWidth: Double,
                logicalHeight: Double, altText: String) {
        self.png = png
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        self.logicalWidth = logicalWidth
        self.logicalHeight = logicalHeight
        self.altText = altText
    }
}

extension Canvas {
    /// Packs the canvas into a `RenderedFigure`.
    func rendered(altText: String) throws(FigureError) -> RenderedFigure {
        RenderedFigure(png: try pngData(), pixelWidth: pixelWidth, pixelHeight: pixelHeight,
                       logicalWidth: width, logicalHeight: height, altText: altText)
    }
}

/// Checks that a probability is a number in [0, 1].
func validateProbability(_ value: Double, figure: String, what: String) throws(FigureError) {
    guard value.isFinite, value >= 0, value <= 1 else {
        throw .invalidValue(figure: figure, what: what, value: value)
    }
}
