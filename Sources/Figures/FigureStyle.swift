/// The look every figure shares: palette, fonts, margins and resolution.
///
/// One value is passed to all figures of a site so they read as one family. The default
/// palette is Okabe–Ito ("Color Universal Design", Okabe & Ito 2008), chosen because its
/// colours stay distinguishable for the common forms of colour blindness; lines additionally
/// differ by dash pattern and markers, so no figure relies on colour alone.
public struct FigureStyle: Sendable, Equatable {
    /// Font family resolved by fontconfig (fonts-dejavu-core ships DejaVu Sans).
    public var fontFamily: String
    /// Device pixels per logical point (2 for HiDPI screens).
    public var scale: Double
    /// The language of default labels, number formats and generated alt text.
    public var language: FigureLanguage

    public var background: Color
    /// Main text colour.
    public var text: Color
    /// Secondary text: captions, tick labels.
    public var mutedText: Color
    /// Axis lines and tick marks.
    public var axis: Color
    /// Grid lines behind the data.
    public var grid: Color
    /// Thin frames around images.
    public var frame: Color
    /// Colours for successive runs or series.
    public var series: [Color]
    /// The attack's target class wherever it appears.
    public var target: Color
    /// The image's original class wherever it appears.
    public var original: Color
    /// Bars of classes that are neither target nor original.
    public var neutral: Color
    /// Reference lines such as the goal probability.
    public var reference: Color

    /// Outer margin of every figure, in points.
    public var margin: Double
    /// Space between panels, in points.
    public var gap: Double

    public var titleFont: Font
    public var headingFont: Font
    public var labelFont: Font
    public var tickFont: Font
    public var valueFont: Font

    public init(fontFamily: String = "DejaVu Sans", scale: Double = 2, language: FigureLanguage = .english) {
        self.fontFamily = fontFamily
        self.scale = scale
        self.language = language
        background = .white
        text = Color(hex: 0x1A1A1A)
        mutedText = Color(hex: 0x505050)
        axis = Color(hex: 0x4D4D4D)
        grid = Color(hex: 0xE4E4E4)
        frame = Color(hex: 0xB8B8B8)
        // Okabe–Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue, black.
        // Yellow is left out: it has too little contrast against white for thin lines.
        series = [Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xE69F00),
                  Color(hex: 0xCC79A7), Color(hex: 0x56B4E9), Color(hex: 0x000000)]
        target = Color(hex: 0xD55E00)
        original = Color(hex: 0x0072B2)
        neutral = Color(hex: 0xB4B4B4)
        reference = Color(hex: 0x333333)
        margin = 16
        gap = 14
        titleFont = Font(size: 15, weight: .bold)
        headingFont = Font(size: 13, weight: .bold)
        labelFont = Font(size: 12)
        tickFont = Font(size: 10.5)
        valueFont = Font(size: 11, weight: .bold)
    }

    /// English labels, Okabe–Ito palette, DejaVu Sans, 2× resolution.
    public static let standard = FigureStyle()

    /// The same look with Spanish defaults ("62,1 %", "Paso", "Probabilidad", …).
    public static let spanish = FigureStyle(language: .spanish)

    /// The colour of the `index`-th run or series, cycling through the palette.
    public func seriesColor(_ index: Int) -> Color {
        guard !series.isEmpty else { return text }
        return series[((index % series.count) + series.count) % series.count]
    }

    /// Black or white, whichever reads better on `fill`.
    public func textColor(on fill: Color) -> Color {
        fill.contrastRatio(with: .white) >= fill.contrastRatio(with: text) ? .white : text
    }

    func canvas(width: Double, height: Double) throws(FigureError) -> Canvas {
        // Whole points, so the PNG is exactly `scale` times the logical size.
        try Canvas(width: width.rounded(.up), height: height.rounded(.up), scale: scale, background: background,
                   fontFamily: fontFamily)
    }

    func measuringCanvas() throws(FigureError) -> Canvas {
        try Canvas.measuring(fontFamily: fontFamily)
    }
}
