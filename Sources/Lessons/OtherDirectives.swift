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
        var images: [String]?
        switch (keys.has("image"), keys.has("images")) {
        case (true, true):
            reader.log.error(keys.keyLocation("images"), "give either image (one) or images (a list), not both")
        case (true, false):
            images = reader.readImage().map { [$0] }
        case (false, true):
            var paths: [String] = []
            var allValid = true
            for item in keys.items("images") ?? [] {
                guard let text = keys.scalarText(item, key: "images", expecting: "a path such as images/gato.png"),
                      let path = reader.checkImage(text, at: keys.location(of: item), key: "images") else {
                    allValid = false
                    continue
                }
                paths.append(path)
            }
            if paths.isEmpty, allValid {
                reader.log.error(keys.valueLocation("images"), "images is empty; list at least one image")
                allValid = false
            }
            images = allValid ? paths : nil
        case (false, false):
            keys.requireKey("image", example: "images/gato.png")
        }
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
