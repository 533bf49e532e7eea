import Foundation
import Testing
@testable import Lessons

/// `{{id.field}}` references in prose and captions: found, checked with positions, substituted.
@Suite struct ResultReferenceTests {
    static let file = "lessons/es/01-prueba.md"

    /// Line 6 is blank; the attack block spans lines 7–14 (caption on 12); `prose` starts on line 16.
    static func lesson(prose: String, caption: String = "Un ataque.") -> String {
        Fixtures.lesson("""

            ```attack
            image: images/gato.png
            target: trilobite
            method: pgd
            epsilon: 2/255
            caption: \(caption)
            id: ataque-1
            ```

            \(prose)

            ```compare
            image: images/gato.png
            attacks:
              - {method: fgsm, epsilon: 2/255}
              - {method: pgd, epsilon: 2/255}
              - {method: pgd, epsilon: 4/255}
            id: comparacion
            ```

            ```transfer
            image: images/gato.png
            target: trilobite
            attacks: [{method: pgd, epsilon: 4/255}]
            id: transferencia
            ```

            ```classify
            images: [images/gato.png, images/tostadora.png]
            top: 3
            id: clases
            ```

            """)
    }

    static func diagnose(_ prose: String, caption: String = "Un ataque.") throws -> [String] {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", lesson(prose: prose, caption: caption))
        return folder.messages()
    }

    static func load(_ prose: String, caption: String = "Un ataque.") throws -> Lesson {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", lesson(prose: prose, caption: caption))
        let result = folder.load()
        #expect(result.errors.map(\.description) == [])
        return try #require(result.lessons?.lessons.first)
    }

    @Test func validReferencesOfEveryKindAreAccepted() throws {
        let lesson = try Self.load("""
            Tras {{ataque-1.steps}} pasos, p = {{ ataque-1.target_p_after }} ({{ataque-1.success}}).
            FGSM: {{comparacion.fgsm.linf_grey}}; el segundo PGD: {{comparacion.3.psnr}}.
            En Lite2: {{transferencia.lite2.target_p}}; en origen {{transferencia.steps}}.
            Primera imagen: {{clases.1.top1}} ({{clases.1.top1_p}}), segunda: {{clases.2.top3_p}}.
            """)
        let references = lesson.resultReferences
        #expect(references.map(\.text) == [
            "ataque-1.steps", "ataque-1.target_p_after", "ataque-1.success", "comparacion.fgsm.linf_grey",
            "comparacion.3.psnr", "transferencia.lite2.target_p", "transferencia.steps", "clases.1.top1",
            "clases.1.top1_p", "clases.2.top3_p",
        ])
        #expect(references[1].row == .attack)
        #expect(references[1].field == .attack(.targetProbabilityAfter))
        #expect(references[3].row == .attackNumber(0))
        #expect(references[4].row == .attackNumber(2))
        #expect(references[5].row == .evaluation(attack: 0, model: "lite2"))
        #expect(references[5].field == .evaluation(.targetProbability))
        #expect(references[6].row == .attackNumber(0))
        #expect(references[9].row == .image(1))
        #expect(references[9].field == .classification(.probability(rank: 3)))
        // The position of the second reference's `{{`: line 16, after "Tras {{ataque-1.steps}} pasos, p = ".
        #expect(references[1].location == SourceLocation(file: Self.file, line: 16, column: 36))
    }

    @Test func unknownIDNamesTheNearestID() throws {
        let messages = try Self.diagnose("Pasos: {{ataqe-1.steps}}.")
        #expect(messages == ["\(Self.file):16:8: error: {{ataqe-1.steps}} names no directive on this page: no block "
            + "here has 'id: ataqe-1'; did you mean 'ataque-1'? (ids on this page: ataque-1, clases, comparacion, "
            + "transferencia)"])
    }

    @Test func unknownIDFarFromEveryIDStillNamesTheClosest() throws {
        let messages = try Self.diagnose("{{zzz.steps}}")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("\(Self.file):16:1: error: {{zzz.steps}} names no directive on this page"))
        #expect(messages[0].contains("did you mean 'clases'?"))
    }

    @Test func unknownFieldListsTheValidFields() throws {
        let messages = try Self.diagnose("x {{ataque-1.stpes}}")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("\(Self.file):16:3: error: unknown field 'stpes' in {{ataque-1.stpes}}; "
            + "did you mean 'steps'? (an attack result has steps, seconds, method, queries, success"))
        #expect(messages[0].contains("bound_model"))
    }

    @Test func unknownClassifyFieldListsItsFields() throws {
        let messages = try Self.diagnose("{{clases.1.label}}")
        #expect(messages == ["\(Self.file):16:1: error: unknown field 'label' in {{clases.1.label}} (a classify "
            + "result has top1, top1_p, top2, top2_p, top3, top3_p)"])
    }

    @Test func rankBeyondTopIsAnError() throws {
        let messages = try Self.diagnose("{{clases.1.top4}}")
        #expect(messages == ["\(Self.file):16:1: error: {{clases.1.top4}}: the block lists its top 3 classes, so "
            + "there is no top4; raise 'top' or use top1…top3"])
    }

    @Test func classifyWithSeveralImagesNeedsTheImage() throws {
        let messages = try Self.diagnose("{{clases.top1}}")
        #expect(messages == ["\(Self.file):16:1: error: {{clases.top1}}: this classify block has 2 images; say "
            + "which one, e.g. {{clases.1.top1}} for images/gato.png"])
    }

    @Test func ambiguousCompareRowAsksForThePosition() throws {
        let messages = try Self.diagnose("{{comparacion.pgd.steps}}")
        #expect(messages == ["\(Self.file):16:1: error: {{comparacion.pgd.steps}}: the compare block uses pgd 2 "
            + "times (attacks 2, 3); write the position instead, e.g. {{comparacion.2…}}"])
    }

    @Test func unknownCompareRowListsTheRows() throws {
        let messages = try Self.diagnose("{{comparacion.fgsn.steps}}")
        #expect(messages == ["\(Self.file):16:1: error: {{comparacion.fgsn.steps}}: the compare block has no attack "
            + "'fgsn'; did you mean 'fgsm'? (rows: fgsm or 1 to 3)"])
    }

    @Test func targetFieldsOfAnUntargetedAttackAreErrors() throws {
        let messages = try Self.diagnose("{{comparacion.1.target_p_after}}")
        #expect(messages == ["\(Self.file):16:1: error: {{comparacion.1.target_p_after}}: the attack is "
            + "untargeted, so there is no target_p_after; add a target or use original, original_p_after or top1_after"])
    }

    @Test func unknownModelFieldListsTheModelFields() throws {
        let messages = try Self.diagnose("{{transferencia.lite2.target_p_after}}")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("\(Self.file):16:1: error: unknown field 'target_p_after' in "
            + "{{transferencia.lite2.target_p_after}} (a model of a transfer block has top1, top1_p, target,"))
    }

    @Test func missingFieldIsAnError() throws {
        let messages = try Self.diagnose("{{ataque-1}}")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("\(Self.file):16:1: error: {{ataque-1}} needs a field after the id, "
            + "e.g. {{ataque-1.steps}}"))
    }

    @Test func bracesWithOtherCharactersAreNotReferences() throws {
        #expect(try Self.diagnose("Una fórmula {{a+b}} y `{{ataqe.steps}}` en código.") == [])
    }

    @Test func captionReferencesAreCheckedAtTheCaption() throws {
        let messages = try Self.diagnose("Texto.", caption: "Tras {{ataque-1.stesp}} pasos.")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("\(Self.file):12:15: error: unknown field 'stesp' in {{ataque-1.stesp}}; "
            + "did you mean 'steps'?"))
    }

    @Test func valuesAreSubstitutedAsEscapedTextOutsideCode() throws {
        let lesson = try Self.load("**{{ataque-1.target_p_after}}** y `{{ataque-1.steps}}`.",
                                   caption: "Tras {{ataque-1.steps}} pasos.")
        guard case .prose(let chunk) = lesson.parts[1] else {
            Issue.record("expected prose after the attack block")
            return
        }
        let html = chunk.html(resultValues: ["ataque-1.target_p_after": "98,9 %", "ataque-1.steps": "<12>"])
        #expect(html == "<p><strong>98,9 %</strong> y <code>{{ataque-1.steps}}</code>.</p>\n")
        let caption = lesson.directives[0].captionHTML(resultValues: ["ataque-1.steps": "<12>"])
        #expect(caption == "Tras &lt;12&gt; pasos.")
        #expect(lesson.directives[0].captionReferences.map(\.text) == ["ataque-1.steps"])
    }

    @Test func boundFieldsOfAnUnboundedAttackAreErrors() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Fixtures.lesson("""

            ```attack
            image: images/gato.png
            target: trilobite
            method: talk
            id: charla
            ```

            Cota: {{charla.bound_grey}}.
            """))
        #expect(folder.messages() == ["\(Self.file):14:7: error: {{charla.bound_grey}}: the talk attack runs without "
            + "a bound, so there is no bound_grey; use linf_grey for the size of the change it made"])
    }

    @Test func anUnknownFieldOfABrokenBlockIsStillReported() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Fixtures.lesson("""

            ```attack
            image: images/gato.png
            target: trilobyte
            method: pgd
            epsilon: 2/255
            id: roto
            ```

            {{roto.steps}} y {{roto.stesp}}.
            """))
        let messages = folder.messages()
        #expect(messages.count == 2)
        #expect(messages[0].hasPrefix("\(Self.file):9:9: error: unknown class 'trilobyte'"))
        #expect(messages[1].hasPrefix("\(Self.file):15:18: error: unknown field 'stesp' in {{roto.stesp}}; did you mean 'steps'?"))
    }
}
