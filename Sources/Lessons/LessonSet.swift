import Foundation

/// Every lesson in every language, validated: only built when no file has an error.
public struct LessonSet: Sendable {
    /// Sorted by language, then order, then file name.
    public var lessons: [Lesson]
    /// Where each directive `id` points.
    public var crossReferences: CrossReferenceTable

    /// The language folders, sorted (`en`, `es`).
    public var languages: [String] {
        Array(Set(lessons.map(\.id.language))).sorted()
    }

    /// The lessons of one language in table-of-contents order.
    public func lessons(in language: String) -> [Lesson] {
        lessons.filter { $0.id.language == language }
    }

    public func lesson(_ id: LessonID) -> Lesson? {
        lessons.first { $0.id == id }
    }

    /// The same lesson in the other languages (same file name), for the language switch.
    public func translations(of id: LessonID) -> [Lesson] {
        lessons.filter { $0.id.slug == id.slug && $0.id.language != id.language }
    }
}

/// Where each directive `id` of the lessons points: lesson, figure number and anchor.
public struct CrossReferenceTable: Sendable {
    /// One referable directive.
    public struct Target: Hashable, Sendable {
        public var lesson: LessonID
        public var id: String
        /// nil when the directive has no caption (and so no number).
        public var figureNumber: Int?
        public var anchor: String
        public var location: SourceLocation
    }

    /// Every directive with an `id`, in lesson order.
    public private(set) var targets: [Target] = []

    init(lessons: [Lesson]) {
        for lesson in lessons {
            for directive in lesson.directives {
                guard let id = directive.presentation.id else { continue }
                targets.append(Target(lesson: lesson.id, id: id, figureNumber: directive.figureNumber,
                                      anchor: directive.anchor, location: directive.location))
            }
        }
    }

    /// The figures with this id that a reference written in `lesson` may mean: the one in the same
    /// lesson if there is one, else those of other lessons in the same language.
    public func candidates(for id: String, from lesson: LessonID) -> [Target] {
        let sameLesson = targets.filter { $0.id == id && $0.lesson == lesson }
        if !sameLesson.isEmpty { return sameLesson }
        return targets.filter { $0.id == id && $0.lesson.language == lesson.language }
    }

    /// The figure a reference written in `lesson` points to, when exactly one fits.
    public func resolve(_ id: String, from lesson: LessonID) -> Target? {
        let candidates = candidates(for: id, from: lesson)
        return candidates.count == 1 ? candidates[0] : nil
    }
}

/// The outcome of reading a lessons folder: every diagnostic, and the lessons when there was no
/// error.
public struct LessonLoadResult: Sendable {
    /// nil when any diagnostic is an error.
    public var lessons: LessonSet?
    /// All errors and warnings, sorted by file, line and column.
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Reads and validates a lessons folder: `<root>/<lang>/*.md`, images anywhere below `<root>`.
public enum LessonLoader {
    /// Reads every lesson under `context.lessonsRoot`.
    ///
    /// - Parameter displayRoot: how the lessons folder is written in diagnostics (e.g. `lessons`
    ///   when the user typed that); the root path itself when nil.
    public static func load(context: DirectiveContext, displayRoot: String? = nil) -> LessonLoadResult {
        let log = DiagnosticLog()
        let root = context.lessonsRoot
        let shownRoot = displayRoot ?? root
        var parsed: [ParsedLesson] = []

        for file in lessonFiles(root: root, shownRoot: shownRoot, log: log) {
            guard let data = FileManager.default.contents(atPath: root + "/" + file.relativePath) else {
                log.error(.wholeFile(file.shownPath), "cannot read the file; check its permissions")
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                log.error(.wholeFile(file.shownPath), "the file is not UTF-8 text; save it as UTF-8")
                continue
            }
            let parser = LessonParser(source: SourceText(file: file.shownPath, text: text), id: file.id,
                                      context: context, log: log)
            parsed.append(parser.parse())
        }

        warnAboutDuplicateOrders(parsed, log: log)
        let lessons = parsed.compactMap(\.lesson).sorted { ($0.id.language, $0.order, $0.id.slug) < ($1.id.language, $1.order, $1.id.slug) }
        let table = CrossReferenceTable(lessons: lessons)
        let resolved = resolveReferences(parsed, table: table, lessons: lessons, log: log)

        let diagnostics = log.diagnostics.sortedByLocation()
        guard !diagnostics.containsErrors else { return LessonLoadResult(lessons: nil, diagnostics: diagnostics) }
        let withLinks = lessons.map { lesson in
            var lesson = lesson
            let links = resolved[lesson.id] ?? [:]
            for index in lesson.parts.indices {
                if case .prose(var chunk) = lesson.parts[index] {
                    chunk.references = links
                    lesson.parts[index] = .prose(chunk)
                }
            }
            return lesson
        }
        return LessonLoadResult(lessons: LessonSet(lessons: withLinks, crossReferences: table),
                                diagnostics: diagnostics)
    }

    private struct LessonFile {
        var id: LessonID
        var relativePath: String
        var shownPath: String
    }

    /// `<lang>/*.md` files, sorted. A language folder is named like `es`, `en` or `pt-br`.
    private static func lessonFiles(root: String, shownRoot: String, log: DiagnosticLog) -> [LessonFile] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            log.error(.wholeFile(shownRoot), "the lessons folder does not exist; create it with one folder per "
                + "language, e.g. \(shownRoot)/es/01-introduccion.md")
            return []
        }
        var files: [LessonFile] = []
        let entries = ((try? manager.contentsOfDirectory(atPath: root)) ?? []).sorted()
        for entry in entries {
            let path = root + "/" + entry
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if entry.hasSuffix(".md") {
                    log.warning(.wholeFile(shownRoot + "/" + entry), "this file is not inside a language folder "
                        + "and is not a lesson; move it to \(shownRoot)/es/ or \(shownRoot)/en/")
                }
                continue
            }
            guard isLanguageCode(entry) else { continue }
            let names = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
            for name in names {
                let slug = String(name.dropLast(3))
                files.append(LessonFile(id: LessonID(language: entry, slug: slug), relativePath: entry + "/" + name,
                                        shownPath: shownRoot + "/" + entry + "/" + name))
            }
        }
        if files.isEmpty {
            log.error(.wholeFile(shownRoot), "no lessons found; write them as \(shownRoot)/<language>/<name>.md, "
                + "e.g. \(shownRoot)/es/01-introduccion.md")
        }
        return files
    }

    /// `es`, `en`, `pt-br`: two or three lowercase letters, optionally a region.
    static func isLanguageCode(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = parts.first, (2...3).contains(language.count),
              language.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }), parts.count <= 2 else { return false }
        if parts.count == 2 {
            let region = parts[1]
            return (2...4).contains(region.count) && region.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
        return true
    }

    private static func warnAboutDuplicateOrders(_ parsed: [ParsedLesson], log: DiagnosticLog) {
        let valid = parsed.compactMap { parsed in parsed.lesson.map { ($0, parsed.orderLocation) } }
        let byLanguage = Dictionary(grouping: valid) { $0.0.id.language }
        for (_, lessons) in byLanguage {
            let sorted = lessons.sorted { $0.0.file < $1.0.file }
            var seen: [Int: String] = [:]
            for (lesson, orderLocation) in sorted {
                if let other = seen[lesson.order] {
                    log.warning(orderLocation, "order \(lesson.order) is also the order of \(other); "
                        + "the two are listed by file name")
                } else {
                    seen[lesson.order] = lesson.file
                }
            }
        }
    }

    /// Checks every `@id` and returns, per lesson, the links for the ids it uses.
    private static func resolveReferences(_ parsed: [ParsedLesson], table: CrossReferenceTable, lessons: [Lesson],
                                          log: DiagnosticLog) -> [LessonID: [String: ReferenceLink]] {
        var links: [LessonID: [String: ReferenceLink]] = [:]
        for lesson in parsed {
            let id = lesson.id
            for (reference, location) in lesson.references {
                let candidates = table.candidates(for: reference, from: id)
                // A block with errors still declares its id: its own error is enough.
                let declaredInBrokenBlock = parsed.contains {
                    $0.id.language == id.language && $0.declaredIDs.contains(reference)
                }
                switch candidates.count {
                case 0 where declaredInBrokenBlock:
                    continue
                case 0:
                    let known = table.targets.filter { $0.lesson.language == id.language }.map(\.id)
                    let suggestions = Suggestions.nearest(to: reference, among: Array(Set(known)).sorted(), limit: 2)
                    log.error(location, Suggestions.message(
                        "'@\(reference)' refers to no figure: no directive in this lesson (or another "
                            + "\(id.language) lesson) has 'id: \(reference)'",
                        suggestions: suggestions, choices: "write \\@ for a literal @"))
                case 1:
                    let target = candidates[0]
                    let href = target.lesson == id ? "#\(target.anchor)" : "\(target.lesson.slug).html#\(target.anchor)"
                    let word = FigureWords.word(for: id.language)
                    if target.figureNumber == nil {
                        log.warning(location, "'@\(reference)' points to a block without a caption, which has no figure "
                            + "number; the link shows '\(reference)'. Add a caption to number it")
                    }
                    let text = target.figureNumber.map { "\(word) \($0)" } ?? reference
                    links[id, default: [:]][reference] = ReferenceLink(href: href, text: text)
                default:
                    let places = candidates.map(\.lesson.description).joined(separator: ", ")
                    log.error(location, "'@\(reference)' is ambiguous: lessons \(places) all have a figure with "
                        + "this id; rename one of them")
                }
            }
        }
        _ = lessons
        return links
    }
}
