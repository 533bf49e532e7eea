import Engine
import Foundation
import Lessons
@testable import Runner

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The project's folders, found from this file's path.
enum ProjectPaths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static var weights: String { root + "/Weights" }
    static var chelsea: String { root + "/lessons/images/chelsea.png" }
    static var coffee: String { root + "/lessons/images/coffee.png" }

    static let labels: ImageNetLabels? = try? ImageNetLabels(contentsOf: weights + "/imagenet_labels.tsv")
}

/// A throwaway lessons folder with the project's cat and coffee photos, and its cache, removed
/// when the test ends.
final class RunnerProject {
    let base: String
    var lessonsRoot: String { base + "/lessons" }
    var cacheFolder: String { base + "/.trilobite-cache" }

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/trilobite-runner-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        base = String(cString: made)
        for folder in ["es", "en", "images"] {
            try FileManager.default.createDirectory(atPath: lessonsRoot + "/" + folder, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: ProjectPaths.chelsea, toPath: lessonsRoot + "/images/chelsea.png")
        try FileManager.default.copyItem(atPath: ProjectPaths.coffee, toPath: lessonsRoot + "/images/coffee.png")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }

    func write(_ relativePath: String, _ text: String) throws {
        let path = lessonsRoot + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A lesson file: front matter, then `body`.
    static func lesson(_ body: String, title: String = "Prueba", order: Int = 1) -> String {
        "---\ntitle: \(title)\norder: \(order)\nsummary: Una lección de prueba.\n---\n\n" + body
    }

    func labels() throws -> ImageNetLabels {
        guard let labels = ProjectPaths.labels else { throw TestFailure("cannot read \(ProjectPaths.weights)/imagenet_labels.tsv") }
        return labels
    }

    func loadLessons() throws -> LessonSet {
        let labels = try labels()
        let context = DirectiveContext(lessonsRoot: lessonsRoot, resolveClass: { name in
            do {
                return .success(try labels.resolve(name))
            } catch {
                return .failure(UnknownClass(suggestions: []))
            }
        })
        let result = LessonLoader.load(context: context, displayRoot: "lessons")
        guard let lessons = result.lessons else {
            throw TestFailure(result.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return lessons
    }

    var environment: RunEnvironment {
        RunEnvironment(lessonsRoot: lessonsRoot, engineVersion: DirectiveRunner.computationVersion,
                       weightsFiles: ["lite0": ProjectPaths.weights + "/lite0.safetensors",
                                      "lite2": ProjectPaths.weights + "/lite2.safetensors"],
                       labelsFile: ProjectPaths.weights + "/imagenet_labels.tsv")
    }

    func plan(_ lessons: LessonSet) throws -> RunPlan {
        try RunPlan.make(lessons: lessons, environment: environment,
                         digester: FileDigester(indexFile: nil))
    }

    func runner(workers: Int = 2, force: Bool = false) throws -> DirectiveRunner {
        DirectiveRunner(environment: environment, labels: try labels(),
                        cache: ResultCache(folder: cacheFolder, force: force), workers: workers)
    }

    /// The directives of the first lesson.
    func directives() throws -> [Directive] {
        try loadLessons().lessons.first?.directives ?? []
    }
}
