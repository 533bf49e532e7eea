import Foundation
import Yams

/// Where a YAML text sits inside its lesson file, so that Yams' marks (line and column inside
/// the YAML) become file positions.
struct YAMLPlacement {
    let source: SourceText
    /// The file line of the YAML's first line.
    let firstLine: Int
    /// How many columns the YAML is shifted right in the file (an indented fence strips its
    /// indentation from the content lines).
    let indentation: Int

    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return source.location(line: firstLine, column: 1) }
        return source.location(line: firstLine + mark.line - 1, column: mark.column + indentation)
    }

    /// Parses `text` as a YAML mapping. Syntax errors, duplicate keys, an empty text and a text
    /// that is not a mapping are logged at their positions, with `what` naming the block.
    func parseMapping(_ text: String, what: String, emptyHint: String, log: DiagnosticLog,
                      whenEmpty emptyLocation: SourceLocation) -> Node.Mapping? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            logYAMLError(error, what: what, log: log, fallback: emptyLocation)
            return nil
        } catch {
            log.error(emptyLocation, "the YAML of \(what) cannot be read: \(error)")
            return nil
        }
        guard let root else {
            log.error(emptyLocation, "\(what) is empty; \(emptyHint)")
            return nil
        }
        guard let mapping = root.mapping else {
            log.error(location(root.mark), "\(what) must be YAML keys and values such as "
                + "'image: images/gato.png', not \(describeKind(of: root))")
            return nil
        }
        return mapping
    }

    private func logYAMLError(_ error: YamlError, what: String, log: DiagnosticLog, fallback: SourceLocation) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text))" } ?? ""
            log.error(location(mark), "the YAML of \(what) cannot be read: \(problem)\(during); "
                + "check the indentation and quote values that contain ': ' or start with a special character")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            log.error(location(context.mark), "key \(names) appears more than once in \(what); keep one")
        default:
            log.error(fallback, "the YAML of \(what) cannot be read: \(error)")
        }
    }
}

/// "a list", "a mapping", "the text 'x'": for messages about a value of the wrong kind.
func describeKind(of node: Node) -> String {
    switch node {
    case .scalar(let scalar): return "the text '\(scalar.string)'"
    case .sequence: return "a list"
    case .mapping: return "a set of keys and values"
    case .alias: return "a YAML alias"
    }
}

/// A numeric range with the words to explain it in an error message.
struct NumberRange {
    var lower: Double?
    var lowerIncluded = false
    var upper: Double?
    var upperIncluded = false
    /// "greater than 0 and less than 1".
    var explanation: String

    func contains(_ value: Double) -> Bool {
        if let lower, lowerIncluded ? value < lower : value <= lower { return false }
        if let upper, upperIncluded ? value > upper : value >= upper { return false }
        return true
    }

    /// The open interval (lower, upper).
    static func between(_ lower: Double, _ upper: Double) -> NumberRange {
        NumberRange(lower: lower, upper: upper,
                    explanation: "greater than \(plain(lower)) and less than \(plain(upper))")
    }

    /// (lower, ∞).
    static func greaterThan(_ lower: Double) -> NumberRange {
        NumberRange(lower: lower, explanation: "greater than \(plain(lower))")
    }

    /// [lower, ∞).
    static func atLeast(_ lower: Double) -> NumberRange {
        NumberRange(lower: lower, lowerIncluded: true, explanation: "\(plain(lower)) or more")
    }
}

/// A number without a trailing ".0" when it is whole: "0" rather than "0.0" in messages.
func plain(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}

/// A number as lessons write it: a decimal ("0.004", "1e-3") or a fraction ("2/255").
enum NumberText: Equatable {
    case value(Double)
    /// A fraction whose denominator is zero ("2/0").
    case zeroDenominator
    /// Not a number at all.
    case unreadable

    init(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts.count {
        case 1:
            self = NumberText.decimal(parts[0]).map(NumberText.value) ?? .unreadable
        case 2:
            guard let numerator = NumberText.decimal(parts[0]),
                  let denominator = NumberText.decimal(parts[1]) else {
                self = .unreadable
                return
            }
            self = denominator == 0 ? .zeroDenominator : .value(numerator / denominator)
        default:
            self = .unreadable
        }
    }

    /// Plain decimal notation only: `Double.init` would also take "nan", "inf" and hex floats.
    private static func decimal(_ text: String) -> Double? {
        let allowed = Set("0123456789.eE+-")
        guard !text.isEmpty, text.allSatisfy({ allowed.contains($0) }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// Reads the keys of one YAML mapping (a directive body or an inline attack spec) with types,
/// ranges and positions, logging every problem instead of stopping at the first.
///
/// Keys are read by name; ``reportUnknownKeys()`` then flags every key that is not in
/// `allowedKeys`, with the nearest allowed one as a suggestion.
final class MappingReader {
    let placement: YAMLPlacement
    let log: DiagnosticLog
    /// The keys this mapping may have.
    let allowedKeys: [String]
    /// "attack", "attacks item 2": how messages name the mapping.
    let what: String
    /// Where the mapping starts, for messages about a missing key.
    let location: SourceLocation
    private var entries: [String: (key: Node, value: Node)] = [:]
    private var keyOrder: [String] = []

    init(_ mapping: Node.Mapping, placement: YAMLPlacement, log: DiagnosticLog, allowedKeys: [String],
         what: String, location: SourceLocation) {
        self.placement = placement
        self.log = log
        self.allowedKeys = allowedKeys
        self.what = what
        self.location = location
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                log.error(placement.location(key.mark), "keys in \(what) must be plain names such as 'steps', "
                    + "not \(describeKind(of: key))")
                continue
            }
            entries[scalar.string] = (key, value)
            keyOrder.append(scalar.string)
        }
    }

    /// The keys present, in the order they were written.
    var presentKeys: [String] { keyOrder }

    func has(_ key: String) -> Bool { entries[key] != nil }

    func keyLocation(_ key: String) -> SourceLocation {
        entries[key].map { placement.location($0.key.mark) } ?? location
    }

    func valueLocation(_ key: String) -> SourceLocation {
        entries[key].map { placement.location($0.value.mark ?? $0.key.mark) } ?? location
    }

    func location(of node: Node) -> SourceLocation { placement.location(node.mark) }

    /// The raw value node of `key`.
    func node(_ key: String) -> Node? { entries[key]?.value }

    /// The text of a scalar value; logs an error for a list, a mapping or an empty value.
    func text(_ key: String, expecting: String) -> String? {
        guard let value = entries[key]?.value else { return nil }
        return scalarText(value, key: key, expecting: expecting)
    }

    /// The text of a scalar node, or nil after logging why it is not one.
    func scalarText(_ node: Node, key: String, expecting: String) -> String? {
        guard case .scalar(let scalar) = node else {
            log.error(location(of: node), "\(key) must be \(expecting), not \(describeKind(of: node))")
            return nil
        }
        if scalar.string.isEmpty, scalar.style == .plain {
            log.error(location(of: node), "\(key) has no value; it must be \(expecting)")
            return nil
        }
        return scalar.string
    }

    /// A whole number in `range`; logs an error naming the range otherwise.
    func integer(_ key: String, range: ClosedRange<Int>, explanation: String) -> Int? {
        let expecting = "a whole number \(explanation)"
        guard let text = text(key, expecting: expecting) else { return nil }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            log.error(valueLocation(key), "\(key) must be \(expecting); got '\(text)'")
            return nil
        }
        // Too many digits for an Int is out of range too, not a crash.
        guard let value = Int(text), range.contains(value) else {
            log.error(valueLocation(key), "\(key) must be \(expecting); got \(text)")
            return nil
        }
        return value
    }

    /// A decimal or fraction in `range`; `hint` shows an example in the error message.
    func number(_ key: String, range: NumberRange, hint: String = "") -> Double? {
        guard let node = entries[key]?.value else { return nil }
        return number(node, key: key, range: range, hint: hint)
    }

    /// A decimal or fraction read from `node`, which belongs to `key`.
    func number(_ node: Node, key: String, range: NumberRange, hint: String = "") -> Double? {
        let suffix = hint.isEmpty ? "" : " (\(hint))"
        let expecting = "a number \(range.explanation)\(suffix)"
        guard let text = scalarText(node, key: key, expecting: expecting) else { return nil }
        switch NumberText(text) {
        case .value(let value):
            guard range.contains(value) else {
                log.error(location(of: node), "\(key) must be \(range.explanation)\(suffix); got \(text)")
                return nil
            }
            return value
        case .zeroDenominator:
            log.error(location(of: node), "\(key) '\(text)' divides by zero; the denominator of a fraction "
                + "must not be 0\(suffix)")
            return nil
        case .unreadable:
            log.error(location(of: node), "\(key) must be \(expecting); got '\(text)'")
            return nil
        }
    }

    /// `true` or `false` (also `yes`/`no`).
    func bool(_ key: String) -> Bool? {
        guard let text = text(key, expecting: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            log.error(valueLocation(key), "\(key) must be true or false; got '\(text)'")
            return nil
        }
    }

    /// A list of texts; a single text counts as a list of one (`show: table`).
    func textList(_ key: String, expecting: String) -> [(text: String, location: SourceLocation)]? {
        guard let value = entries[key]?.value else { return nil }
        switch value {
        case .scalar:
            guard let text = scalarText(value, key: key, expecting: expecting) else { return nil }
            return [(text, location(of: value))]
        case .sequence(let sequence):
            var items: [(text: String, location: SourceLocation)] = []
            for item in sequence {
                if let text = scalarText(item, key: key, expecting: expecting) {
                    items.append((text, location(of: item)))
                }
            }
            return items
        default:
            log.error(location(of: value), "\(key) must be a list of \(expecting), not \(describeKind(of: value))")
            return nil
        }
    }

    /// The items of a list value (a single non-list value counts as a list of one).
    func items(_ key: String) -> [Node]? {
        guard let value = entries[key]?.value else { return nil }
        if case .sequence(let sequence) = value { return Array(sequence) }
        return [value]
    }

    /// The items of a list that must be there and not be empty; nil after logging when the key
    /// is missing (with `example` as its value) or the list is empty (with `advice` after why).
    func requiredItems(_ key: String, example: String, whenEmpty advice: String) -> [Node]? {
        guard let items = items(key) else {
            requireKey(key, example: example)
            return nil
        }
        if items.isEmpty {
            log.error(valueLocation(key), "\(key) is empty; \(advice)")
            return nil
        }
        return items
    }

    /// Logs a missing required key at the start of the mapping.
    func requireKey(_ key: String, example: String) {
        if !has(key) {
            log.error(location, "\(what) needs '\(key)', e.g. '\(key): \(example)'")
        }
    }

    /// Logs every key that is not allowed here, suggesting the nearest allowed key.
    func reportUnknownKeys() {
        for key in keyOrder where !allowedKeys.contains(key) {
            let suggestions = Suggestions.nearest(to: key, among: allowedKeys, limit: 1)
            let choices = suggestions.isEmpty ? "keys of \(what): \(allowedKeys.joined(separator: ", "))" : nil
            log.error(keyLocation(key), Suggestions.message("unknown key '\(key)'", suggestions: suggestions,
                                                            choices: choices))
        }
    }
}
