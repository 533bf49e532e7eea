import Foundation

/// URL fragments made from heading texts: lowercase, accents folded, words joined by hyphens.
enum Slug {
    /// "Características del ataque" → `caracteristicas-del-ataque`; `fallback` when nothing is left.
    static func make(_ text: String, fallback: String) -> String {
        var slug = ""
        var pendingHyphen = false
        // Canonical decomposition splits "í" into "i" + a combining accent, which is dropped.
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.isAlphabetic || properties.numericType != nil {
                if pendingHyphen, !slug.isEmpty { slug += "-" }
                pendingHyphen = false
                slug += String(scalar).lowercased()
            } else {
                pendingHyphen = true
            }
        }
        return slug.isEmpty ? fallback : slug
    }
}

/// Hands out anchors that are unique on one page: the second "Ejemplos" becomes `ejemplos-2`.
struct AnchorAllocator {
    private var used: Set<String> = []

    /// Claims `anchor` as it is; false when it is already taken.
    mutating func reserve(_ anchor: String) -> Bool {
        used.insert(anchor).inserted
    }

    /// `base`, or `base-2`, `base-3`, … whichever is free first.
    mutating func unique(_ base: String) -> String {
        if used.insert(base).inserted { return base }
        var number = 2
        while !used.insert("\(base)-\(number)").inserted { number += 1 }
        return "\(base)-\(number)"
    }
}

extension Slug {
    /// A heading's own anchor, written after it as in Pandoc and Quarto: `## Introducción
    /// {#Introducción}` is the heading "Introducción" with the id `Introducción` (so that links
    /// into the talk's README, whose anchors look like that, work on our pages too).
    /// Returns the text without the attribute, and the id if there was one.
    static func explicitAnchor(in text: String) -> (text: String, anchor: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("}"), let open = trimmed.range(of: "{#", options: .backwards) else { return (text, nil) }
        let id = trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)]
        guard !id.isEmpty, !id.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" || $0 == "\"" || $0 == "<" }) else {
            return (text, nil)
        }
        return (String(trimmed[..<open.lowerBound]).trimmingCharacters(in: .whitespaces), String(id))
    }
}
