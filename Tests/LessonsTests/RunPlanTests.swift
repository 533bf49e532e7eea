import Foundation
import Testing
@testable import Lessons

/// Cache keys: stable under formatting, changed by every input they depend on; jobs shared
/// between pages.
@Suite struct RunPlanTests {
    /// A lessons folder plus fake weights and labels beside it.
    final class Project {
        let lessons: LessonFolder
        var engineVersion = "engine 1 / attacks 1"

        init() throws {
            lessons = try LessonFolder()
            try write("Weights/lite0.safetensors", Array(repeating: 7, count: 4096))
            try write("Weights/lite2.safetensors", Array(repeating: 9, count: 4096))
            try write("Weights/imagenet_labels.tsv", Array("0\tn01440764\ttench\n".utf8))
        }

        func write(_ relativePath: String, _ bytes: [UInt8]) throws {
            let path = lessons.base + "/" + relativePath
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }

        var environment: RunEnvironment {
            RunEnvironment(lessonsRoot: lessons.root, engineVersion: engineVersion,
                           weightsFiles: ["lite0": lessons.base + "/Weights/lite0.safetensors",
                                          "lite2": lessons.base + "/Weights/lite2.safetensors"],
                           labelsFile: lessons.base + "/Weights/imagenet_labels.tsv")
        }

        var cache: ResultCache { ResultCache(folder: lessons.base + "/.trilobite-cache") }

        func plan(digester: FileDigester? = nil) throws -> RunPlan {
            let result = lessons.load()
            #expect(result.errors.map(\.description) == [])
            let set = try #require(result.lessons)
            return try RunPlan.make(lessons: set, environment: environment,
                                    digester: digester ?? FileDigester(indexFile: cache.digestIndexFile))
        }

        /// The key of the only job of the plan.
        func onlyKey() throws -> CacheKey {
            let plan = try plan()
            try #require(plan.jobs.count == 1)
            return plan.jobs[0].key
        }
    }

    static let attack = """
        ```attack
        image: images/gato.png
        target: trilobite
        method: pgd
        epsilon: 2/255
        steps: 20
        caption: Un ataque PGD.
        id: pgd-1
        ```

        """

    @Test func keyIgnoresFormattingOrderDefaultsAndPresentation() throws {
        let project = try Project()
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack))
        let reference = try project.onlyKey()

        // Same computation: other key order, flow style, ε as a decimal, explicit defaults, the
        // target as an index, and other caption, id and figures.
        try project.lessons.write("es/01-a.md", Fixtures.lesson("""

            ```attack
            {steps: 20, method: pgd,   epsilon: 0.00784313725490196, target: 69,
             image: images/./gato.png, model: lite0, seed: 0, random-start: true, grid: false,
             step-size: 0.0009803921568627450, caption: Otro pie., id: otro, show: [table]}
            ```

            """))
        #expect(try project.onlyKey() == reference)
    }

    @Test func keyChangesWithEveryInput() throws {
        let project = try Project()
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack))
        var keys: [String: CacheKey] = ["reference": try project.onlyKey()]

        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack.replacingOccurrences(
            of: "steps: 20", with: "steps: 21")))
        keys["directive value"] = try project.onlyKey()
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack.replacingOccurrences(
            of: "target: trilobite", with: "target: toaster")))
        keys["target"] = try project.onlyKey()
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack.replacingOccurrences(
            of: "steps: 20", with: "steps: 20\nseed: 7")))
        keys["seed"] = try project.onlyKey()

        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack))
        #expect(try project.onlyKey() == keys["reference"])

        try project.lessons.write("images/gato.png", bytes: Fixtures.tinyPNG(red: 201))
        keys["image bytes"] = try project.onlyKey()
        try project.lessons.write("images/gato.png", bytes: Fixtures.tinyPNG(red: 200))

        try project.write("Weights/lite0.safetensors", Array(repeating: 8, count: 4096))
        keys["weights bytes"] = try project.onlyKey()
        try project.write("Weights/lite0.safetensors", Array(repeating: 7, count: 4096))

        try project.write("Weights/imagenet_labels.tsv", Array("0\tn01440764\ttench, Tinca tinca\n".utf8))
        keys["labels bytes"] = try project.onlyKey()
        try project.write("Weights/imagenet_labels.tsv", Array("0\tn01440764\ttench\n".utf8))

        project.engineVersion = "engine 1 / attacks 2"
        keys["version"] = try project.onlyKey()
        project.engineVersion = "engine 1 / attacks 1"

        // Back to the original inputs: the original key; every change gave a key of its own.
        #expect(try project.onlyKey() == keys["reference"])
        #expect(Set(keys.values).count == keys.count)

        // The weights of a model the attack does not use are not part of its key.
        try project.write("Weights/lite2.safetensors", Array(repeating: 1, count: 10))
        #expect(try project.onlyKey() == keys["reference"])
    }

    @Test func presentationChangesTheRenderKeyOnly() throws {
        let project = try Project()
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack))
        let before = try #require(try project.plan().jobs.first)
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack.replacingOccurrences(
            of: "Un ataque PGD.", with: "Otro pie de figura.")))
        let after = try #require(try project.plan().jobs.first)
        #expect(after.key == before.key)
        #expect(after.uses[0].renderKey != before.uses[0].renderKey)
    }

    @Test func identicalDirectivesAcrossPagesShareOneJob() throws {
        let project = try Project()
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\nVer @pgd-1.\n\n" + Self.attack))
        try project.lessons.write("en/01-a.md", Fixtures.lesson("\n" + Self.attack.replacingOccurrences(
            of: "caption: Un ataque PGD.\nid: pgd-1", with: "caption: A PGD attack.\nid: pgd-one")))
        try project.lessons.write("es/02-b.md", Fixtures.lesson("\n" + Self.attack.replacingOccurrences(
            of: "steps: 20", with: "steps: 40"), order: 2))
        let plan = try project.plan()
        #expect(plan.jobs.count == 2)
        #expect(plan.directiveCount == 3)
        let shared = try #require(plan.job(for: LessonID(language: "es", slug: "01-a"), anchor: "pgd-1"))
        #expect(shared.uses.map(\.lesson.description) == ["en/01-a", "es/01-a"])
        #expect(plan.job(for: LessonID(language: "en", slug: "01-a"), anchor: "pgd-one")?.key == shared.key)
        #expect(shared.inputs.map(\.role) == ["image", "weights lite0", "labels"])
        #expect(shared.inputPath("image") == project.lessons.root + "/images/gato.png")
    }

    @Test func fixtureLessonsInTwoLanguagesRunEachComputationOnce() throws {
        let project = try Project()
        let context = DirectiveContext(lessonsRoot: try Fixtures.lessonsRoot, resolveClass: FakeClasses.resolve)
        let set = try #require(LessonLoader.load(context: context).lessons)
        var environment = project.environment
        environment.lessonsRoot = try Fixtures.lessonsRoot
        let plan = try RunPlan.make(lessons: set, environment: environment, digester: FileDigester(indexFile: nil))
        // classify, attack and compare on each page; the English page writes them differently.
        #expect(plan.directiveCount == 6)
        #expect(plan.jobs.count == 3)
        #expect(plan.jobs.allSatisfy { $0.uses.count == 2 })
    }

    @Test func missingWeightsAreAPlanError() throws {
        let project = try Project()
        try project.lessons.write("es/01-a.md", Fixtures.lesson("\n" + Self.attack))
        try FileManager.default.removeItem(atPath: project.lessons.base + "/Weights/lite0.safetensors")
        #expect(throws: RunPlanError.self) { try project.plan() }
    }
}
