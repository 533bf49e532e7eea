import CMarkGFM
import Foundation

/// Markdown to HTML for the site, safe by default: raw HTML in a lesson is shown as text,
/// never passed through, and cmark drops `javascript:` and similar link targets.
public enum MarkdownRendering {
    /// Block Markdown (with GFM tables) as HTML. Headings get `id` attributes from
    /// `headingAnchors`, in document order; `@id` cross-references whose id is in `references`
    /// become links.
    /// `{{…}}` result references whose text is in `resultValues` are replaced by the value, as
    /// text (escaped like any other text). With `headingSelfLinks`, each heading that gets an
    /// anchor also gets a `#` link to itself.
    public static func html(_ markdown: String, headingAnchors: [String] = [],
                            references: [String: ReferenceLink] = [:],
                            resultValues: [String: String] = [:], headingSelfLinks: Bool = false) -> String {
        let tree = MarkdownTree(markdown)
        tree.escapeRawHTML()
        if !resultValues.isEmpty { substituteResultValues(in: tree, values: resultValues) }
        if !references.isEmpty { linkReferences(in: tree, references: references) }
        return addHeadingIDs(tree.renderHTML(), anchors: headingAnchors, selfLinks: headingSelfLinks)
    }

    /// Inline Markdown (a caption) as HTML, without the surrounding `<p>`.
    public static func inlineHTML(_ markdown: String, resultValues: [String: String] = [:]) -> String {
        var html = self.html(markdown, resultValues: resultValues)
        while html.hasSuffix("\n") { html.removeLast() }
        if html.hasPrefix("<p>"), html.hasSuffix("</p>"), html.components(separatedBy: "<p>").count == 2 {
            html = String(html.dropFirst(3).dropLast(4))
        }
        return html
    }

    /// The text of inline Markdown without any markup (for alt texts and titles).
    public static func plainText(_ markdown: String, resultValues: [String: String] = [:]) -> String {
        let tree = MarkdownTree(markdown)
        if !resultValues.isEmpty { substituteResultValues(in: tree, values: resultValues) }
        return tree.topLevelBlocks.map(\.plainText).joined(separator: " ")
    }

    /// Replaces each `{{…}}` whose text has a value with that value, in text nodes only (code
    /// spans keep the braces, which is how a lesson shows the syntax).
    private static func substituteResultValues(in tree: MarkdownTree, values: [String: String]) {
        tree.consolidateTextNodes()
        for node in tree.allNodes where node.type == CMARK_NODE_TEXT {
            let literal = node.literal
            let found = ResultReferenceScanner.references(in: literal).filter { values[$0.text] != nil }
            guard !found.isEmpty else { continue }
            var replaced = ""
            var cursor = literal.startIndex
            for reference in found {
                replaced += literal[cursor..<reference.range.lowerBound]
                replaced += values[reference.text] ?? ""
                cursor = reference.range.upperBound
            }
            replaced += literal[cursor...]
            cmark_node_set_literal(node.pointer, replaced)
        }
    }

    /// Replaces `@id` in text nodes with links. Text inside links stays as it is: a link inside
    /// a link is not valid HTML.
    private static func linkReferences(in tree: MarkdownTree, references: [String: ReferenceLink]) {
        for node in tree.allNodes where node.type == CMARK_NODE_TEXT && !node.isInsideLink {
            let literal = node.literal
            let found = ReferenceScanner.references(in: literal).filter { references[$0.id] != nil }
            guard !found.isEmpty else { continue }
            var cursor = literal.startIndex
            for reference in found {
                guard let link = references[reference.id] else { continue }
                if cursor < reference.range.lowerBound {
                    cmark_node_insert_before(node.pointer, MarkdownNode.makeText(String(literal[cursor..<reference.range.lowerBound])))
                }
                let linkNode = cmark_node_new(CMARK_NODE_LINK)
                cmark_node_set_url(linkNode, link.href)
                cmark_node_append_child(linkNode, MarkdownNode.makeText(link.text))
                cmark_node_insert_before(node.pointer, linkNode)
                cursor = reference.range.upperBound
            }
            if cursor < literal.endIndex {
                cmark_node_insert_before(node.pointer, MarkdownNode.makeText(String(literal[cursor...])))
            }
            cmark_node_unlink(node.pointer)
            cmark_node_free(node.pointer)
        }
    }

    /// cmark writes headings as bare `<h2>`; the n-th one gets the n-th anchor. Raw HTML has been
    /// turned into text before rendering, so every `<hN>` in the output is a heading of ours.
    static func addHeadingIDs(_ html: String, anchors: [String], selfLinks: Bool = false) -> String {
        guard !anchors.isEmpty else { return html }
        var output = ""
        var remaining = Substring(html)
        var anchorIndex = 0
        while anchorIndex < anchors.count, let start = remaining.range(of: "<h") {
            let afterH = start.upperBound
            guard afterH < remaining.endIndex, let level = remaining[afterH].wholeNumberValue, (1...6).contains(level),
                  remaining.index(after: afterH) < remaining.endIndex,
                  remaining[remaining.index(after: afterH)] == ">" else {
                output += remaining[..<afterH]
                remaining = remaining[afterH...]
                continue
            }
            output += remaining[..<start.lowerBound]
            let anchor = escapeAttribute(anchors[anchorIndex])
            output += "<h\(level) id=\"\(anchor)\">"
            if selfLinks {
                output += "<a class=\"heading-link\" href=\"#\(anchor)\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"
            }
            anchorIndex += 1
            remaining = remaining[remaining.index(afterH, offsetBy: 2)...]
            // A `{#id}` written after the heading (see `Slug.explicitAnchor`) is its id, not text.
            if let close = remaining.range(of: "</h\(level)>") {
                let inner = String(remaining[..<close.lowerBound])
                let stripped = Slug.explicitAnchor(in: inner)
                if stripped.anchor != nil {
                    output += stripped.text
                    remaining = remaining[close.lowerBound...]
                }
            }
        }
        return output + remaining
    }

    /// Escapes text for an HTML attribute or element.
    public static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    static func escapeAttribute(_ text: String) -> String { escape(text) }
}

/// Finds `@id` cross-references in prose text.
///
/// An `@` counts only at the start of a word: not after a letter, digit or one of `._%+-`
/// (so `ana@example.com` is not a reference), and not when the name goes on with `.x` or `@`
/// (so `@example.com` is not one either). The id is `[a-z0-9-]`, without a trailing hyphen.
enum ReferenceScanner {
    struct Found {
        var id: String
        var range: Range<String.Index>
    }

    static func references(in text: String) -> [Found] {
        var found: [Found] = []
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var previous: Unicode.Scalar?
        while index < scalars.endIndex {
            let scalar = scalars[index]
            defer { previous = scalar }
            guard scalar == "@", !(previous.map(isWordBefore) ?? false) else {
                index = scalars.index(after: index)
                continue
            }
            var end = scalars.index(after: index)
            var lastNonHyphen = end
            while end < scalars.endIndex, isIDScalar(scalars[end]) {
                if scalars[end] != "-" { lastNonHyphen = scalars.index(after: end) }
                end = scalars.index(after: end)
            }
            let idStart = scalars.index(after: index)
            guard idStart < lastNonHyphen, scalars[idStart] != "-" else {
                index = scalars.index(after: index)
                continue
            }
            // "@example.com", "@a@b": a handle or an address, not a reference.
            if end < scalars.endIndex {
                let next = scalars[end]
                let afterNext = scalars.index(after: end)
                if next == "@" || (next == "." && afterNext < scalars.endIndex && isIDScalar(scalars[afterNext])
                                   && scalars[afterNext] != "-") {
                    index = end
                    continue
                }
            }
            let id = String(scalars[idStart..<lastNonHyphen])
            found.append(Found(id: id, range: index..<lastNonHyphen))
            index = lastNonHyphen
        }
        return found
    }

    private static func isIDScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    private static func isWordBefore(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "._%+-@\\".unicodeScalars.contains(scalar)
    }
}
