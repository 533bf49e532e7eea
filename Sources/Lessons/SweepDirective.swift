import Yams

/// The `sweep` directive: how an attack's success grows with its budget. Every method runs on
/// every image at every ε; the chart draws the target probability (one image) or the success
/// rate (several) against ε in grey levels.
///
/// Each (image, method, ε) point is an ordinary `attack` computation (``point(image:series:epsilon:)``),
/// so the run plan gives every point its own cache key: adding an ε or a method runs only the new
/// points, and a point that another block (or the other language's page) also computes runs once.
public struct SweepDirective: Hashable, Sendable {
    /// What the chart's y axis measures.
    public enum Quantity: String, CaseIterable, Hashable, Sendable {
        /// The target's probability on the saved PNG (the mean over the images when there are several).
        case targetProbability = "target-probability"
        /// The share of images on which the saved PNG succeeds.
        case successRate = "success-rate"
    }

    /// How the y axis is scaled.
    public enum Scale: String, CaseIterable, Hashable, Sendable {
        case linear
        /// Decades, for probabilities from 0.01% to 100% on one axis.
        case log
    }

    /// One line of the chart: a method with its settings, and the label the lesson gave it.
    public struct Series: Hashable, Sendable {
        public var attack: SweptAttack
        /// The legend's text; nil for the method's display name in the page's language.
        public var label: String?

        public var method: String { attack.settings.method }

        public init(attack: SweptAttack, label: String? = nil) {
            self.attack = attack
            self.label = label
        }
    }

    /// The images, relative to the lessons folder, in the order written.
    public var images: [String]
    public var model: String
    /// nil for an untargeted sweep (success: the top-1 is no longer the original class).
    public var target: ClassTarget?
    public var series: [Series]
    /// L∞ bounds on the [0,1] scale, in the order written.
    public var epsilons: [Double]
    public var quantity: Quantity
    public var scale: Scale
    public var seed: Int

    /// The attack computed at one point, by 0-based indices into ``images``, ``series`` and
    /// ``epsilons``.
    public func point(image: Int, series: Int, epsilon: Int) -> AttackDirective {
        AttackDirective(image: images[image], model: model, target: target,
                        parameters: self.series[series].attack.parameters(epsilon: epsilons[epsilon]), seed: seed)
    }

    /// Every point's indices, images first, then series, then ε: the order of the plan's parts.
    public var pointIndices: [(image: Int, series: Int, epsilon: Int)] {
        images.indices.flatMap { image in
            series.indices.flatMap { series in epsilons.indices.map { (image, series, $0) } }
        }
    }

    public var canonical: CanonicalValue {
        var entries: [String: CanonicalValue] = [
            "images": .list(images.map(CanonicalValue.file)), "model": .text(model),
            "methods": .list(series.map { series in
                var method = series.attack.settings.canonical
                if case .map(var keys) = method {
                    keys["step-size-follows-epsilon"] = .bool(series.attack.stepSizeFollowsEpsilon)
                    if let label = series.label { keys["label"] = .text(label) }
                    method = .map(keys)
                }
                return method
            }),
            "epsilons": .list(epsilons.map(CanonicalValue.number)),
            "quantity": .text(quantity.rawValue), "scale": .text(scale.rawValue), "seed": .integer(seed),
        ]
        if let target { entries["target"] = .integer(target.index) }
        return .map(entries)
    }

    /// How a `{{id.method.eps4.field}}` reference names an ε: `eps` and the grey levels, with
    /// `_` for a decimal point (`eps4`, `eps1_5`; references cannot contain dots).
    public static func epsilonToken(_ epsilon: Double) -> String {
        "eps" + greyLevelsText(epsilon).replacingOccurrences(of: ".", with: "_")
    }

    /// ε in grey levels as plainly as it can be written: "4", "1.5", "2.55".
    static func greyLevelsText(_ epsilon: Double) -> String {
        let levels = (epsilon * 255 * 1000).rounded() / 1000
        if levels == levels.rounded() { return String(Int(levels)) }
        var text = String(format: "%.3f", levels)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// "4/255" for a whole number of grey levels, else the value on the [0,1] scale.
    public static func writtenEpsilon(_ epsilon: Double) -> String {
        let levels = epsilon * 255
        if abs(levels - levels.rounded()) < 1e-6 { return "\(Int(levels.rounded()))/255" }
        return plain(epsilon)
    }
}

/// Reads and checks `sweep`.
enum SweepSchema: DirectiveSchema {
    static let name = "sweep"
    static let computationKeys = ["image", "images", "model", "target", "methods", "epsilons", "quantity", "scale"]
    static let showChoices = ["chart", "table"]
    static let defaultShow = ["chart", "table"]
    static var emptyBlockHint: String {
        "it needs at least 'image: images/<name>.png', 'methods: [pgd]' and 'epsilons: [1/255, 2/255, 4/255]'"
    }

    /// The keys of one `methods` item: its label, the method and its settings. `epsilon` and
    /// `bound-model-units` are listed so that they get their own message rather than "unknown key".
    static let methodKeys = ["method", "label"] + AttackParameter.allCases.map(\.rawValue)

    static func read(_ reader: DirectiveReader) -> DirectiveBody? {
        let images = reader.readImages(distinct: true)
        let model = reader.readModel("model")
        let (target, targetValid) = reader.readTarget()
        let series = readSeries(reader, target: target, targetValid: targetValid)
        let epsilons = readEpsilons(reader)
        let quantity = readQuantity(reader, imageCount: images?.count ?? 1, target: target, targetValid: targetValid)
        let scale = readScale(reader, quantity: quantity)
        let seed = reader.readSeed()
        guard let images, let model, targetValid, let series, let epsilons, let quantity, let scale else { return nil }
        guard checkGrid(reader, series: series, epsilons: epsilons) else { return nil }
        return .sweep(SweepDirective(images: images, model: model, target: target, series: series.map(\.series),
                                     epsilons: epsilons.map(\.value), quantity: quantity, scale: scale, seed: seed))
    }

    /// `methods`: each a method name (`- fgsm`) or its settings without ε
    /// (`- {method: pgd, steps: 10, grid: true, label: PGD}`).
    private static func readSeries(_ reader: DirectiveReader, target: ClassTarget?, targetValid: Bool)
        -> [(series: Series, location: SourceLocation, grid: SourceLocation?)]? {
        let keys = reader.keys
        let log = reader.log
        guard let items = keys.requiredItems("methods", example: "[fgsm, {method: pgd, steps: 10}]",
                                             whenEmpty: "list at least one method, e.g. '- {method: pgd, steps: 10}'")
        else { return nil }
        var read: [(series: Series, location: SourceLocation, grid: SourceLocation?)] = []
        var allValid = true
        for (index, item) in items.enumerated() {
            let what = "method \(index + 1) of methods"
            let itemLocation = keys.location(of: item)
            guard let mapping = methodItemMapping(item, what: what, example: "{method: pgd, steps: 10}",
                                                  location: itemLocation, log: log) else {
                allValid = false
                continue
            }
            let itemKeys = MappingReader(mapping, placement: keys.placement, log: log, allowedKeys: methodKeys,
                                         what: what, location: itemLocation)
            let label = itemKeys.text("label", expecting: "a text for the chart's legend, e.g. 'PGD, 10 pasos'")
            if itemKeys.has("label"), label == nil { allValid = false }
            let attack = AttackParameterReader(keys: itemKeys, context: reader.context, boundSource: .sweep)
                .readSwept(target: target, targetValid: targetValid, targetLocation: keys.valueLocation("target"))
            itemKeys.reportUnknownKeys()
            guard let attack else {
                allValid = false
                continue
            }
            read.append((Series(attack: attack, label: label), itemLocation,
                         attack.settings.grid ? itemKeys.valueLocation("grid") : nil))
        }
        guard allValid else { return nil }
        // The legend must tell the lines apart: two lines of one method need labels.
        var firstByName: [String: Int] = [:]
        for (index, entry) in read.enumerated() {
            let name = entry.series.label ?? entry.series.method
            if let first = firstByName[name] {
                let advice = entry.series.label == nil
                    ? "give each a label, e.g. 'label: \(entry.series.method.uppercased()), \(index + 1)'"
                    : "give them different labels"
                log.error(entry.location, "methods \(first + 1) and \(index + 1) are both '\(name)' and the chart "
                    + "could not tell their lines apart; \(advice)")
                allValid = false
            } else {
                firstByName[name] = index
            }
        }
        return allValid ? read : nil
    }

    /// `epsilons`: L∞ bounds on the [0,1] scale, each once.
    private static func readEpsilons(_ reader: DirectiveReader) -> [(value: Double, location: SourceLocation)]? {
        let keys = reader.keys
        guard let items = keys.requiredItems("epsilons", example: "[1/255, 2/255, 4/255, 8/255]",
                                             whenEmpty: "list the bounds to try, e.g. [1/255, 2/255, 4/255, 8/255]")
        else { return nil }
        var epsilons: [(value: Double, location: SourceLocation)] = []
        var allValid = true
        for item in items {
            guard let value = keys.number(item, key: "epsilons", range: .between(0, 1),
                                          hint: "L∞ bounds on the [0,1] image scale, e.g. 2/255") else {
                allValid = false
                continue
            }
            let location = keys.location(of: item)
            if let earlier = epsilons.first(where: { abs($0.value - value) < 1e-12 }) {
                reader.log.error(location, "epsilons lists \(SweepDirective.writtenEpsilon(value)) twice "
                    + "(first on line \(earlier.location.line)); list each bound once")
                allValid = false
                continue
            }
            epsilons.append((value, location))
        }
        return allValid ? epsilons : nil
    }

    /// `quantity`, defaulting to the target probability for one image with a target and to the
    /// success rate otherwise.
    private static func readQuantity(_ reader: DirectiveReader, imageCount: Int, target: ClassTarget?,
                                     targetValid: Bool) -> SweepDirective.Quantity? {
        let keys = reader.keys
        let choices = SweepDirective.Quantity.allCases.map(\.rawValue)
        guard keys.has("quantity") else {
            return imageCount == 1 && target != nil ? .targetProbability : .successRate
        }
        guard let written = keys.text("quantity", expecting: "one of \(choices.joined(separator: ", "))") else {
            return nil
        }
        guard let quantity = SweepDirective.Quantity(rawValue: written) else {
            reader.log.error(keys.valueLocation("quantity"), Suggestions.message(
                "unknown quantity '\(written)'", suggestions: Suggestions.closest(to: written, among: choices),
                choices: "a sweep draws \(choices.joined(separator: " or "))"))
            return nil
        }
        if quantity == .targetProbability, target == nil, targetValid {
            reader.log.error(keys.valueLocation("quantity"), "target-probability needs a target class: add "
                + "'target: trilobite', or draw 'quantity: success-rate'")
            return nil
        }
        return quantity
    }

    /// `scale`: `linear` (default) or `log`, which only a probability can use.
    private static func readScale(_ reader: DirectiveReader, quantity: SweepDirective.Quantity?)
        -> SweepDirective.Scale? {
        let keys = reader.keys
        let choices = SweepDirective.Scale.allCases.map(\.rawValue)
        guard keys.has("scale") else { return .linear }
        guard let written = keys.text("scale", expecting: "linear or log") else { return nil }
        guard let scale = SweepDirective.Scale(rawValue: written) else {
            reader.log.error(keys.valueLocation("scale"), Suggestions.message(
                "unknown scale '\(written)'", suggestions: Suggestions.closest(to: written, among: choices),
                choices: "scales: \(choices.joined(separator: ", "))"))
            return nil
        }
        if scale == .log, quantity == .successRate {
            reader.log.error(keys.valueLocation("scale"), "a success rate is drawn on a linear axis (0 % cannot be "
                + "shown on a logarithmic one); remove 'scale: log' or draw 'quantity: target-probability'")
            return nil
        }
        return scale
    }

    /// With `grid: true` a bound under one grey level could not change the 8-bit image at all.
    private static func checkGrid(_ reader: DirectiveReader,
                                  series: [(series: Series, location: SourceLocation, grid: SourceLocation?)],
                                  epsilons: [(value: Double, location: SourceLocation)]) -> Bool {
        var valid = true
        for epsilon in epsilons where epsilon.value * 255 < 1 - 1e-9 {
            let gridMethods = series.enumerated().filter { $0.element.grid != nil }.map { "\($0.offset + 1)" }
            guard !gridMethods.isEmpty else { continue }
            reader.log.error(epsilon.location, "epsilon \(SweepDirective.greyLevelsText(epsilon.value))/255 is less "
                + "than one grey level: with grid: true (method\(gridMethods.count == 1 ? "" : "s") "
                + "\(gridMethods.joined(separator: ", "))) the 8-bit image could not change at all; use at least 1/255")
            valid = false
        }
        return valid
    }
}

private typealias Series = SweepDirective.Series
