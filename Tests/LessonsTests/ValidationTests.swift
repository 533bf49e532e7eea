import Foundation
import Testing
@testable import Lessons

/// Every validation error kind, with the exact `file:line:column` it is reported at.
@Suite struct ValidationTests {
    static let file = "lessons/es/01-prueba.md"

    /// A lesson whose body (from line 6) is one attack block; `extra` lines start on line 11.
    static func attackLesson(image: String = "images/gato.png", target: String = "trilobite",
                             method: String = "talk", extra: [String] = []) -> String {
        Fixtures.lesson("\n```attack\nimage: \(image)\ntarget: \(target)\nmethod: \(method)\n"
            + extra.map { $0 + "\n" }.joined() + "```\n")
    }

    /// The diagnostics of one Spanish lesson file with `text`.
    static func diagnose(_ text: String, setUp: (LessonFolder) throws -> Void = { _ in }) throws -> [String] {
        let folder = try LessonFolder()
        try setUp(folder)
        try folder.write("es/01-prueba.md", text)
        return folder.messages()
    }

    @Test func aValidAttackHasNoDiagnostics() throws {
        #expect(try Self.diagnose(Self.attackLesson(extra: ["steps: 200"])) == [])
    }

    @Test func unknownKeySuggestsTheNearestKey() throws {
        let messages = try Self.diagnose(Self.attackLesson(extra: ["stpes: 200"]))
        #expect(messages == ["\(Self.file):11:1: error: unknown key 'stpes'; did you mean 'steps'?"])
    }

    @Test func unknownKeyInsideAnIndentedFenceCountsTheIndentation() throws {
        let text = Fixtures.lesson("\n  ```attack\n  image: images/gato.png\n  target: trilobite\n  method: talk\n"
            + "  stpes: 3\n  ```\n")
        let messages = try Self.diagnose(text)
        #expect(messages == ["\(Self.file):11:3: error: unknown key 'stpes'; did you mean 'steps'?"])
    }

    @Test func unknownClassSuggestsTheNearestNames() throws {
        let messages = try Self.diagnose(Self.attackLesson(target: "trilobyte"))
        #expect(messages == ["\(Self.file):9:9: error: unknown class 'trilobyte'; did you mean 'trilobite'?"])
    }

    @Test func missingImageSuggestsAnExistingOne() throws {
        let messages = try Self.diagnose(Self.attackLesson(image: "images/gatto.png"))
        #expect(messages == ["\(Self.file):8:8: error: image 'images/gatto.png' does not exist in the lessons "
            + "folder; did you mean 'images/gato.png'?"])
    }

    @Test func imagePathWithDotDotThatLeavesTheFolderIsAnError() throws {
        let messages = try Self.diagnose(Self.attackLesson(image: "images/../../secret.png")) { folder in
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder.base + "/secret.png"))
        }
        #expect(messages == ["\(Self.file):8:8: error: image 'images/../../secret.png' leaves the lessons folder "
            + "('..' goes above it); copy the image into lessons/images/ and write images/<name>"])
    }

    @Test func dotDotThatStaysInsideIsAccepted() throws {
        #expect(try Self.diagnose(Self.attackLesson(image: "images/../images/gato.png")) == [])
    }

    @Test func absoluteImagePathIsAnError() throws {
        let messages = try Self.diagnose(Self.attackLesson(image: "/etc/passwd"))
        #expect(messages == ["\(Self.file):8:8: error: image '/etc/passwd' is an absolute path; write it relative "
            + "to the lessons folder, e.g. images/gato.png"])
    }

    @Test func symbolicLinkPointingOutsideIsAnError() throws {
        let folder = try LessonFolder()
        let outside = folder.base + "/outside.png"
        try Data(Fixtures.tinyPNG(red: 1)).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createSymbolicLink(atPath: folder.root + "/images/enlace.png",
                                                   withDestinationPath: outside)
        try folder.write("es/01-prueba.md", Self.attackLesson(image: "images/enlace.png"))
        let diagnostics = folder.load().diagnostics
        try #require(diagnostics.count == 1)
        #expect(diagnostics[0].location == SourceLocation(file: Self.file, line: 8, column: 8))
        #expect(diagnostics[0].message.hasPrefix("image 'images/enlace.png' is a symbolic link to "))
        #expect(diagnostics[0].message.hasSuffix("outside.png, outside the lessons folder; copy the image into the "
            + "lessons folder instead"))
    }

    @Test func symbolicLinkInsideTheFolderIsAccepted() throws {
        let messages = try Self.diagnose(Self.attackLesson(image: "images/alias.png")) { folder in
            try FileManager.default.createSymbolicLink(atPath: folder.root + "/images/alias.png",
                                                       withDestinationPath: "gato.png")
        }
        #expect(messages == [])
    }

    @Test(arguments: [
        ("epsilon: 0", "11:10: error: epsilon must be greater than 0 and less than 1 (on the [0,1] image scale, "
            + "e.g. 2/255 or 0.004); got 0"),
        ("epsilon: 1", "11:10: error: epsilon must be greater than 0 and less than 1 (on the [0,1] image scale, "
            + "e.g. 2/255 or 0.004); got 1"),
        ("epsilon: -2/255", "11:10: error: epsilon must be greater than 0 and less than 1 (on the [0,1] image "
            + "scale, e.g. 2/255 or 0.004); got -2/255"),
        ("epsilon: 2/0", "11:10: error: epsilon '2/0' divides by zero; the denominator of a fraction must not be 0 "
            + "(on the [0,1] image scale, e.g. 2/255 or 0.004)"),
        ("epsilon: dos", "11:10: error: epsilon must be a number greater than 0 and less than 1 (on the [0,1] image "
            + "scale, e.g. 2/255 or 0.004); got 'dos'"),
        ("steps: 0", "11:8: error: steps must be a whole number of 1 or more; got 0"),
        ("steps: 2.5", "11:8: error: steps must be a whole number of 1 or more; got '2.5'"),
        ("steps: [1, 2]", "11:8: error: steps must be a whole number of 1 or more, not a list"),
        ("goal: 1.5", "11:7: error: goal must be greater than 0 and less than 1 (a probability, e.g. 0.95); got 1.5"),
        ("grid: maybe", "11:7: error: grid must be true or false; got 'maybe'"),
        ("seed: -1", "11:7: error: seed must be a whole number from 0 to 4294967295; got -1"),
        ("model: lite3", "11:8: error: unknown model 'lite3' in model; did you mean 'lite0'? (models: "
            + "lite0, lite2)"),
        ("show: [comparison, noize]", "11:20: error: unknown figure 'noize' in show; did you mean 'noise'? (attack "
            + "blocks can show comparison, noise, noise-signed, confidence, progress, log, table)"),
        ("id: Ataque 1", "11:5: error: id 'Ataque 1' must be lowercase letters, digits and hyphens (it becomes a "
            + "link target); e.g. 'ataque-1'"),
    ])
    func badValuesSayWhatIsAllowed(line: String, expected: String) throws {
        let messages = try Self.diagnose(Self.attackLesson(extra: [line]))
        #expect(messages == ["\(Self.file):\(expected)"])
    }

    @Test func methodRulesAreChecked() throws {
        #expect(try Self.diagnose(Self.attackLesson(method: "fgsm")) == [
            "\(Self.file):10:1: error: fgsm needs a bound: add 'epsilon: 8/255' (on the [0,1] image scale)",
        ])
        #expect(try Self.diagnose(Self.attackLesson(method: "deepfool")) == [
            "\(Self.file):9:9: error: deepfool is untargeted: it moves the image just past the nearest decision "
                + "boundary; remove the target or use a targeted method such as pgd or cw",
        ])
        #expect(try Self.diagnose(Self.attackLesson(method: "pgd", extra: ["epsilon: 8/255", "momentum: 1"])) == [
            "\(Self.file):12:1: error: 'momentum' does not apply to pgd; it is a setting of mifgsm",
        ])
        #expect(try Self.diagnose(Self.attackLesson(method: "cw", extra: ["epsilon: 8/255"])) == [
            "\(Self.file):11:1: error: cw takes no epsilon: it searches for the smallest L2 perturbation itself; "
                + "remove epsilon, or use pgd-l2 for an L2-bounded attack",
        ])
        #expect(try Self.diagnose(Self.attackLesson(method: "fgsm", extra: ["epsilon: 2/255", "steps: 3"])) == [
            "\(Self.file):12:1: error: 'steps' does not apply to fgsm (fgsm takes exactly one step; use bim or pgd "
                + "for several); it is a setting of talk, talk-sign, bim, pgd, pgd-l2, mifgsm, cw, deepfool",
        ])
        #expect(try Self.diagnose(Self.attackLesson(method: "pgd", extra: ["epsilon: 0.5/255", "grid: true"])) == [
            "\(Self.file):11:10: error: epsilon 0.00196078431372549 is less than one grey level (1/255): with "
                + "grid: true the 8-bit image could not change at all; use at least 1/255",
        ])
        #expect(try Self.diagnose(Self.attackLesson(method: "tlak")) == [
            "\(Self.file):10:9: error: unknown attack method 'tlak'; did you mean 'talk'? (methods: talk, "
                + "talk-sign, fgsm, bim, pgd, pgd-l2, mifgsm, cw, deepfool, square)",
        ])
    }

    @Test func inlineAttackSpecsAreCheckedAtTheirOwnPositions() throws {
        let text = Fixtures.lesson("\n```compare\nimage: images/gato.png\ntarget: trilobite\nattacks:\n"
            + "  - {method: fgsm, epsilon: 2/255}\n  - {method: pgd, epsilon: 3, stpes: 4}\n  - deepfol\n```\n")
        let messages = try Self.diagnose(text)
        #expect(messages == [
            "\(Self.file):12:28: error: epsilon must be greater than 0 and less than 1 (on the [0,1] image scale, "
                + "e.g. 2/255 or 0.004); got 3",
            "\(Self.file):12:31: error: unknown key 'stpes'; did you mean 'steps'?",
            "\(Self.file):13:5: error: unknown attack method 'deepfol'; did you mean 'deepfool'? (methods: "
                + "talk, talk-sign, fgsm, bim, pgd, pgd-l2, mifgsm, cw, deepfool, square)",
        ])
    }

    @Test func unclosedFenceIsReportedAtTheOpeningFence() throws {
        let text = Fixtures.lesson("\nTexto.\n\n```attack\nimage: images/gato.png\nmethod: talk\n")
        let messages = try Self.diagnose(text)
        #expect(messages == ["\(Self.file):9:1: error: the attack block opened here is never closed; add a line "
            + "with ``` after its YAML"])
    }

    @Test func yamlSyntaxErrorsPointIntoTheBlock() throws {
        let messages = try Self.diagnose(Self.attackLesson(extra: ["caption: [sin cerrar"]))
        try #require(messages.count == 1)
        #expect(messages[0].hasPrefix("\(Self.file):12:1: error: the YAML of this attack block cannot be read:"))
    }

    @Test func duplicateIDIsReportedAtTheSecondID() throws {
        let block = "```classify\nimage: images/gato.png\nid: gato\n```\n"
        let messages = try Self.diagnose(Fixtures.lesson("\n" + block + "\n" + block))
        // First block: lines 7–10; blank line 11; second block: 12–15, its id on line 14.
        #expect(messages == ["\(Self.file):14:5: error: duplicate id 'gato': the block on line 7 already uses it; "
            + "ids must be unique in a lesson"])
    }

    @Test func unresolvedReferenceIsAnErrorButEmailsAndCodeAreNotReferences() throws {
        let text = Fixtures.lesson("\nVer @ataque-9 y escribir a ana@example.com o a @example.com.\n"
            + "El código `@ataque-9` tampoco cuenta, ni \\@ataque-9.\n\n```\n@ataque-9\n```\n")
        let messages = try Self.diagnose(text)
        #expect(messages == ["\(Self.file):7:5: error: '@ataque-9' refers to no figure: no directive in this lesson "
            + "(or another es lesson) has 'id: ataque-9' (write \\@ for a literal @)"])
    }

    @Test func referenceSuggestsTheNearestID() throws {
        let text = Fixtures.lesson("\n¿Qué muestra la @ataque-2?\n\n```classify\nimage: images/gato.png\n"
            + "caption: Un gato.\nid: ataque-1\n```\n")
        let messages = try Self.diagnose(text)
        #expect(messages == ["\(Self.file):7:17: error: '@ataque-2' refers to no figure: no directive in this "
            + "lesson (or another es lesson) has 'id: ataque-2'; did you mean 'ataque-1'? (write \\@ for a literal @)"])
    }

    @Test func frontMatterWithoutTitleIsAnError() throws {
        let messages = try Self.diagnose("---\norder: 1\nsummary: Algo.\n---\n\nTexto.\n")
        #expect(messages == ["\(Self.file):1:1: error: the front matter has no title; add 'title: …' (the page and "
            + "table of contents show it)"])
    }

    @Test func frontMatterProblems() throws {
        #expect(try Self.diagnose("---\ntitle: Uno\norder: primero\nsummary: Algo.\ntilte: x\n---\n") == [
            "\(Self.file):3:8: error: order must be a whole number (its place in the table of contents, e.g. 1); "
                + "got 'primero'",
            "\(Self.file):5:1: error: unknown key 'tilte'; did you mean 'title'?",
        ])
        #expect(try Self.diagnose("# Sin front matter\n") == [
            "\(Self.file):1:1: error: a lesson starts with front matter between two '---' lines, with title, order "
                + "and summary (e.g. 'title: Introducción')",
        ])
        #expect(try Self.diagnose("---\ntitle: Uno\norder: 1\n\nTexto.\n") == [
            "\(Self.file):1:1: error: the front matter opened by '---' on line 1 is never closed; add a line '---' "
                + "after the last front matter key",
        ])
    }

    @Test func duplicateOrderIsOnlyAWarning() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-uno.md", Fixtures.lesson("\nUno.\n", title: "Uno", order: 1))
        try folder.write("es/02-dos.md", Fixtures.lesson("\nDos.\n", title: "Dos", order: 1))
        let result = folder.load()
        #expect(result.diagnostics.map(\.description) == [
            "lessons/es/02-dos.md:3:8: warning: order 1 is also the order of lessons/es/01-uno.md; the two are "
                + "listed by file name",
        ])
        #expect(result.lessons?.lessons.count == 2)
    }

    @Test func everyErrorOfEveryFileIsReportedAtOnceInFileOrder() throws {
        let folder = try LessonFolder()
        try folder.write("es/02-b.md", Self.attackLesson(target: "trilobyte", extra: ["stpes: 2", "goal: 2"]))
        try folder.write("en/01-a.md", "---\norder: 1\n---\n\nSee @nothing.\n")
        let result = folder.load()
        #expect(result.lessons == nil)
        #expect(result.diagnostics.map(\.description) == [
            "lessons/en/01-a.md:1:1: error: the front matter has no title; add 'title: …' (the page and table of "
                + "contents show it)",
            "lessons/en/01-a.md:1:1: warning: the front matter has no summary; the table of contents will show none",
            "lessons/en/01-a.md:5:5: error: '@nothing' refers to no figure: no directive in this lesson (or another "
                + "en lesson) has 'id: nothing' (write \\@ for a literal @)",
            "lessons/es/02-b.md:9:9: error: unknown class 'trilobyte'; did you mean 'trilobite'?",
            "lessons/es/02-b.md:11:1: error: unknown key 'stpes'; did you mean 'steps'?",
            "lessons/es/02-b.md:12:7: error: goal must be greater than 0 and less than 1 (a probability, e.g. 0.95); "
                + "got 2",
        ])
    }

    @Test func directiveInsideAListIsAnError() throws {
        let text = Fixtures.lesson("\n- Un punto:\n\n  ```classify\n  image: images/gato.png\n  ```\n")
        #expect(try Self.diagnose(text) == [
            "\(Self.file):9:3: error: the classify block is inside a list or quote; directive blocks must start at "
                + "the left margin of the lesson",
        ])
    }

    @Test func misspeltDirectiveNameIsAWarning() throws {
        let text = Fixtures.lesson("\n```atack\nimage: images/gato.png\n```\n")
        #expect(try Self.diagnose(text) == [
            "\(Self.file):7:1: warning: the code block 'atack' is shown as code; did you mean the directive 'attack'?",
        ])
    }

    @Test func missingLessonsFolderIsAnError() {
        let context = DirectiveContext(lessonsRoot: "/nonexistent/trilobite/lessons", resolveClass: FakeClasses.resolve)
        let result = LessonLoader.load(context: context, displayRoot: "lessons")
        #expect(result.lessons == nil)
        #expect(result.errors.map(\.description) == [
            "lessons: error: the lessons folder does not exist; create it with one folder per language, e.g. "
                + "lessons/es/01-introduccion.md",
        ])
    }
}
