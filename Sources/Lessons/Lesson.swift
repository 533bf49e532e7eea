/// A lesson's identity: its language folder and its file name without `.md`. The same lesson in
/// two languages shares the slug, which is how pages find their translation.
public struct LessonID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `es`, `en`, …
    public var language: String
    /// `01-introduccion`
    public var slug: String

    public init(language: String, slug: String) {
        self.language = language
        self.slug = slug
    }

    /// `es/01-introduccion`
    public var description: String { "\(language)/\(slug)" }

    public static func < (left: LessonID, right: LessonID) -> Bool {
        (left.language, left.slug) < (right.language, right.slug)
    }
}

/// One lesson page: front matter, and the body as an ordered list of prose and directives.
public struct Lesson: Sendable {
    public var id: LessonID
    /// The file as shown in diagnostics (`lessons/es/01-introduccion.md`).
    public var file: String
    public var title: String
    /// Position in the table of contents of its language.
    public var order: Int
    public var summary: String
    /// Whether the lesson has a slide mode (front matter `slides`, default true).
    public var slidesEnabled: Bool
    /// General speaker notes for the whole lesson (front matter `notes`); a slide's own notes
    /// are in ``Slide/notes``.
    public var notes: String?
    /// The body in order: prose chunks and directives.
    public var parts: [LessonPart]
    /// Every heading of the body, in order, with its anchor.
    public var headings: [Heading]
    /// The slide structure: each slide is a run of `parts`.
    public var slides: [Slide]

    /// Every `{{…}}` reference of the lesson: the prose's and the captions', in order, then the
    /// slides' speaker notes'.
    public var resultReferences: [ResultReference] {
        parts.flatMap { part -> [ResultReference] in
            switch part {
            case .prose(let chunk): return chunk.resultReferences
            case .directive(let directive): return directive.captionReferences
            }
        } + slides.flatMap { $0.notes?.resultReferences ?? [] }
    }

    /// The directives in order.
    public var directives: [Directive] {
        parts.compactMap { part in
            if case .directive(let directive) = part { return directive }
            return nil
        }
    }

    /// "Figura" for Spanish, "Figure" for English: the word before a figure number.
    public var figureWord: String { FigureWords.word(for: id.language) }

    /// "Figura 3".
    public func figureLabel(_ number: Int) -> String { "\(figureWord) \(number)" }
}

/// A piece of a lesson body.
public enum LessonPart: Sendable {
    /// Markdown between directives (and between slide breaks).
    case prose(ProseChunk)
    /// A directive block.
    case directive(Directive)
}

/// Markdown of a lesson body between two directives or slide breaks, as written.
public struct ProseChunk: Hashable, Sendable {
    /// The Markdown source of the chunk.
    public var markdown: String
    /// The file line of its first line.
    public var startLine: Int
    /// The anchors of the headings in this chunk, in order.
    public var headingAnchors: [String]
    /// Where each `@id` of the lesson points: filled in when the lesson set is built.
    public var references: [String: ReferenceLink]
    /// The `{{id.field}}` result references of the chunk, checked, in order.
    public var resultReferences: [ResultReference] = []

    /// The chunk as HTML: GFM tables, heading ids, `@id` references as links, and raw HTML
    /// escaped so that it shows as text and never runs.
    ///
    /// - Parameters:
    ///   - resultValues: the text of each `{{…}}` reference, keyed by ``ResultReference/text``,
    ///     already formatted for the page's language; references without a value stay as written.
    ///   - headingSelfLinks: whether each heading gets a `#` link to itself.
    public func html(resultValues: [String: String] = [:], headingSelfLinks: Bool = false) -> String {
        MarkdownRendering.html(markdown, headingAnchors: headingAnchors, references: references,
                               resultValues: resultValues, headingSelfLinks: headingSelfLinks)
    }
}

/// A heading of a lesson body.
public struct Heading: Hashable, Sendable {
    /// 1…6.
    public var level: Int
    /// The heading as plain text.
    public var text: String
    /// The id of the heading on its page: its text as a slug, accents folded, unique on the page.
    public var anchor: String
    public var location: SourceLocation
}

/// One slide of a lesson's slide mode: a run of consecutive parts.
///
/// A slide starts at the beginning of the body, after each `---` line, and at each `##`
/// heading; empty slides are dropped.
public struct Slide: Hashable, Sendable {
    /// The `##` heading text the slide starts with, if any.
    public var title: String?
    /// The indices in ``Lesson/parts`` the slide shows.
    public var parts: Range<Int>
    /// Where the slide starts in the file.
    public var location: SourceLocation
    /// The slide's speaker notes: the Markdown of its ```` ```notes ```` block, which is never a
    /// part (the page and the slide do not show it; only the speaker view does). `startLine` is
    /// the line after the opening fence; `{{id.field}}` values work in it, `@id` links do not.
    public var notes: ProseChunk?

    public init(title: String?, parts: Range<Int>, location: SourceLocation, notes: ProseChunk? = nil) {
        self.title = title
        self.parts = parts
        self.location = location
        self.notes = notes
    }
}

/// Where a resolved `@id` reference points, and what the link says.
public struct ReferenceLink: Hashable, Sendable {
    /// `#ataque-1` on the same page, `02-ataques.html#ataque-1` for another lesson of the
    /// same language (the site writes each language's lessons side by side as `<slug>.html`).
    public var href: String
    /// "Figura 3".
    public var text: String
}

/// The word for "figure" per language; English for languages not listed.
enum FigureWords {
    static let words = ["es": "Figura", "en": "Figure", "pt": "Figura", "it": "Figura", "ca": "Figura",
                        "gl": "Figura", "fr": "Figure", "de": "Abbildung", "nl": "Figuur"]

    static func word(for language: String) -> String {
        let base = language.split(separator: "-").first.map(String.init) ?? language
        return words[base.lowercased()] ?? "Figure"
    }
}
