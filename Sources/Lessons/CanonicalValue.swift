/// A directive's settings in one normal form: every default filled in, numbers as values rather
/// than as written ("2/255" and "0.00784313725490196" are the same ε), mappings with sorted keys.
///
/// Its serialisation is what the cache key hashes, so reformatting the YAML or reordering keys
/// changes nothing, while changing any value changes the key.
public indirect enum CanonicalValue: Hashable, Sendable {
    case text(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case list([CanonicalValue])
    case map([String: CanonicalValue])
    /// A file the computation reads, by its path relative to the lessons folder. Cache keys
    /// replace it with the file's SHA-256, so that moving an image changes nothing and editing
    /// its pixels changes the key.
    case file(String)

    /// Compact JSON with sorted keys; files appear as `{"file": "images/gato.png"}`.
    public var json: String {
        serialized { path in "{\"file\":\(Self.quoted(path))}" }
    }

    /// Compact JSON with sorted keys, files written by `fileForm`.
    func serialized(file fileForm: (String) -> String) -> String {
        var output = ""
        write(into: &output, file: fileForm)
        return output
    }

    /// The paths of every file the value names, in the order they appear.
    var files: [String] {
        switch self {
        case .file(let path): return [path]
        case .list(let items): return items.flatMap(\.files)
        case .map(let entries): return entries.keys.sorted().flatMap { entries[$0]?.files ?? [] }
        default: return []
        }
    }

    private func write(into output: inout String, file fileForm: (String) -> String) {
        switch self {
        case .text(let text):
            output += Self.quoted(text)
        case .integer(let value):
            output += String(value)
        case .number(let value):
            output += Self.normalised(value)
        case .bool(let value):
            output += value ? "true" : "false"
        case .list(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(into: &output, file: fileForm)
            }
            output += "]"
        case .map(let entries):
            output += "{"
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                output += Self.quoted(key) + ":"
                entries[key]?.write(into: &output, file: fileForm)
            }
            output += "}"
        case .file(let path):
            output += fileForm(path)
        }
    }

    /// The shortest text that reads back as the same Double (Swift's `description`), with −0
    /// folded into 0 and whole numbers written without ".0".
    static func normalised(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
