import Foundation
import Testing
@testable import Site

/// Per-slide speaker notes reach the speaker view's data, one inert template per slide, and
/// nothing else: not the lesson page, not the slides themselves.
@Suite struct SpeakerNotesPageTests {
    /// The fixture's Spanish lesson with a notes block on each of its two slides; the first
    /// says a measured number aloud.
    static let lessonWithNotes = SiteProject.spanishLesson
        .replacingOccurrences(of: "## El ataque", with: "```notes\nDecir **{{clases.top1_p}}** en voz alta.\n```\n\n## El ataque")
        + "\n\n```notes\n- Señalar el ruido del centro.\n- Pasar a la tabla.\n```\n"

    /// The page without its `<template>` elements: what a browser renders or a screen reader reads.
    static func withoutTemplates(_ html: String) -> String {
        html.replacingOccurrences(of: #"<template[^>]*>[\s\S]*?</template>"#, with: "", options: .regularExpression)
    }

    @Test func eachSlidesNotesAreInTheSpeakerViewDataOnly() throws {
        let project = try WarmTemplate.warmProject()
        try project.write("es/01-ataque.md", Self.lessonWithNotes)
        let result = try project.build()
        // Notes are not directives: adding them reruns nothing (every key is still in the cache).
        #expect(!result.reports.isEmpty)
        #expect(result.reports.allSatisfy { !$0.ran })

        let slides = try project.read("es/01-ataque.slides.html")
        let first = try #require(slides.range(of: "<template class=\"slide-notes\" data-slide=\"1\">\n"))
        let firstNotes = String(slides[first.upperBound...].prefix(200))
        #expect(firstNotes.hasPrefix("<p>Decir <strong>"))
        #expect(firstNotes.contains("%</strong> en voz alta.</p>"), "the {{…}} value is filled in")
        #expect(!slides.contains("{{clases.top1_p}}"))
        #expect(slides.contains("<template class=\"slide-notes\" data-slide=\"2\">\n<ul>\n<li>Señalar el ruido del centro.</li>"))
        #expect(slides.components(separatedBy: "<template class=\"slide-notes\"").count == 3)
        // Outside the templates the slides page has no trace of the notes…
        let rendered = Self.withoutTemplates(slides)
        #expect(!rendered.contains("en voz alta"))
        #expect(!rendered.contains("Señalar el ruido"))
        // …only the place the speaker view fills in, and the front matter's notes for the lesson.
        #expect(rendered.contains("<h2 class=\"speaker-notes-title\">Notas de esta diapositiva</h2>"))
        #expect(rendered.contains("<div class=\"speaker-slide-notes\" data-notes-slide=\"\">"))
        #expect(rendered.contains("<h2 class=\"speaker-notes-title\">Notas generales de la lección</h2>"))
        #expect(rendered.contains("<p>Hablar despacio.</p>"))
        #expect(try project.read("assets/slides.js").contains("template.slide-notes[data-slide="))

        let page = try project.read("es/01-ataque.html")
        for text in ["en voz alta", "Señalar el ruido", "Hablar despacio", "<template", "speaker-notes", "```"] {
            #expect(!page.contains(text), "the lesson page shows no notes: \(text)")
        }
        // The prose on either side of a notes block is still on the page.
        #expect(page.contains("<h2 id=\"el-ataque\">"))
    }

    @Test func aDeckWithoutNotesSaysSoPerSlide() throws {
        let project = try WarmTemplate.project.get()
        let english = try project.read("en/01-ataque.slides.html")
        #expect(!english.contains("<template class=\"slide-notes\""))
        #expect(english.contains("<p class=\"speaker-no-notes\">This slide has no notes.</p>"))
        #expect(!english.contains("General notes for the lesson"), "the English fixture has no front matter notes")
    }
}
