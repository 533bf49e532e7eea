import Figures
import Foundation
import Imaging
import Lessons
import Testing
@testable import Runner

/// The runner on the real EfficientNet-Lite0 with tiny attacks: results, files, cache, figures.
@Suite(.serialized) struct DirectiveRunnerTests {
    static let attack = """
        ```attack
        image: images/chelsea.png
        target: trilobite
        method: pgd
        epsilon: 2/255
        steps: 3
        show: [comparison, log]
        caption: Un ataque.
        id: pgd
        ```

        ```classify
        image: images/coffee.png
        top: 3
        ```
        """

    /// A project whose Spanish and English lessons share the attack (the English one also shows
    /// the confidence chart).
    static func project() throws -> RunnerProject {
        let project = try RunnerProject()
        try project.write("es/01-prueba.md", RunnerProject.lesson(attack))
        try project.write("en/01-prueba.md", RunnerProject.lesson(
            attack.replacingOccurrences(of: "show: [comparison, log]", with: "show: [comparison, confidence]")))
        return project
    }

    @Test func runsEachComputationOnceThenServesItFromTheCache() throws {
        let project = try Self.project()
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        #expect(plan.jobs.count == 2, "the Spanish and English attack share one job")
        #expect(plan.directiveCount == 4)

        let first = try project.runner().run(plan, lessons: lessons)
        #expect(first.failures.isEmpty, "\(first.failures.map { $0.failure ?? "" })")
        #expect(first.reports.map(\.ran) == [true, true])
        let attackKey = plan.jobs[0].key
        let output = try #require(first.outputs[attackKey])
        #expect(Set(output.files.keys) == ["result.json", "original.png", "adversarial.png"])
        #expect(Set(output.figures.keys) == [FigureRequest(name: "comparison", language: "es"),
                                              FigureRequest(name: "comparison", language: "en"),
                                              FigureRequest(name: "confidence", language: "en")])
        #expect(first.reports[0].figuresDrawn == 3)

        let second = try project.runner().run(plan, lessons: lessons)
        #expect(second.reports.map(\.ran) == [false, false])
        #expect(second.reports[0].figuresFromCache == 3)
        #expect(second.reports[0].figuresDrawn == 0)
        let again = try #require(second.outputs[attackKey])
        #expect(again.files == output.files)
        #expect(again.figures == output.figures)
    }

    @Test func theAttackIsMeasuredOnTheSavedPNGAndChecked() throws {
        let project = try Self.project()
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        let outcome = try project.runner(workers: 1).run(plan, lessons: lessons)
        let output = try #require(outcome.outputs[plan.jobs[0].key])
        let record = try #require(output.record.attack)
        #expect(record.savedImageCheck.matchesResult)
        #expect(record.summary.steps == 3)
        #expect(record.summary.metrics.linfGreyLevels <= 2)
        #expect(record.boundDescription == "2/255")
        let saved = try ImageCodec.decode(try #require(output.files["adversarial.png"]), name: "adversarial.png")
        #expect(saved.width == 224 && saved.height == 224)
        #expect(output.record.value(.attack, .attack(.steps)) == .count(3))
        #expect(output.record.value(.attack, .attack(.target)) == .text("trilobite"))
        // No pixel arrays in the JSON.
        let json = String(decoding: try #require(output.files["result.json"]), as: UTF8.self)
        #expect(!json.contains("originalImage") && !json.contains("adversarialImage"))
        #expect(json.utf8.count < 40_000)

        let spanish = ConsoleLog.lines(for: record, language: .spanish)
        #expect(spanish.filter { $0.hasPrefix("Error de la Red: ") }.count == 3)
        #expect(spanish.last == "Se han realizado 3 modificaciones sobre la imagen")
        #expect(spanish.contains { $0.hasPrefix("El tiempo de ejecución ha sido: ") && $0.hasSuffix(" segundos") })
        #expect(ConsoleLog.lines(for: record, language: .english).first?.hasPrefix("Network error: ") == true)

        let classify = try #require(outcome.outputs[plan.jobs[1].key]?.record)
        #expect(classify.classification?.first?.top.count == 3)
        #expect(classify.value(.image(0), .classification(.label(rank: 1))) == .text("espresso"))
    }

    @Test func aDamagedCacheEntryIsComputedAgain() throws {
        let project = try Self.project()
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        _ = try project.runner().run(plan, lessons: lessons)
        // Flip bytes of the cached adversarial PNG.
        let path = project.cacheFolder + "/" + plan.jobs[0].key.hex + "/adversarial.png"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let outcome = try project.runner().run(plan, lessons: lessons)
        #expect(outcome.reports.map(\.ran) == [true, false])
        #expect(outcome.failures.isEmpty)
        #expect(ResultCache(folder: project.cacheFolder).lookup(plan.jobs[0].key) != nil)
    }

    @Test func figuresAreDrawnInThePagesLanguage() throws {
        let project = try Self.project()
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        let outcome = try project.runner().run(plan, lessons: lessons)
        let figures = try #require(outcome.outputs[plan.jobs[0].key]?.figures)
        let spanish = try #require(figures[FigureRequest(name: "comparison", language: "es")])
        let english = try #require(figures[FigureRequest(name: "comparison", language: "en")])
        #expect(spanish.altText.contains("clasificada"))
        #expect(english.altText.contains("classified"))
        #expect(spanish.png != english.png)
        #expect(spanish.width > 100 && spanish.height > 100)
    }

    @Test func aFailingJobIsReportedWithItsPlaceAndTheOthersStillRun() throws {
        let project = try Self.project()
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: project.lessonsRoot + "/images/broken.png"))
        try project.write("es/02-roto.md", RunnerProject.lesson("```classify\nimage: images/broken.png\n```\n", order: 2))
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        let outcome = try project.runner().run(plan, lessons: lessons)
        let failures = outcome.failures
        #expect(failures.count == 1)
        #expect(failures.first?.location.description == "lessons/es/02-roto.md:7:1")
        #expect(failures.first?.failure?.contains("images/broken.png") == true)
        #expect(outcome.outputs.count == plan.jobs.count - 1)
    }
}
