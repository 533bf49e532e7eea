import Foundation
import Lessons
import Runner
import Testing
@testable import Site

/// A lesson with a `diagram` block, built end to end without weights: the figure on each
/// language's page, its file, its alt text and its numbered caption.
@Suite(.serialized) struct DiagramPageTests {
    static let spanishLesson = """
        ---
        title: Entrenar frente a atacar
        order: 1
        summary: El esquema de la charla.
        ---

        Como muestra @esquema, al atacar la red no cambia.

        ```diagram
        name: attack-loop
        caption: Entrenar la red frente a **atacarla**.
        id: esquema
        ```
        """

    static let englishLesson = """
        ---
        title: Training versus attacking
        order: 1
        summary: The talk's diagram.
        ---

        As @esquema shows, the network does not change when attacked.

        ```diagram
        name: attack-loop
        caption: Training the network versus **attacking** it.
        alt: Two loops; in the second the image changes and the network is frozen.
        id: esquema
        ```
        """

    /// A project with only the diagram lessons, and a weights folder holding only the labels.
    static func build() throws -> (SiteProject, BuildResult) {
        let project = try SiteProject(writeLessons: false)
        try project.write("es/01-esquema.md", spanishLesson)
        try project.write("en/01-esquema.md", englishLesson)
        let labelsOnly = project.base + "/labels-only"
        try FileManager.default.createDirectory(atPath: labelsOnly, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ProjectPaths.weights + "/imagenet_labels.tsv",
                                         toPath: labelsOnly + "/imagenet_labels.tsv")
        var options = project.options
        options.weightsFolder = labelsOnly
        let result = try SiteBuild.run(options, displayRoot: "lessons")
        return (project, result)
    }

    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    @Test func aDiagramLessonBuildsWithAFigurePerLanguageAndAltText() throws {
        let (project, result) = try Self.build()
        #expect(result.reports.count == 1, "the two pages share one diagram job")
        #expect(result.reports.first?.figuresDrawn == 2)

        let spanish = try project.read("es/01-esquema.html")
        let english = try project.read("en/01-esquema.html")
        #expect(spanish.contains("<figure class=\"directive directive-diagram\" id=\"esquema\">"))
        #expect(spanish.contains("<figcaption><span class=\"figure-label\">Figura 1:</span> Entrenar la red frente a "
            + "<strong>atacarla</strong>.</figcaption>"))
        #expect(english.contains("<figcaption><span class=\"figure-label\">Figure 1:</span> Training the network "
            + "versus <strong>attacking</strong> it.</figcaption>"))
        #expect(spanish.contains("<a href=\"#esquema\">Figura 1</a>"))
        // No adversarial image and no result to download.
        #expect(!spanish.contains("class=\"downloads\""))

        for (page, language) in [(spanish, "es"), (english, "en")] {
            let source = try #require(Self.capture(#"<img class="figure-image figure-diagram" src="\.\./([^"]+)""#, in: page))
            #expect(source.hasSuffix("/diagram.\(language).png"))
            let bytes = try #require(FileManager.default.contents(atPath: project.site + "/" + source))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
        // The diagram's own alt text, unless `alt:` replaces it.
        let spanishAlt = try #require(Self.capture(#"figure-diagram"[^>]* alt="([^"]*)""#, in: spanish))
        #expect(spanishAlt.hasPrefix("Dos bucles comparados.") && spanishAlt.contains("respecto a la IMAGEN"))
        let englishAlt = try #require(Self.capture(#"figure-diagram"[^>]* alt="([^"]*)""#, in: english))
        #expect(englishAlt == "Two loops; in the second the image changes and the network is frozen.")

        let problems = try LinkChecker.problems(in: project.site)
        #expect(problems == [])
    }
}
