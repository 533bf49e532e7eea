import Foundation
import Testing
@testable import Lessons

/// ```` ```notes ```` blocks: speaker notes that belong to the slide they sit in, never a part
/// of the page, never a directive.
@Suite struct SpeakerNotesTests {
    static let file = "lessons/es/01-prueba.md"

    /// Three slides (the top, `## Segunda`, after `---`); the first and the third have notes.
    /// The body starts on line 6.
    static let threeSlides = Fixtures.lesson("""
        Texto de la portada.

        ```notes
        Presentar la charla **despacio**.
        ```

        ## Segunda

        Texto de la segunda.

        ---

        Texto de la tercera.

        ```notes
        - señalar el mapa de calor
        - decir el número en voz alta
        ```

        Y una línea más en la tercera.
        """)

    static func load(_ text: String) throws -> (lesson: Lesson?, messages: [String]) {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", text)
        let result = folder.load()
        return (result.lessons?.lessons.first, result.diagnostics.map(\.description))
    }

    static func proseMarkdown(_ lesson: Lesson) -> String {
        lesson.parts.compactMap { part -> String? in
            if case .prose(let chunk) = part { return chunk.markdown }
            return nil
        }.joined()
    }

    @Test func notesBelongToTheSlideTheySitIn() throws {
        let (loaded, messages) = try Self.load(Self.threeSlides)
        #expect(messages == [])
        let lesson = try #require(loaded)
        #expect(lesson.slides.map(\.title) == [nil, "Segunda", nil])
        #expect(lesson.slides.map { $0.notes?.markdown } == [
            "Presentar la charla **despacio**.\n", nil,
            "- señalar el mapa de calor\n- decir el número en voz alta\n",
        ])
        // Line of the first line inside each block, for messages about the notes.
        #expect(lesson.slides.map { $0.notes?.startLine } == [9, nil, 21])
        let third = try #require(lesson.slides[2].notes)
        #expect(third.html().contains("<li>señalar el mapa de calor</li>"))
        #expect(try #require(lesson.slides[0].notes).html() == "<p>Presentar la charla <strong>despacio</strong>.</p>\n")
        // The prose around a notes block stays in its slide, and the notes are in no part.
        #expect(lesson.slides[2].parts.count == 2)
        let prose = Self.proseMarkdown(lesson)
        #expect(prose.contains("Y una línea más en la tercera."))
        #expect(!prose.contains("despacio"))
        #expect(!prose.contains("mapa de calor"))
        #expect(!prose.contains("```"))
    }

    @Test func notesAreNeitherADirectiveNorAComputation() throws {
        let lesson = try #require(try Self.load(Self.threeSlides).lesson)
        #expect(lesson.directives.isEmpty)
        #expect(lesson.resultReferences.isEmpty)
        #expect(lesson.parts.allSatisfy { part in
            if case .prose = part { return true }
            return false
        })
    }

    @Test func notesBeforeAHeadingBelongToThePreviousSlide() throws {
        let text = Fixtures.lesson("Portada.\n\n## Dos\n\nTexto.\n\n```notes\nDe la dos.\n```\n\n## Tres\n\nTexto.\n")
        let lesson = try #require(try Self.load(text).lesson)
        #expect(lesson.slides.map { $0.notes?.markdown } == [nil, "De la dos.\n", nil])
    }

    @Test func resultReferencesInNotesAreCheckedAndCollected() throws {
        let text = Fixtures.lesson("""
            ```classify
            image: images/gato.png
            id: gato
            ```

            ```notes
            Decir en voz alta: {{gato.top1_p}} para «{{gato.top1}}».
            ```
            """)
        let (loaded, messages) = try Self.load(text)
        #expect(messages == [])
        let lesson = try #require(loaded)
        #expect(lesson.resultReferences.map(\.text) == ["gato.top1_p", "gato.top1"])
        #expect(lesson.resultReferences.map(\.location.line) == [12, 12])
        let html = try #require(lesson.slides[0].notes).html(resultValues: ["gato.top1_p": "41,2 %", "gato.top1": "tabby"])
        #expect(html == "<p>Decir en voz alta: 41,2 % para «tabby».</p>\n")

        let wrong = Fixtures.lesson("Texto.\n\n```notes\nSon {{gatto.top1_p}}.\n```\n")
        let wrongMessages = try Self.load(wrong).messages
        #expect(wrongMessages.count == 1)
        #expect(wrongMessages.first?.hasPrefix("\(Self.file):9:5: error: {{gatto.top1_p}} names no directive") == true)
    }

    @Test func anEmptyNotesBlockIsAnErrorAtItsFence() throws {
        let messages = try Self.load(Fixtures.lesson("Texto.\n\n```notes\n   \n```\n")).messages
        #expect(messages == ["\(Self.file):8:1: error: this notes block is empty; write the speaker notes for this "
            + "slide between its ``` lines, or remove the block"])
    }

    @Test func twoNotesBlocksOnOneSlideAreAnError() throws {
        let text = Fixtures.lesson("Texto.\n\n```notes\nUna.\n```\n\nMás texto.\n\n~~~~ notes\nOtra.\n~~~~\n")
        let messages = try Self.load(text).messages
        #expect(messages == ["\(Self.file):14:1: error: this slide already has a notes block (line 8); a slide "
            + "takes one: merge the two into one block"])
        // On different slides they are fine.
        let separate = Fixtures.lesson("Texto.\n\n```notes\nUna.\n```\n\n---\n\nMás.\n\n```notes\nOtra.\n```\n")
        #expect(try Self.load(separate).messages == [])
    }

    @Test func notesOnASlideWithNothingElseAreAnError() throws {
        let text = Fixtures.lesson("Portada.\n\n---\n\n```notes\nHuérfana.\n```\n\n## Dos\n\nTexto.\n")
        let messages = try Self.load(text).messages
        #expect(messages == ["\(Self.file):10:1: error: this notes block is on a slide with nothing else on it, "
            + "which is dropped; put it after the content of the slide it is for (slides start at the top, at each "
            + "'##' heading and at each '---' line)"])
    }

    @Test func anUnclosedNotesBlockIsAnError() throws {
        let messages = try Self.load(Fixtures.lesson("Texto.\n\n```notes\nSin cerrar.\n")).messages
        #expect(messages == ["\(Self.file):8:1: error: the notes block opened here is never closed; add a line "
            + "with ``` after the notes"])
    }

    @Test func notesInsideAListAreAnErrorAndANearMissIsAWarning() throws {
        let nested = try Self.load(Fixtures.lesson("- Punto.\n\n  ```notes\n  Dentro.\n  ```\n")).messages
        #expect(nested == ["\(Self.file):8:3: error: the notes block is inside a list or quote; a notes block must "
            + "start at the left margin of the lesson, inside the slide it is for"])
        let near = try Self.load(Fixtures.lesson("Texto.\n\n```note\nCasi.\n```\n")).messages
        #expect(near == ["\(Self.file):8:1: warning: the code block 'note' is shown as code; did you mean the "
            + "speaker notes block 'notes'?"])
    }
}
