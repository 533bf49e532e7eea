/// The `classify` directive: the network's top classes for one or more images.
public struct ClassifyDirective: Hashable, Sendable {
    /// The images, relative to the lessons folder, in the order written.
    public var images: [String]
    public var model: String
    /// How many classes to list (1…20).
    public var top: Int
    public var seed: Int

    public var canonical: CanonicalValue {
        .map(["images": .list(images.map(CanonicalValue.file)), "model": .text(model),
              "top": .integer(top), "seed": .integer(seed)])
    }
}

/// Reads and checks `classify`.
enum ClassifySchema: DirectiveSchema {
    static let name = "classify"
    static let computationKeys = ["image", "images", "model", "top"]
    static let showChoices = ["confidence", "table"]
    static let defaultShow = ["confidence"]

    static func read(_ reader: DirectiveReader) -> DirectiveBody? {
        let keys = reader.keys
        let images = reader.readImages()
        let model = reader.readModel("model")
        let top = keys.has("top") ? keys.integer("top", range: 1...20, explanation: "from 1 to 20") : 5
        let seed = reader.readSeed()
        guard let images, let model, let top else { return nil }
        return .classify(ClassifyDirective(images: images, model: model, top: top, seed: seed))
    }
}

/// The `transfer` directive: attacks made on one model, evaluated on others.
public struct TransferDirective: Hashable, Sendable {
    public var image: String
    /// The model the attacks are computed on.
    public var sourceModel: String
    /// The models the adversarial images are evaluated on, in the order written.
    public var models: [String]
    public var target: ClassTarget?
    public var attacks: [AttackParameters]
    public var seed: Int

    public var canonical: CanonicalValue {
        var entries: [String: CanonicalValue] = [
            "image": .file(image), "source-model": .text(sourceModel), "models": .list(models.map(CanonicalValue.text)),
            "attacks": .list(attacks.map(\.canonical)), "seed": .integer(seed),
        ]
        if let target { entries["target"] = .integer(target.index) }
        return .map(entries)
    }
}

/// Reads and checks `transfer`.
enum TransferSchema: DirectiveSchema {
    static let name = "transfer"
    static let computationKeys = ["image", "source-model", "models", "attacks", "target"]
    static let showChoices = ["grid", "table"]
    static let defaultShow = ["grid", "table"]

    static func read(_ reader: DirectiveReader) -> DirectiveBody? {
        let keys = reader.keys
        let image = reader.readImage()
        let sourceModel = reader.readModel("source-model")
        var models: [String]? = reader.context.models
        if let items = keys.textList("models", expecting: "model names (\(reader.context.models.joined(separator: ", ")))") {
            var names: [String] = []
            var allValid = true
            for (name, location) in items {
                guard let model = reader.checkModel(name, at: location, key: "models") else {
                    allValid = false
                    continue
                }
                if !names.contains(model) { names.append(model) }
            }
            if names.isEmpty, allValid {
                reader.log.error(keys.valueLocation("models"), "models is empty; list the models to evaluate on")
                allValid = false
            }
            models = allValid ? names : nil
        } else if keys.has("models") {
            models = nil
        }
        let (target, targetValid) = reader.readTarget()
        let attacks = reader.readInlineAttacks(target: target, targetValid: targetValid)
        let seed = reader.readSeed()
        guard let image, let sourceModel, let models, targetValid, let attacks else { return nil }
        return .transfer(TransferDirective(image: image, sourceModel: sourceModel, models: models, target: target,
                                           attacks: attacks, seed: seed))
    }
}

/// The `compare` directive: several attacks on one image, side by side.
public struct CompareDirective: Hashable, Sendable {
    public var image: String
    public var model: String
    public var target: ClassTarget?
    public var attacks: [AttackParameters]
    public var seed: Int

    public var canonical: CanonicalValue {
        var entries: [String: CanonicalValue] = [
            "image": .file(image), "model": .text(model), "attacks": .list(attacks.map(\.canonical)),
            "seed": .integer(seed),
        ]
        if let target { entries["target"] = .integer(target.index) }
        return .map(entries)
    }
}

/// Reads and checks `compare`.
enum CompareSchema: DirectiveSchema {
    static let name = "compare"
    static let computationKeys = ["image", "model", "target", "attacks"]
    static let showChoices = ["panel", "table"]
    static let defaultShow = ["panel", "table"]

    static func read(_ reader: DirectiveReader) -> DirectiveBody? {
        let image = reader.readImage()
        let model = reader.readModel("model")
        let (target, targetValid) = reader.readTarget()
        let attacks = reader.readInlineAttacks(target: target, targetValid: targetValid)
        let seed = reader.readSeed()
        guard let image, let model, targetValid, let attacks else { return nil }
        return .compare(CompareDirective(image: image, model: model, target: target, attacks: attacks, seed: seed))
    }
}

/// A drawn diagram a `diagram` block can show. Each one is drawn by the runner in the page's
/// language; nothing is computed, so no image or network is read.
///
/// To add a diagram: add a case here (its raw value is the name lessons write) and draw it in
/// the runner's `FigureDrawing`, whose switch over this type fails to compile until you do.
public enum DiagramName: String, CaseIterable, Hashable, Sendable {
    /// The talk's "Figura 4": training a network against attacking it, as two loops.
    case attackLoop = "attack-loop"

    /// Every name a lesson may write, in declaration order.
    public static var allNames: [String] { allCases.map(\.rawValue) }
}

/// The `diagram` directive: a drawn diagram that needs no network run.
public struct DiagramDirective: Hashable, Sendable {
    public var diagram: DiagramName

    public init(diagram: DiagramName) {
        self.diagram = diagram
    }

    public var canonical: CanonicalValue {
        .map(["name": .text(diagram.rawValue)])
    }
}

/// Reads and checks `diagram`. A diagram block has exactly one figure, so it takes no `show`,
/// and nothing random, so no `seed`.
enum DiagramSchema: DirectiveSchema {
    static let name = "diagram"
    static let computationKeys = ["name"]
    static let commonKeys = ["caption", "id", "alt"]
    /// The diagram itself is the block's only figure; `show` is not a key of this kind.
    static let showChoices = ["diagram"]
    static let defaultShow = ["diagram"]
    static var emptyBlockHint: String { "it needs 'name: \(DiagramName.attackLoop.rawValue)'" }

    static func read(_ reader: DirectiveReader) -> DirectiveBody? {
        let keys = reader.keys
        let choices = "diagrams: " + DiagramName.allNames.joined(separator: ", ")
        guard keys.has("name") else {
            keys.requireKey("name", example: DiagramName.attackLoop.rawValue)
            return nil
        }
        guard let written = keys.text("name", expecting: "a diagram name (\(DiagramName.allNames.joined(separator: ", ")))")
        else { return nil }
        guard let diagram = DiagramName(rawValue: written) else {
            // The nearest name even when it is far: there are few diagrams, and naming one
            // tells the author what a name looks like.
            var suggestions = Suggestions.nearest(to: written, among: DiagramName.allNames, limit: 1)
            if suggestions.isEmpty { suggestions = Suggestions.closest(to: written, among: DiagramName.allNames) }
            reader.log.error(keys.valueLocation("name"), Suggestions.message(
                "unknown diagram '\(written)'", suggestions: suggestions, choices: choices))
            return nil
        }
        return .diagram(DiagramDirective(diagram: diagram))
    }
}
