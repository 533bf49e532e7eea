import Figures
import Foundation
import Imaging
import Lessons
import Testing
@testable import Runner

/// Sweeps on the real EfficientNet-Lite0 with tiny attacks: points computed once and cached,
/// the chart drawn per language from them, the table read from them.
@Suite(.serialized) struct SweepRunnerTests {
    /// Two sweeps sharing the cat's points: its target probability, and the success rate over
    /// the cat and the coffee.
    static let lesson = """
        ```sweep
        image: images/chelsea.png
        target: trilobite
        methods: [fgsm, {method: pgd, steps: 2, grid: true}]
        epsilons: [2/255, 4/255]
        caption: Un barrido.
        id: gata
        ```

        ```sweep
        images: [images/chelsea.png, images/coffee.png]
        target: trilobite
        methods: [fgsm, {method: pgd, steps: 2, grid: true}]
        epsilons: [2/255, 4/255]
        id: fotos
        ```
        """

    static func project() throws -> RunnerProject {
        let project = try RunnerProject()
        try project.write("es/01-barrido.md", RunnerProject.lesson(lesson))
        try project.write("en/01-barrido.md", RunnerProject.lesson(lesson))
        return project
    }

    @Test func pointsRunOnceTheChartAndTableComeFromThem() throws {
        let project = try Self.project()
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        let points = plan.jobs.filter { $0.parts.isEmpty }
        let sweeps = plan.jobs.filter { !$0.parts.isEmpty }
        #expect(points.count == 8, "the cat's 4 points serve both sweeps on both pages")
        #expect(sweeps.count == 2)

        let outcome = try project.runner().run(plan, lessons: lessons)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.map { $0.failure ?? "" })")
        #expect(outcome.reports.filter(\.ran).count == 8)
        #expect(outcome.reports.filter { $0.assembledFrom > 0 }.map(\.assembledFrom) == [4, 8])

        let single = try #require(outcome.outputs[sweeps[0].key])
        let sweep = try #require(single.record.sweep)
        #expect(sweep.points.count == 4)
        for (index, key) in zip(sweeps[0].parts.indices, sweeps[0].parts) {
            let attack = try #require(outcome.outputs[key]?.record.attack)
            let point = sweep.points[index]
            #expect(point.key == key.hex)
            #expect(point.attack.summary.targetProbabilityAfter == attack.summary.targetProbabilityAfter)
            #expect(attack.savedImageCheck.matchesResult, "the point's numbers are the saved PNG's")
        }

        // The chart, in each language: a PNG of the size it reports, its alt text from the data.
        for language in ["es", "en"] {
            let figure = try #require(single.figures[FigureRequest(name: "chart", language: language)])
            let image = try ImageCodec.decode(figure.png, name: "chart.png")
            #expect(image.width == Int((figure.width * 2).rounded()))
            #expect(image.height == Int((figure.height * 2).rounded()))
            #expect(figure.width >= 600 && figure.height >= 300)
            let pgd = try #require(sweep.point(image: 0, series: 1, epsilon: 1))
            let value = FigureLanguage(lessonLanguage: language).percent(Double(pgd.attack.summary.targetProbabilityAfter ?? -1))
            #expect(figure.altText.contains("ε = 4: \(value)"), "\(figure.altText) lacks \(value)")
            #expect(figure.altText.contains(language == "es" ? "(éxito)" : "(success)")
                        || figure.altText.contains(language == "es" ? "(fracaso)" : "(failure)"))
        }
        let spanish = try #require(single.figures[FigureRequest(name: "chart", language: "es")])
        let english = try #require(single.figures[FigureRequest(name: "chart", language: "en")])
        #expect(spanish.png != english.png)
        #expect(spanish.altText.contains("frente a ε"))

        // The table of the two-image sweep: every cell is the point's own result.
        let rates = try #require(outcome.outputs[sweeps[1].key]?.record.sweep)
        let table = SweepTable(rates)
        #expect(table.summary.count == 2 && table.details.count == 4)
        guard case .sweep(let directive)? = lessons.lessons.first?.directives.last?.body else {
            throw TestFailure("the second block is not a sweep")
        }
        let indices = directive.pointIndices
        for (index, key) in zip(indices, sweeps[1].parts) {
            let attack = try #require(outcome.outputs[key]?.record.attack)
            let row = try #require(table.details.first { $0.image == index.image && $0.series == index.series })
            let cell = row.cells[index.epsilon]
            #expect(cell.targetProbability == attack.summary.targetProbabilityAfter.map(Double.init))
            #expect(cell.successes == (attack.summary.success ? 1 : 0))
            #expect(cell.pointKey == key.hex)
        }
        for row in table.summary {
            for (epsilon, cell) in row.cells.enumerated() {
                let keys = zip(indices, sweeps[1].parts).filter { $0.0.series == row.series && $0.0.epsilon == epsilon }
                let successes = try keys.map { try #require(outcome.outputs[$0.1]?.record.attack).summary.success }
                #expect(cell.images == 2)
                #expect(cell.successes == successes.filter { $0 }.count)
            }
        }
        let chart = SweepAssembly.chartSeries(rates, language: .english)
        #expect(chart.map(\.name) == ["FGSM", "PGD"])
        #expect(chart[1].samples.map(\.value) == [rates.successRate(series: 1, epsilon: 0), rates.successRate(series: 1, epsilon: 1)])
        #expect(chart[1].samples.map(\.epsilon) == [2, 4])

        // References read the same numbers.
        #expect(single.record.value(.sweepPoint(series: 1, epsilon: 1, image: 0), .attack(.targetProbabilityAfter))
            == sweep.points[3].attack.value(.targetProbabilityAfter))
        #expect(outcome.outputs[sweeps[1].key]?.record.value(.sweepEpsilon(series: 1, epsilon: 1), .sweep(.images))
            == .count(2))

        // Again: every point from the cache, every chart too.
        let second = try project.runner().run(plan, lessons: lessons)
        #expect(second.reports.filter(\.ran).isEmpty)
        #expect(second.reports.reduce(0) { $0 + $1.figuresDrawn } == 0)
        let again = try #require(second.outputs[sweeps[0].key])
        #expect(again.figures == single.figures)
    }

    @Test func aFailedPointFailsItsSweepWithACount() throws {
        let project = try RunnerProject()
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: project.lessonsRoot + "/images/broken.png"))
        try project.write("es/01-roto.md", RunnerProject.lesson("""
            ```sweep
            images: [images/chelsea.png, images/broken.png]
            target: trilobite
            methods: [fgsm]
            epsilons: [2/255]
            ```
            """))
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        let outcome = try project.runner().run(plan, lessons: lessons)
        let failures = outcome.failures.compactMap(\.failure)
        #expect(failures.count == 2, "the broken image's point, then the sweep: \(failures)")
        #expect(failures.contains { $0.contains("images/broken.png") })
        #expect(failures.contains { $0.contains("1 of the sweep's 2 points failed") })
        #expect(outcome.failures.allSatisfy { $0.location.description == "lessons/es/01-roto.md:7:1" })
    }
}
