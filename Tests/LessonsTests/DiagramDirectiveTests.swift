import Foundation
import Testing
@testable import Lessons

/// `diagram`: a drawn diagram that runs no network. Its one key, its errors (all positioned),
/// and that it is numbered and linked like any other figure.
@Suite struct DiagramDirectiveTests {
    static let file = ValidationTests.file

    /// A lesson whose body (from line 6) is a blank line, then a diagram block: the fence is
    /// line 7 and `lines` start on line 8.
    static func diagramLesson(_ lines: [String], after prose: String = "") -> String {
        Fixtures.lesson("\n```diagram\n" + lines.map { $0 + "\n" }.joined() + "```\n" + prose)
    }

    @Test func aDiagramNeedsOnlyItsNameAndIsNumberedLikeAFigure() throws {
        let lesson = Self.diagramLesson(["name: attack-loop", "caption: Entrenar frente a atacar.", "id: esquema"],
                                        after: "\nComo muestra @esquema, la red no cambia.\n")
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", lesson)
        let result = folder.load()
        #expect(result.diagnostics.map(\.description) == [])
        let loaded = try #require(result.lessons?.lessons.first)
        let directive = try #require(loaded.directives.first)
        #expect(directive.body == .diagram(DiagramDirective(diagram: .attackLoop)))
        #expect(directive.kind == "diagram")
        #expect(directive.presentation.show == ["diagram"])
        #expect(directive.figureNumber == 1)
        #expect(directive.anchor == "esquema")
        // Nothing is read: no image, no model, and the canonical form is the name alone.
        #expect(directive.body.images == [] && directive.body.models == [])
        #expect(!directive.body.runsNetwork)
        #expect(directive.body.canonical.json == "{\"name\":\"attack-loop\"}")
        // `@esquema` in the prose links to it as "Figura 1".
        let link = loaded.parts.compactMap { part -> ReferenceLink? in
            guard case .prose(let chunk) = part else { return nil }
            return chunk.references["esquema"]
        }.first
        #expect(link == ReferenceLink(href: "#esquema", text: "Figura 1"))
    }

    @Test func aMisspeltNameIsAnErrorAtItsValueNamingTheNearestDiagram() throws {
        #expect(try ValidationTests.diagnose(Self.diagramLesson(["name: atack-loop"])) == [
            "\(Self.file):8:7: error: unknown diagram 'atack-loop'; did you mean 'attack-loop'? (diagrams: attack-loop)",
        ])
    }

    @Test func aNameFarFromAnyDiagramStillGetsTheNearestOne() throws {
        #expect(try ValidationTests.diagnose(Self.diagramLesson(["caption: Esquema.", "name: flowchart"])) == [
            "\(Self.file):9:7: error: unknown diagram 'flowchart'; did you mean 'attack-loop'? (diagrams: attack-loop)",
        ])
    }

    @Test func aMissingOrEmptyNameIsAnErrorAtTheFence() throws {
        #expect(try ValidationTests.diagnose(Self.diagramLesson(["caption: Esquema."])) == [
            "\(Self.file):7:1: error: this diagram block needs 'name', e.g. 'name: attack-loop'",
        ])
        #expect(try ValidationTests.diagnose(Self.diagramLesson([])) == [
            "\(Self.file):7:1: error: this diagram block is empty; it needs 'name: attack-loop'",
        ])
        #expect(try ValidationTests.diagnose(Self.diagramLesson(["name: [attack-loop]"])).count == 1)
    }

    @Test func showSeedAndComputationKeysAreNotKeysOfADiagram() throws {
        let messages = try ValidationTests.diagnose(Self.diagramLesson([
            "name: attack-loop", "show: [diagram]", "seed: 3", "image: images/gato.png",
        ]))
        #expect(messages == [
            "\(Self.file):9:1: error: unknown key 'show' (keys of this diagram block: name, caption, id, alt)",
            "\(Self.file):10:1: error: unknown key 'seed' (keys of this diagram block: name, caption, id, alt)",
            "\(Self.file):11:1: error: unknown key 'image' (keys of this diagram block: name, caption, id, alt)",
        ])
    }

    @Test func aResultReferenceToADiagramSaysItHasNoValues() throws {
        let lesson = Self.diagramLesson(["name: attack-loop", "id: esquema"], after: "\nPasos: {{esquema.steps}}.\n")
        #expect(try ValidationTests.diagnose(lesson) == [
            "\(Self.file):12:8: error: {{esquema.steps}}: a diagram block is drawn, not computed, so it has no "
                + "values; link to it with @esquema instead",
        ])
    }

    @Test func theSameDiagramInTwoLanguagesIsOneJobThatReadsNoFile() throws {
        let folder = try LessonFolder()
        try folder.write("es/01-prueba.md", Self.diagramLesson(["name: attack-loop", "caption: Entrenar frente a atacar."]))
        try folder.write("en/01-prueba.md", Self.diagramLesson(["name: attack-loop", "caption: Training versus attacking."]))
        let lessons = try #require(folder.load().lessons)
        let environment = RunEnvironment(lessonsRoot: folder.root, engineVersion: "test",
                                         weightsFiles: ["lite0": folder.root + "/images/gato.png"],
                                         labelsFile: folder.root + "/images/tostadora.png")
        let digester = FileDigester(indexFile: folder.base + "/digests.json")
        let plan = try RunPlan.make(lessons: lessons, environment: environment, digester: digester)
        #expect(plan.jobs.count == 1)
        let job = try #require(plan.jobs.first)
        #expect(job.kind == "diagram")
        #expect(job.inputs.isEmpty)
        #expect(job.uses.count == 2)
        #expect(!job.keyMaterial.contains("labels"))
    }
}
