import Foundation
import Yams

/// One directive block of a lesson: what to compute, how to show it, and where it was written.
public struct Directive: Hashable, Sendable {
    /// The computation, typed by kind.
    public var body: DirectiveBody
    /// Caption, id, chosen figures and alt text: how the result is shown, not what is computed.
    public var presentation: DirectivePresentation
    /// The opening fence line in the lesson file.
    public var location: SourceLocation
    /// "Figura 3": the directive's number among the captioned directives of its page, or nil
    /// when it has no caption.
    public var figureNumber: Int?
    /// The HTML id of the figure on its page: the directive's `id`, else `figura-3`-style, else
    /// `attack-2`-style; unique on the page.
    public var anchor: String
    /// The `{{id.field}}` result references in the caption, checked.
    public var captionReferences: [ResultReference] = []

    /// The directive name (`attack`, `classify`, …).
    public var kind: String { body.kind }

    /// The alt text of the directive's figures: `alt`, else the caption as plain text, else a
    /// description of the computation.
    public var altText: String {
        if let alt = presentation.alt { return alt }
        if let caption = presentation.caption { return MarkdownRendering.plainText(caption) }
        return body.summary
    }
}

/// How a directive's result is shown. Kept apart from the computation: changing a caption must
/// not rerun an attack, so none of this is part of the computation's cache key.
public struct DirectivePresentation: Hashable, Sendable {
    /// The figures and blocks to show, from the kind's allowed set, in the order written.
    public var show: [String]
    /// The caption (inline Markdown), or nil.
    public var caption: String?
    /// The id written in the lesson, for `@id` references.
    public var id: String?
    /// An explicit alt text.
    public var alt: String?

    public init(show: [String], caption: String? = nil, id: String? = nil, alt: String? = nil) {
        self.show = show
        self.caption = caption
        self.id = id
        self.alt = alt
    }

    /// The canonical form, for render keys.
    public var canonical: CanonicalValue {
        var entries: [String: CanonicalValue] = ["show": .list(show.map(CanonicalValue.text))]
        if let caption { entries["caption"] = .text(caption) }
        if let id { entries["id"] = .text(id) }
        if let alt { entries["alt"] = .text(alt) }
        return .map(entries)
    }
}

/// A class the attack aims at: its index, and the name as the lesson wrote it.
public struct ClassTarget: Hashable, Sendable {
    /// The ImageNet class index.
    public var index: Int
    /// The text of the lesson (`trilobite`, `69`), for messages and captions.
    public var written: String

    public init(index: Int, written: String) {
        self.index = index
        self.written = written
    }
}

/// What a directive computes, typed by kind. The runner switches over it.
public enum DirectiveBody: Hashable, Sendable {
    case attack(AttackDirective)
    case classify(ClassifyDirective)
    case transfer(TransferDirective)
    case compare(CompareDirective)
    case diagram(DiagramDirective)
    case sweep(SweepDirective)

    /// The directive name.
    public var kind: String {
        switch self {
        case .attack: return AttackSchema.name
        case .classify: return ClassifySchema.name
        case .transfer: return TransferSchema.name
        case .compare: return CompareSchema.name
        case .diagram: return DiagramSchema.name
        case .sweep: return SweepSchema.name
        }
    }

    /// Every setting of the computation, defaults filled in; the cache key hashes it.
    public var canonical: CanonicalValue {
        switch self {
        case .attack(let body): return body.canonical
        case .classify(let body): return body.canonical
        case .transfer(let body): return body.canonical
        case .compare(let body): return body.canonical
        case .diagram(let body): return body.canonical
        case .sweep(let body): return body.canonical
        }
    }

    /// The images the computation reads, relative to the lessons folder.
    public var images: [String] { canonical.files }

    /// Whether the computation runs a network (and so reads weights and the class labels);
    /// a diagram is only drawn.
    public var runsNetwork: Bool {
        if case .diagram = self { return false }
        return true
    }

    /// The models whose weights the computation reads.
    public var models: [String] {
        switch self {
        case .attack(let body): return [body.model]
        case .classify(let body): return [body.model]
        case .transfer(let body):
            var models = [body.sourceModel]
            for model in body.models where !models.contains(model) { models.append(model) }
            return models
        case .compare(let body): return [body.model]
        case .diagram: return []
        case .sweep(let body): return [body.model]
        }
    }

    /// The random seed.
    public var seed: Int {
        switch self {
        case .attack(let body): return body.seed
        case .classify(let body): return body.seed
        case .transfer(let body): return body.seed
        case .compare(let body): return body.seed
        case .diagram: return 0
        case .sweep(let body): return body.seed
        }
    }

    /// One line describing the computation, the alt text of last resort.
    public var summary: String {
        switch self {
        case .attack(let body):
            let towards = body.target.map { " towards '\($0.written)'" } ?? ""
            // The bound tells apart the points of a sweep in the build's list of computations.
            let bound = body.parameters.epsilon.map { " (ε = \(SweepDirective.writtenEpsilon($0)))" } ?? ""
            return "\(body.parameters.method) attack\(bound) on \(body.image) with \(body.model)\(towards)"
        case .classify(let body):
            return "top-\(body.top) classes of \(body.images.joined(separator: ", ")) by \(body.model)"
        case .transfer(let body):
            return "attacks made on \(body.sourceModel) for \(body.image), evaluated on "
                + body.models.joined(separator: ", ")
        case .compare(let body):
            return "comparison of " + body.attacks.map(\.method).joined(separator: ", ")
                + " on \(body.image) with \(body.model)"
        case .diagram(let body):
            return "the \(body.diagram.rawValue) diagram"
        case .sweep(let body):
            return "sweep of " + body.series.map { $0.label ?? $0.method }.joined(separator: ", ") + " over ε = "
                + body.epsilons.map(SweepDirective.writtenEpsilon).joined(separator: ", ") + " on "
                + body.images.joined(separator: ", ") + " with \(body.model)"
        }
    }
}

/// A directive kind: the fenced-block name, the keys it takes and how to read them.
///
/// To add a kind: write a type conforming to this protocol, add a ``DirectiveBody`` case for
/// its computation, and list the type in `standardDirectiveKinds`.
protocol DirectiveSchema: Sendable {
    /// The info string of the fenced block.
    static var name: String { get }
    /// The keys of the computation.
    static var computationKeys: [String] { get }
    /// The keys besides the computation's: by default every presentation key and `seed`.
    static var commonKeys: [String] { get }
    /// What an empty block is told it needs ("it needs at least 'image: images/<name>.png'").
    static var emptyBlockHint: String { get }
    /// The values `show` may list.
    static var showChoices: [String] { get }
    /// What is shown when `show` is omitted.
    static var defaultShow: [String] { get }
    /// Reads the computation, logging every problem; nil when it has errors.
    static func read(_ reader: DirectiveReader) -> DirectiveBody?
}

extension DirectiveSchema {
    static var commonKeys: [String] { DirectiveReader.presentationKeys + ["seed"] }

    static var emptyBlockHint: String { "it needs at least 'image: images/<name>.png'" }

    /// Every key the block may have.
    static var allKeys: [String] {
        computationKeys + commonKeys
    }
}

/// The directive kinds lessons may use.
let standardDirectiveKinds: [any DirectiveSchema.Type] = [
    AttackSchema.self, ClassifySchema.self, TransferSchema.self, CompareSchema.self, DiagramSchema.self,
    SweepSchema.self,
]

/// Reads one directive block: the key-by-key reader plus the checks shared by all kinds
/// (images, models, classes, attack settings).
final class DirectiveReader {
    static let presentationKeys = ["show", "caption", "id", "alt"]

    let keys: MappingReader
    let context: DirectiveContext
    let kindName: String
    var log: DiagnosticLog { keys.log }

    init(keys: MappingReader, context: DirectiveContext, kindName: String) {
        self.keys = keys
        self.context = context
        self.kindName = kindName
    }

    /// Reads a whole block: computation, presentation and unknown keys.
    static func readDirective(schema: any DirectiveSchema.Type, mapping: Node.Mapping, placement: YAMLPlacement,
                              fenceLocation: SourceLocation, context: DirectiveContext,
                              log: DiagnosticLog) -> (body: DirectiveBody, presentation: DirectivePresentation)? {
        let errorsBefore = log.diagnostics.filter { $0.severity == .error }.count
        let keys = MappingReader(mapping, placement: placement, log: log, allowedKeys: schema.allKeys,
                                 what: "this \(schema.name) block", location: fenceLocation)
        let reader = DirectiveReader(keys: keys, context: context, kindName: schema.name)
        let body = schema.read(reader)
        // A kind without `show` (a diagram) always shows its default; a `show` it is given is
        // reported below as an unknown key rather than read.
        let presentation = reader.readPresentation(showChoices: schema.showChoices, defaultShow: schema.defaultShow,
                                                   readsShow: schema.commonKeys.contains("show"))
        keys.reportUnknownKeys()
        let errorsAfter = log.diagnostics.filter { $0.severity == .error }.count
        guard let body, errorsAfter == errorsBefore else { return nil }
        return (body, presentation)
    }

    // MARK: Presentation

    func readPresentation(showChoices: [String], defaultShow: [String], readsShow: Bool = true) -> DirectivePresentation {
        var show = defaultShow
        if readsShow, let items = keys.textList("show", expecting: "figure names (\(showChoices.joined(separator: ", ")))") {
            show = []
            for (name, location) in items {
                guard showChoices.contains(name) else {
                    let suggestions = Suggestions.nearest(to: name, among: showChoices, limit: 1)
                    log.error(location, Suggestions.message(
                        "unknown figure '\(name)' in show", suggestions: suggestions,
                        choices: "\(kindName) blocks can show \(showChoices.joined(separator: ", "))"))
                    continue
                }
                if show.contains(name) {
                    log.warning(location, "'\(name)' is listed twice in show; it is shown once")
                    continue
                }
                show.append(name)
            }
        }
        let caption = keys.text("caption", expecting: "a text")
        let alt = keys.text("alt", expecting: "a text")
        var id: String?
        if let written = keys.text("id", expecting: "a slug such as 'ataque-1'") {
            if Self.isValidID(written) {
                id = written
            } else {
                let slug = Slug.make(written, fallback: "figura")
                log.error(keys.valueLocation("id"), "id '\(written)' must be lowercase letters, digits and "
                    + "hyphens (it becomes a link target); e.g. '\(slug)'")
            }
        }
        return DirectivePresentation(show: show, caption: caption, id: id, alt: alt)
    }

    /// `[a-z0-9-]+` starting with a letter or digit.
    static func isValidID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    // MARK: Shared computation keys

    /// The random seed: a whole number ≥ 0, default 0.
    func readSeed() -> Int {
        keys.integer("seed", range: 0...Int(UInt32.max), explanation: "from 0 to \(UInt32.max)") ?? 0
    }

    /// A model name from the context's list, or the default when `key` is absent.
    func readModel(_ key: String) -> String? {
        guard keys.has(key) else { return context.defaultModel }
        guard let name = keys.text(key, expecting: "a model name (\(context.models.joined(separator: ", ")))") else {
            return nil
        }
        return checkModel(name, at: keys.valueLocation(key), key: key)
    }

    func checkModel(_ name: String, at location: SourceLocation, key: String) -> String? {
        guard context.models.contains(name) else {
            let suggestions = Suggestions.nearest(to: name, among: context.models, limit: 1)
            log.error(location, Suggestions.message("unknown model '\(name)' in \(key)", suggestions: suggestions,
                                                    choices: "models: \(context.models.joined(separator: ", "))"))
            return nil
        }
        return name
    }

    /// A required image path under `key`.
    func readImage(_ key: String = "image") -> String? {
        guard keys.has(key) else {
            keys.requireKey(key, example: "images/gato.png")
            return nil
        }
        guard let path = keys.text(key, expecting: "a path relative to the lessons folder, such as images/gato.png")
        else { return nil }
        return checkImage(path, at: keys.valueLocation(key), key: key)
    }

    /// Checks that `path` names a PNG or JPEG inside the lessons folder and returns it in
    /// normal form (no `.` or `..`, single slashes).
    func checkImage(_ path: String, at location: SourceLocation, key: String) -> String? {
        switch ImagePathCheck.check(path, lessonsRoot: context.lessonsRoot) {
        case .success(let normalised):
            return normalised
        case .failure(let problem):
            log.error(location, problem.message(key: key, path: path))
            return nil
        }
    }

    /// `image` (one) or `images` (a list), checked; nil after logging when either is wrong or
    /// both or neither are given. With `distinct`, an image listed twice is an error too.
    func readImages(distinct: Bool = false) -> [String]? {
        switch (keys.has("image"), keys.has("images")) {
        case (true, true):
            log.error(keys.keyLocation("images"), "give either image (one) or images (a list), not both")
            return nil
        case (true, false):
            return readImage().map { [$0] }
        case (false, true):
            var paths: [String] = []
            var allValid = true
            for item in keys.items("images") ?? [] {
                guard let text = keys.scalarText(item, key: "images", expecting: "a path such as images/gato.png"),
                      let path = checkImage(text, at: keys.location(of: item), key: "images") else {
                    allValid = false
                    continue
                }
                if distinct, paths.contains(path) {
                    log.error(keys.location(of: item), "images lists \(path) twice; list each image once")
                    allValid = false
                    continue
                }
                paths.append(path)
            }
            if paths.isEmpty, allValid {
                log.error(keys.valueLocation("images"), "images is empty; list at least one image")
                allValid = false
            }
            return allValid ? paths : nil
        case (false, false):
            keys.requireKey("image", example: "images/gato.png")
            return nil
        }
    }

    /// An optional class target; unknown names are errors that list the nearest names.
    func readTarget() -> (target: ClassTarget?, valid: Bool) {
        guard keys.has("target") else { return (nil, true) }
        guard let written = keys.text("target", expecting: "an ImageNet class name or index, such as trilobite or 69")
        else { return (nil, false) }
        switch context.resolveClass(written) {
        case .success(let index):
            return (ClassTarget(index: index, written: written), true)
        case .failure(let unknown):
            var message = "unknown class '\(written)'"
            if let reason = unknown.reason { message += " (\(reason))" }
            message += Suggestions.didYouMean(unknown.suggestions)
            if unknown.suggestions.isEmpty, unknown.reason == nil {
                message += "; use an ImageNet class name such as 'trilobite' or an index from 0 to 999"
            }
            log.error(keys.valueLocation("target"), message)
            return (nil, false)
        }
    }

    /// A list of inline attack specs (`attacks:`), each a mapping of attack settings, or a bare
    /// method name for a method that needs no settings (`- deepfool`).
    func readInlineAttacks(target: ClassTarget?, targetValid: Bool) -> [AttackParameters]? {
        guard let items = keys.requiredItems("attacks", example: "[{method: fgsm, epsilon: 2/255}]",
                                             whenEmpty: "list at least one attack, e.g. '- {method: fgsm, epsilon: 2/255}'")
        else { return nil }
        var attacks: [AttackParameters] = []
        var allValid = true
        for (index, item) in items.enumerated() {
            let what = "attack \(index + 1) of attacks"
            let itemLocation = keys.location(of: item)
            guard let mapping = methodItemMapping(item, what: what, example: "{method: fgsm, epsilon: 2/255}",
                                                  location: itemLocation, log: log) else {
                allValid = false
                continue
            }
            let itemKeys = MappingReader(mapping, placement: keys.placement, log: log,
                                         allowedKeys: ["method"] + AttackParameter.allCases.map(\.rawValue),
                                         what: what, location: itemLocation)
            let parameters = AttackParameterReader(keys: itemKeys, context: context)
                .read(target: target, targetValid: targetValid, targetLocation: keys.valueLocation("target"))
            itemKeys.reportUnknownKeys()
            if let parameters { attacks.append(parameters) } else { allValid = false }
        }
        return allValid ? attacks : nil
    }
}

/// One item of an `attacks:` or `methods:` list as a mapping: a bare name is short for
/// `{method: name}` (both nodes keep the item's position); anything else is an error.
func methodItemMapping(_ item: Node, what: String, example: String, location: SourceLocation,
                       log: DiagnosticLog) -> Node.Mapping? {
    switch item {
    case .scalar:
        let key = Node.scalar(Node.Scalar("method", .implicit, .plain, item.mark))
        return Node.Mapping([(key, item)], .implicit, .block, item.mark)
    case .mapping(let mapping):
        return mapping
    default:
        log.error(location, "\(what) must be a method name or keys such as '\(example)', not \(describeKind(of: item))")
        return nil
    }
}
