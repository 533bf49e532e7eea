import Figures
import Foundation
import Lessons
import Runner
import Testing
@testable import Site

/// A lesson with a `sweep` block, built end to end on the real network: the chart per language
/// with its alt text and numbered caption, the table of points linked to their PNGs, the
/// downloads, and references filled in from the same numbers.
@Suite(.serialized) struct SweepPageTests {
    static func lesson(language: String) -> String {
        let spanish = language == "es"
        return """
            ---
            title: \(spanish ? "Barrido" : "Sweep")
            order: 1
            summary: \(spanish ? "Éxito frente a ε." : "Success against ε.")
            ---

            \(spanish ? "Con 4 niveles, PGD da" : "At 4 levels, PGD gives") {{barrido.pgd.eps4.target_p_after}}.

            ```sweep
            image: images/chelsea.png
            target: trilobite
            methods: [fgsm, {method: pgd, steps: 2, grid: true}]
            epsilons: [2/255, 4/255]
            caption: \(spanish ? "La gata frente a ε." : "The cat against ε.")
            id: barrido
            ```
            """
    }

    static func build() throws -> (SiteProject, BuildResult) {
        let project = try SiteProject(writeLessons: false)
        try project.write("es/01-barrido.md", lesson(language: "es"))
        try project.write("en/01-barrido.md", lesson(language: "en"))
        return (project, try project.build())
    }

    @Test func theSweepHasItsChartTableCaptionAndDownloads() throws {
        let (project, result) = try Self.build()
        #expect(result.reports.filter(\.ran).count == 4, "4 points, run once for both pages")
        #expect(result.reports.filter { $0.assembledFrom == 4 }.count == 1)

        for language in ["es", "en"] {
            let words = FigureLanguage(lessonLanguage: language)
            let page = try project.read("\(language)/01-barrido.html")
            #expect(page.contains("<figure class=\"directive directive-sweep\" id=\"barrido\">"))
            #expect(page.contains("<span class=\"figure-label\">\(language == "es" ? "Figura" : "Figure") 1:</span>"))

            // The chart: a PNG in the job's folder, alt text from its data.
            let source = try #require(DiagramPageTests.capture(#"<img class="figure-image figure-chart" src="\.\./([^"]+)""#,
                                                               in: page))
            #expect(source.hasSuffix("/chart.\(language).png"))
            let png = try #require(FileManager.default.contents(atPath: project.site + "/" + source))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let alt = try #require(DiagramPageTests.capture(#"figure-chart"[^>]* alt="([^"]*)""#, in: page))
            #expect(alt.contains(language == "es" ? "frente a ε en niveles de gris" : "against ε in grey levels"))
            #expect(page.contains("href=\"../\(source)\" download=\"barrido-chart.\(language).png\""))

            // The record the page was made from.
            let key = try #require(DiagramPageTests.capture(#"href="\.\./data/([0-9a-f]+)\.json""#, in: page))
            let json = try #require(FileManager.default.contents(atPath: project.site + "/data/\(key).json"))
            let sweep = try #require(try JSONDecoder().decode(DirectiveResult.self, from: json).sweep)
            #expect(sweep.points.count == 4)

            // The table: a header per ε, each cell the point's probability linked to its PNG, and its success.
            #expect(page.contains("<table class=\"results sweep\">"))
            #expect(page.contains("<th class=\"number\">ε = 2/255</th><th class=\"number\">ε = 4/255</th>"))
            for point in sweep.points {
                let probability = words.percent(Double(try #require(point.attack.summary.targetProbabilityAfter)))
                let cell = "<a href=\"../data/\(point.key)/adversarial.png\">\(probability.replacingOccurrences(of: "<", with: "&lt;"))</a> "
                    + "<span class=\"\(point.attack.summary.success ? "yes" : "no")\">"
                #expect(page.contains(cell), "no cell \(cell)")
                #expect(FileManager.default.fileExists(atPath: project.site + "/data/\(point.key)/adversarial.png"))
                #expect(!FileManager.default.fileExists(atPath: project.site + "/data/\(point.key)/original.png"),
                        "a point only a sweep shows publishes no copy of the original")
            }

            // The reference in the prose reads the same point.
            let pgd = try #require(sweep.point(image: 0, series: 1, epsilon: 1))
            let value = words.percent(Double(try #require(pgd.attack.summary.targetProbabilityAfter)))
            #expect(page.contains(" \(value)."))
        }
        #expect(try LinkChecker.problems(in: project.site) == [])
    }
}
