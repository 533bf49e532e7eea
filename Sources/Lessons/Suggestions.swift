/// "Did you mean …?" hints: the valid names nearest to a misspelt one.
enum Suggestions {
    /// Levenshtein distance between two strings, counted in Unicode scalars, case-insensitive.
    static func editDistance(_ first: String, _ second: String) -> Int {
        let left = Array(first.lowercased().unicodeScalars)
        let right = Array(second.lowercased().unicodeScalars)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    /// The candidates close enough to `name` to be a plausible typo, nearest first (ties in
    /// alphabetical order), at most `limit` of them.
    ///
    /// "Close enough" grows with the length of the name: one edit for short names, up to a
    /// third of the letters for long ones, so that "stpes" finds "steps" but "x" finds nothing.
    static func nearest(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let allowed = Swift.max(2, name.count / 3)
        return candidates
            .map { (candidate: $0, distance: editDistance(name, $0)) }
            .filter { $0.distance <= allowed }
            .sorted { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }
            .prefix(limit)
            .map(\.candidate)
    }

    /// The candidate with the smallest edit distance however far it is (ties in alphabetical
    /// order), for lists so short that naming any valid entry helps; empty without candidates.
    static func closest(to name: String, among candidates: [String]) -> [String] {
        guard let best = candidates.min(by: { (editDistance(name, $0), $0) < (editDistance(name, $1), $1) })
        else { return [] }
        return [best]
    }

    /// `base`, then "; did you mean 'steps'?" when there are suggestions, then `choices` in
    /// parentheses: "unknown model 'lite3'; did you mean 'lite0'? (models: lite0, lite2)".
    static func message(_ base: String, suggestions: [String], choices: String? = nil) -> String {
        base + didYouMean(suggestions) + (choices.map { " (\($0))" } ?? "")
    }

    /// "; did you mean 'steps'?" or "; did you mean 'a' or 'b'?", or "" without candidates.
    static func didYouMean(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return "" }
        let quoted = suggestions.map { "'\($0)'" }
        if quoted.count == 1 { return "; did you mean \(quoted[0])?" }
        return "; did you mean " + quoted.dropLast().joined(separator: ", ") + " or \(quoted.last ?? "")?"
    }
}
