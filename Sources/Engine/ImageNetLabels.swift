import Foundation

/// The 1000 ImageNet classes: index, WordNet id and English names (the first is the short label).
public struct ImageNetLabels: Sendable {
    public struct Entry: Sendable, Equatable {
        public let index: Int
        public let wordNetID: String
        /// Synonyms as the label file lists them, most common first.
        public let names: [String]
        public var label: String { names.first ?? wordNetID }
    }

    public let entries: [Entry]

    /// Reads a tab-separated file of `index, WordNet id, comma-separated names`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw EngineError.unreadableLabels(path: path, reason: "missing or not UTF-8 text")
        }
        var entries: [Entry] = []
        for (lineNumber, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let index = Int(fields[0]), index == entries.count else {
                throw EngineError.unreadableLabels(path: path, reason: "line \(lineNumber + 1) is not 'index<TAB>wnid<TAB>names' in order")
            }
            let names = fields[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            entries.append(Entry(index: index, wordNetID: String(fields[1]), names: names))
        }
        guard !entries.isEmpty else { throw EngineError.unreadableLabels(path: path, reason: "the file has no classes") }
        self.entries = entries
    }

    public var count: Int { entries.count }
    public func label(_ index: Int) -> String { entries.indices.contains(index) ? entries[index].label : "class \(index)" }

    /// A class by index ("69"), WordNet id ("n01768244") or any of its names, ignoring case
    /// ("trilobite", "Granny Smith"). An unknown name is an error that suggests the nearest names.
    public func resolve(_ query: String) throws -> Int {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        if let index = Int(trimmed) {
            guard entries.indices.contains(index) else {
                throw EngineError.unknownClass(name: query, suggestions: [])
            }
            return index
        }
        let key = trimmed.lowercased()
        if let entry = entries.first(where: { $0.wordNetID == key || $0.names.contains { $0.lowercased() == key } }) {
            return entry.index
        }
        throw EngineError.unknownClass(name: query, suggestions: suggestions(for: key))
    }

    /// The three names closest to `query` by edit distance.
    public func suggestions(for query: String, limit: Int = 3) -> [String] {
        let key = Array(query.lowercased())
        var scored: [(Int, String)] = []
        for entry in entries {
            for name in entry.names {
                let lowered = name.lowercased()
                // Containment is a strong hint ("shark" → "great white shark").
                let distance = lowered.contains(query.lowercased()) && !query.isEmpty
                    ? max(0, lowered.count - key.count) / 4 : Self.editDistance(key, Array(lowered))
                scored.append((distance, name))
            }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var seen = Set<String>()
        return scored.compactMap { seen.insert($0.1).inserted ? $0.1 : nil }.prefix(limit).map { $0 }
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
