import Figures
import Foundation
import Imaging
import Lessons
import Testing
@testable import Runner

/// A `diagram` job: no network, one figure per page language, cached under a key that names the
/// diagram's drawing version.
@Suite(.serialized) struct DiagramRunnerTests {
    static func diagramBlock(caption: String) -> String {
        "```diagram\nname: attack-loop\ncaption: \(caption)\nid: esquema\n```\n"
    }

    @Test func aDiagramIsDrawnInEachPageLanguageThenServedFromTheCache() throws {
        let project = try RunnerProject()
        try project.write("es/01-prueba.md", RunnerProject.lesson(Self.diagramBlock(caption: "Entrenar frente a atacar.")))
        try project.write("en/01-prueba.md", RunnerProject.lesson(Self.diagramBlock(caption: "Training versus attacking.")))
        let lessons = try project.loadLessons()
        let plan = try project.plan(lessons)
        #expect(plan.jobs.count == 1, "both pages share the diagram's job")
        let job = try #require(plan.jobs.first)
        #expect(job.inputs.isEmpty, "a diagram reads no image, weights or labels")
        #expect(DirectiveRunner.figureRequests(for: job, in: lessons)
            == [FigureRequest(name: "diagram", language: "es"), FigureRequest(name: "diagram", language: "en")])

        // Weights that do not exist: a diagram must never load them.
        var environment = project.environment
        environment.weightsFiles = ["lite0": project.base + "/missing.safetensors"]
        let runner = DirectiveRunner(environment: environment, labels: try project.labels(),
                                     cache: ResultCache(folder: project.cacheFolder, force: false), workers: 1)
        let first = runner.run(plan, lessons: lessons)
        #expect(first.failures.isEmpty, "\(first.failures.map { $0.failure ?? "" })")
        #expect(first.reports.map(\.figuresDrawn) == [2])
        let output = try #require(first.outputs[job.key])
        #expect(output.record.kind == "diagram" && output.record.diagram == "attack-loop")
        let spanish = try #require(output.figures[FigureRequest(name: "diagram", language: "es")])
        let english = try #require(output.figures[FigureRequest(name: "diagram", language: "en")])
        #expect(spanish.png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && english.png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(spanish.png != english.png)
        #expect(spanish.altText.contains("Entrenamiento de la red") && spanish.altText.contains("p(trilobites)"))
        #expect(english.altText.contains("Training the network") && english.altText.contains("p(trilobite)"))
        #expect(spanish.png == (try AttackLoopDiagram(language: .spanish).render()).png)

        let second = runner.run(plan, lessons: lessons)
        #expect(second.reports.map(\.ran) == [false])
        #expect(second.reports.map(\.figuresFromCache) == [2])
        #expect(second.outputs[job.key]?.figures[FigureRequest(name: "diagram", language: "es")] == spanish)
    }

    @Test func aDiagramsFigureKeyIncludesItsDrawingVersion() throws {
        let diagram = DirectiveBody.diagram(DiagramDirective(diagram: .attackLoop))
        let version = FigureDrawing.cacheVersion(for: diagram)
        #expect(version.contains(FigureDrawing.version))
        #expect(version.contains(AttackLoopDiagram.drawingVersion))
        // The other kinds keep the key they always had, so their cached figures stay valid.
        let project = try RunnerProject()
        try project.write("es/01-prueba.md", RunnerProject.lesson("```classify\nimage: images/coffee.png\n```\n"))
        let classify = try #require(project.directives().first)
        #expect(FigureDrawing.cacheVersion(for: classify.body) == FigureDrawing.version)
    }
}
