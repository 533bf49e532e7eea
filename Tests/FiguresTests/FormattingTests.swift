@testable import Figures
import Testing

@Suite("Numbers, ticks and colour maps")
struct FormattingTests {
    @Test("probabilities are written with informative decimals in both languages")
    func percentages() {
        let english = FigureLanguage.english, spanish = FigureLanguage.spanish
        #expect(english.percent(0.621) == "62.1%")
        #expect(english.percent(0.98919684) == "98.9%")
        #expect(english.percent(0.0011814345) == "0.12%")
        #expect(english.percent(0.00077220594) == "0.077%")
        #expect(english.percent(1e-7) == "<0.001%")
        #expect(spanish.percent(0.621) == "62,1\u{00A0}%")
        #expect(english.decimal(-0.0001, decimals: 2) == "0.00")
        #expect(english.decimal(-1.25, decimals: 1) == "−1.3")
        #expect(english.percentTick(1e-5) == "0.001%")
        #expect(english.percentTick(0.4) == "40%")
        #expect(spanish.greyLevels(2) == "2 niveles de gris")
        #expect(english.greyLevels(1) == "1 grey level")
    }

    @Test("nice ticks land on 1, 2, 5 × 10ⁿ")
    func niceTicks() {
        #expect(Ticks.nice(lower: 0, upper: 1393, count: 6, wholeNumbers: true).values == [0, 500, 1000, 1500])
        #expect(Ticks.nice(lower: 0, upper: 2, count: 5, wholeNumbers: true).values == [0, 1, 2])
        #expect(Ticks.nice(lower: 0, upper: 0.93, count: 5).values == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(Ticks.decades(lower: 1e-4, upper: 1).count == 5)
    }

    @Test("the colour tables are the published viridis and magma end points")
    func colourTables() {
        #expect(ColorMap.viridis.rgb8(0) == (68, 1, 84))
        #expect(ColorMap.viridis.rgb8(255) == (253, 231, 37))
        #expect(ColorMap.magma.rgb8(0) == (0, 0, 4))
        #expect(ColorMap.magma.rgb8(255) == (252, 253, 191))
        // The diverging map is exactly neutral at zero and symmetric at its ends.
        #expect(ColorMap.blueWhiteRed.rgb8(ColorMap.blueWhiteRed.index(at: 0.5)) == (0xF7, 0xF7, 0xF7))
        #expect(ColorMap.blueWhiteRed.rgb8(0) == (0x21, 0x66, 0xAC))
        #expect(ColorMap.blueWhiteRed.rgb8(255) == (0xB2, 0x18, 0x2B))
    }

    @Test("the perturbation amplification is a plain number that fills the grey range")
    func automaticAmplification() throws {
        func amplification(forMaximum maximum: Int16) throws -> Double {
            try Perturbation(width: 1, height: 1, deltas: [maximum, 0, 0]).automaticAmplification
        }
        #expect(try amplification(forMaximum: 2) == 50)
        #expect(try amplification(forMaximum: 24) == 5)
        #expect(try amplification(forMaximum: 0) == 1)
        #expect(try amplification(forMaximum: 200) == 1)
        let perturbation = try Perturbation(width: 1, height: 1, deltas: [1, -1, 10])
        #expect(perturbation.amplified(by: 50).pixels == [178, 78, 255])
        #expect(throws: FigureError.self) { try Perturbation(width: 1, height: 1, deltas: [300, 0, 0]) }
    }
}
