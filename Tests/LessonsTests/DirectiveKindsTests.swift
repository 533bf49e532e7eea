import Foundation
import Testing
@testable import Lessons

/// `classify`, `transfer` and `compare`: their keys, defaults and canonical forms.
@Suite struct DirectiveKindsTests {
    static func onlyDirective(_ block: String) throws -> Directive {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Fixtures.lesson("\n" + block))
        let result = folder.load()
        #expect(result.diagnostics.map(\.description) == [])
        return try #require(result.lessons?.lessons.first?.directives.first)
    }

    @Test func classifyTakesOneImageOrAListAndDefaultsToTopFive() throws {
        let single = try Self.onlyDirective("```classify\nimage: images/gato.png\n```\n")
        #expect(single.body == .classify(ClassifyDirective(images: ["images/gato.png"], model: "lite0", top: 5, seed: 0)))
        #expect(single.presentation.show == ["confidence"])
        #expect(single.body.canonical.json == "{\"images\":[{\"file\":\"images/gato.png\"}],\"model\":\"lite0\","
            + "\"seed\":0,\"top\":5}")

        let list = try Self.onlyDirective("```classify\nimages: [images/gato.png, images/tostadora.png]\n"
            + "model: lite2\ntop: 3\nshow: table\n```\n")
        #expect(list.body == .classify(ClassifyDirective(images: ["images/gato.png", "images/tostadora.png"],
                                                         model: "lite2", top: 3, seed: 0)))
        #expect(list.body.models == ["lite2"])
        #expect(list.presentation.show == ["table"])
    }

    @Test func classifyProblems() throws {
        #expect(try ValidationTests.diagnose(Fixtures.lesson("\n```classify\nimage: images/gato.png\ntop: 25\n```\n"))
            == ["\(ValidationTests.file):9:6: error: top must be a whole number from 1 to 20; got 25"])
        #expect(try ValidationTests.diagnose(Fixtures.lesson("\n```classify\nimages:\n  - images/gato.png\n"
            + "  - images/perro.png\n```\n"))
            == ["\(ValidationTests.file):10:5: error: images 'images/perro.png' does not exist in the lessons folder"])
        #expect(try ValidationTests.diagnose(Fixtures.lesson("\n```classify\ntop: 3\n```\n"))
            == ["\(ValidationTests.file):7:1: error: this classify block needs 'image', e.g. 'image: images/gato.png'"])
        #expect(try ValidationTests.diagnose(Fixtures.lesson("\n```classify\n```\n"))
            == ["\(ValidationTests.file):7:1: error: this classify block is empty; it needs at least "
                + "'image: images/<name>.png'"])
    }

    @Test func transferReadsSourceModelModelsAndInlineAttacks() throws {
        let directive = try Self.onlyDirective("""
            ```transfer
            image: images/gato.png
            source-model: lite0
            models: [lite0, lite2]
            target: trilobite
            attacks:
              - {method: pgd, epsilon: 8/255}
              - {method: talk-sign, bound-model-units: 0.01}
            caption: Transferencia.
            ```

            """)
        guard case .transfer(let transfer) = directive.body else {
            Issue.record("expected a transfer directive")
            return
        }
        #expect(transfer.sourceModel == "lite0")
        #expect(transfer.models == ["lite0", "lite2"])
        #expect(transfer.target?.index == 69)
        #expect(transfer.attacks.map(\.method) == ["pgd", "talk-sign"])
        #expect(transfer.attacks[0].steps == 10)
        #expect(transfer.attacks[0].randomStart == true)
        #expect(transfer.attacks[1].boundModelUnits == 0.01)
        #expect(transfer.attacks[1].goal == 0.95)
        #expect(directive.body.models == ["lite0", "lite2"])
        #expect(directive.presentation.show == ["grid", "table"])
        #expect(directive.figureNumber == 1)
        #expect(directive.anchor == "figura-1")
    }

    @Test func transferProblemsArePositioned() throws {
        let text = Fixtures.lesson("\n```transfer\nimage: images/gato.png\nmodels: [lite0, lite9]\n"
            + "attacks: []\n```\n")
        #expect(try ValidationTests.diagnose(text) == [
            "\(ValidationTests.file):9:17: error: unknown model 'lite9' in models; did you mean 'lite0'? "
                + "(models: lite0, lite2)",
            "\(ValidationTests.file):10:10: error: attacks is empty; list at least one attack, e.g. "
                + "'- {method: fgsm, epsilon: 2/255}'",
        ])
    }

    @Test func compareAcceptsBareMethodNamesForMethodsWithoutSettings() throws {
        let directive = try Self.onlyDirective("""
            ```compare
            image: images/tostadora.png
            attacks: [deepfool, {method: fgsm, epsilon: 4/255}, {method: square, epsilon: 4/255, queries: 300}]
            ```

            """)
        guard case .compare(let compare) = directive.body else {
            Issue.record("expected a compare directive")
            return
        }
        #expect(compare.target == nil)
        #expect(compare.attacks.map(\.method) == ["deepfool", "fgsm", "square"])
        #expect(compare.attacks[0].overshoot == 0.02)
        #expect(compare.attacks[0].steps == 50)
        #expect(compare.attacks[1].steps == nil)
        #expect(compare.attacks[2].queries == 300)
        #expect(directive.anchor == "compare-1")
        #expect(directive.altText == "comparison of deepfool, fgsm, square on images/tostadora.png with lite0")
    }

    @Test func canonicalNumbersAreNormalised() {
        #expect(CanonicalValue.map(["b": .number(0.5), "a": .number(2), "c": .number(-0.0)]).json
            == "{\"a\":2,\"b\":0.5,\"c\":0}")
        #expect(NumberText("2/255") == NumberText("0.00784313725490196"))
        #expect(NumberText(" 1 / 2 ") == .value(0.5))
        #expect(NumberText("2/0") == .zeroDenominator)
        #expect(NumberText("nan") == .unreadable)
        #expect(NumberText("0x10") == .unreadable)
    }
}
