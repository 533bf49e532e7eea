import Attacks
import Foundation
import Testing

@Suite("ε units: parsing and reporting in grey levels, [0,1] and model units")
struct UnitsTests {
    @Test("fractions and decimals are read on the [0,1] scale",
          arguments: [("8/255", 8.0 / 255), ("2/255", 2.0 / 255), ("0.004", 0.004), (" 1 / 255 ", 1.0 / 255),
                      ("0.5", 0.5), ("1e-3", 0.001)])
    func parses(_ text: String, _ value: Double) throws {
        let epsilon = try Epsilon(parsing: text)
        #expect(epsilon.value == value)
        #expect(epsilon.unit == .image)
    }

    @Test("unreadable ε text is refused with an example of what works",
          arguments: ["", "abc", "8/", "/255", "8/0", "1/2/3", "inf", "nan", "8//255"])
    func refusesUnreadable(_ text: String) {
        #expect(throws: AttackError.unreadableEpsilon(text)) { try Epsilon(parsing: text) }
        #expect(AttackError.unreadableEpsilon(text).description.contains("8/255"))
    }

    @Test("a bound is reported in all three units")
    func reportsAllUnits() throws {
        let scale: Float = 255.0 / 128  // EfficientNet-Lite: (pixel − 127) / 128
        let report = try Epsilon(parsing: "2/255").report(modelInputScale: scale, norm: .linf)
        // Exact up to Double rounding of 2/255 and of Float(255/128) (|error| < 1e-7 relative).
        #expect(abs(report.greyLevels - 2) < 1e-12)
        #expect(abs(report.imageUnits - 2.0 / 255) < 1e-15)
        #expect(abs(report.modelUnits - 2.0 / 128) < 1e-9)
        #expect(report.gridLevels == 2)
        #expect(report.description.contains("2/255"))

        // The talk's ±0.01 in model units: 0.01 / (255/128) ≈ 0.00502 on [0,1] ≈ 1.28 grey levels.
        let talk = Epsilon.modelInput(0.01).report(modelInputScale: scale, norm: .linf)
        #expect(abs(talk.imageUnits - 0.01 * 128 / 255) < 1e-9)
        #expect(abs(talk.greyLevels - 1.28) < 1e-6)
        #expect(talk.gridLevels == 1)

        #expect(Epsilon.greyLevels(8).imageUnits(modelInputScale: scale) == 8.0 / 255)
        let l2 = Epsilon(1.0).report(modelInputScale: scale, norm: .l2)
        #expect(l2.gridLevels == nil)
        #expect(l2.greyLevels == 255)
    }

    @Test("the result states the bound in every unit")
    func resultCarriesBound() throws {
        var config = AttackConfig(method: .pgd, target: nil)
        config.epsilon = .modelInput(0.02)
        config.steps = 2
        let result = try runAttack(config, on: TinyNetwork(), image: makeTestImage())
        let bound = try #require(result.bound)
        // The tiny network's scale is 2, so 0.02 model units is 0.01 on [0,1], 2.55 grey levels.
        #expect(abs(bound.imageUnits - 0.01) < 1e-12)
        #expect(abs(bound.greyLevels - 2.55) < 1e-9)
        #expect(abs(bound.modelUnits - 0.02) < 1e-12)
        #expect(bound.gridLevels == 2)
        #expect(result.metrics.linfGreyLevels <= 2)
    }

    @Test("ε decodes from a fraction string, a number or value and unit")
    func decodesEpsilon() throws {
        let decoder = JSONDecoder()
        let fromText = try decoder.decode(Epsilon.self, from: Data("\"8/255\"".utf8))
        #expect(fromText == Epsilon(8.0 / 255))
        let fromNumber = try decoder.decode(Epsilon.self, from: Data("0.004".utf8))
        #expect(fromNumber == Epsilon(0.004))
        let fromObject = try decoder.decode(Epsilon.self, from: Data(#"{"value": 0.01, "unit": "model"}"#.utf8))
        #expect(fromObject == .modelInput(0.01))
        #expect(throws: DecodingError.self) { try decoder.decode(Epsilon.self, from: Data("\"eight\"".utf8)) }
    }
}
