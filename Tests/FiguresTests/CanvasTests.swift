@testable import Figures
import Imaging
import Testing

@Suite("Canvas")
struct CanvasTests {
    @Test("the PNG has scale × the logical size in pixels")
    func pixelSizeIsTwiceTheLogicalSize() throws {
        let canvas = try Canvas(width: 123, height: 45)
        let decoded = try DecodedFigure(canvas.rendered(altText: ""))
        #expect(canvas.pixelWidth == 246 && canvas.pixelHeight == 90)
        #expect(decoded.width == 246 && decoded.height == 90)
    }

    @Test("a 2×2 checkerboard drawn large stays crisp: every pixel is pure black or pure white")
    func nearestNeighbourKeepsCheckerboardCrisp() throws {
        let checkerboard = RGBImage(width: 2, height: 2, pixels: [0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0])
        let canvas = try Canvas(width: 100, height: 100, background: Color(hex: 0x808080))
        try canvas.draw(checkerboard, in: Rect(x: 0, y: 0, width: 100, height: 100))
        let decoded = try DecodedFigure(canvas.rendered(altText: ""))
        var wrong = 0
        for y in 0..<200 {
            for x in 0..<200 {
                let expected = (x < 100) == (y < 100) ? 0 : 255
                let pixel = decoded.pixel(x, y)
                if pixel.red != expected || pixel.green != expected || pixel.blue != expected { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }

    @Test("Spanish text (¿ ¡ á é í ó ú ñ) is drawn with real glyphs")
    func spanishTextRenders() throws {
        let canvas = try Canvas(width: 420, height: 40)
        let font = Font(size: 16)
        canvas.text("¿Qué pasó? ¡Sí, señor! áéíóú ñÑ", at: Point(x: 5, y: 28), font: font, color: .black)
        canvas.text("n", at: Point(x: 360, y: 28), font: font, color: .black)
        canvas.text("ñ", at: Point(x: 390, y: 28), font: font, color: .black)
        let decoded = try DecodedFigure(canvas.rendered(altText: ""))
        #expect(decoded.inkCount(x: 0..<700, y: 0..<80) > 500)
        // The tilde adds ink above the n: the accented letter is a real glyph, not a box or a gap.
        let plain = decoded.inkCount(x: 715..<760, y: 0..<80)
        let tilde = decoded.inkCount(x: 775..<820, y: 0..<80)
        #expect(tilde > plain)
        // DejaVu Sans gives accented letters the advance of the base letter.
        #expect(canvas.measure("á", font: font).width == canvas.measure("a", font: font).width)
        #expect(canvas.measure("¿", font: font).width > 0)
    }

    @Test("filled rectangles are snapped to device pixels and keep their exact colour")
    func snappedFillHasExactColour() throws {
        let canvas = try Canvas(width: 50, height: 20)
        canvas.fill(Rect(x: 10.3, y: 5.2, width: 20.1, height: 8), with: Color(hex: 0xD55E00))
        let decoded = try DecodedFigure(canvas.rendered(altText: ""))
        #expect(decoded.longestRun(of: (0xD5, 0x5E, 0x00)) == 40)
    }

    @Test("bad sizes and malformed images are errors, not crashes")
    func invalidInputThrows() throws {
        #expect(throws: FigureError.self) { try Canvas(width: 0, height: 10) }
        #expect(throws: FigureError.self) { try Canvas(width: .nan, height: 10) }
        let canvas = try Canvas(width: 10, height: 10)
        #expect(throws: FigureError.malformedImage(width: 2, height: 2, byteCount: 5)) {
            try canvas.draw(RGBImage(width: 2, height: 2, pixels: [1, 2, 3, 4, 5]), in: Rect(x: 0, y: 0, width: 10, height: 10))
        }
    }

    @Test("wrapping keeps lines within the width, ellipsises the rest and leaves room for a suffix")
    func wrappingAndEllipsis() throws {
        let canvas = try Canvas.measuring()
        let font = Font(size: 12)
        let label = "German short-haired pointer, a label that is much too long for one narrow panel title"
        let suffix = " (41.2%)"
        let reserve = canvas.measure(suffix, font: font).width
        let lines = canvas.wrap(label, font: font, maxWidth: 150, maxLines: 2, lastLineReserve: reserve)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { canvas.measure($0, font: font).width <= 150 })
        let last = try #require(lines.last)
        #expect(last.hasSuffix("…"))
        #expect(canvas.measure(last + suffix, font: font).width <= 150)
        #expect(canvas.wrap("trilobite", font: font, maxWidth: 150, maxLines: 2) == ["trilobite"])
        // A single word wider than the line is broken, never drawn past the edge.
        let broken = canvas.wrap(String(repeating: "W", count: 40), font: font, maxWidth: 60, maxLines: 3)
        #expect(broken.allSatisfy { canvas.measure($0, font: font).width <= 60 })
    }
}
