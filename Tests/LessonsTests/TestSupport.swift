import Foundation
@testable import Lessons

/// A throwaway lessons folder in /tmp with `es/`, `en/` and two small images, removed when the
/// test ends.
final class LessonFolder {
    let base: String
    /// `<base>/lessons`
    let root: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/trilobite-lessons-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        base = String(cString: made)
        root = base + "/lessons"
        for folder in ["es", "en", "images"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try write("images/gato.png", bytes: Fixtures.tinyPNG(red: 200))
        try write("images/tostadora.png", bytes: Fixtures.tinyPNG(red: 90))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }

    func write(_ relativePath: String, _ text: String) throws {
        try write(relativePath, bytes: Array(text.utf8))
    }

    func write(_ relativePath: String, bytes: [UInt8]) throws {
        let path = root + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func context() -> DirectiveContext {
        DirectiveContext(lessonsRoot: root, resolveClass: FakeClasses.resolve)
    }

    /// Loads the folder; diagnostics name files as `lessons/es/…`.
    func load() -> LessonLoadResult {
        LessonLoader.load(context: context(), displayRoot: "lessons")
    }

    /// The diagnostics as printed.
    func messages() -> [String] {
        load().diagnostics.map(\.description)
    }
}

/// A handful of ImageNet classes standing in for the engine's label list.
enum FakeClasses {
    static let names = ["goldfish": 1, "tabby": 281, "tiger cat": 282, "trilobite": 69, "toaster": 859,
                        "banana": 954]

    @Sendable static func resolve(_ query: String) -> Result<Int, UnknownClass> {
        if let index = Int(query) {
            return (0..<1000).contains(index)
                ? .success(index) : .failure(UnknownClass(suggestions: [], reason: "the classes are 0 to 999"))
        }
        if let index = names[query.lowercased()] { return .success(index) }
        let nearest = names.keys.sorted()
            .map { ($0, Suggestions.editDistance($0, query)) }
            .filter { $0.1 <= 3 }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(2).map(\.0)
        return .failure(UnknownClass(suggestions: Array(nearest)))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum Fixtures {
    /// The bundled fixture lessons (`Fixtures/lessons`).
    static var lessonsRoot: String {
        get throws {
            guard let path = Bundle.module.path(forResource: "Fixtures", ofType: nil) else {
                throw TestFailure("the Fixtures resource folder is missing from the test bundle")
            }
            return path + "/lessons"
        }
    }

    /// A valid 2×2 RGB PNG whose red channel is `red`.
    static func tinyPNG(red: UInt8) -> [UInt8] {
        // The bytes need not decode for Lessons (it only hashes them); a real PNG header keeps
        // the fixture honest if another module ever reads it.
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, red, 1, 2, 3]
    }

    /// Front matter lines 1–5 followed by `body` (which starts on line 6).
    static func lesson(_ body: String, title: String = "Prueba", order: Int = 1) -> String {
        "---\ntitle: \(title)\norder: \(order)\nsummary: Una lección de prueba.\n---\n" + body
    }
}
