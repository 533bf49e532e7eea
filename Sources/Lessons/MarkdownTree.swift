import CMarkGFM
import Foundation

// Markdown is parsed with cmark-gfm, GitHub's fork of the CommonMark reference parser, rather
// than Ink: it follows the CommonMark spec exactly, has GFM tables, reports the source line of
// every block (which the directive positions are built on) and renders HTML safely by default.

/// The cmark-gfm extensions are registered once per process; registration is not thread-safe,
/// a Swift global initialiser is.
private let coreExtensionsRegistered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
}()

/// A parsed Markdown document: owns the cmark parser and node tree and frees them.
///
/// Not `Sendable`: a tree is built, read and rendered inside one function.
final class MarkdownTree {
    private let parser: OpaquePointer
    let root: OpaquePointer

    /// The GFM extensions lessons may use. Autolinks are left out on purpose: they would turn
    /// e-mail addresses into links and blur the `@id` cross-reference syntax.
    private static let extensionNames = ["table", "strikethrough"]

    /// Parses `text`; with `sourcePositions`, nodes know their lines and columns.
    init(_ text: String) {
        _ = coreExtensionsRegistered
        // cmark only fails to allocate a parser when malloc fails, which nothing survives anyway.
        let parser: OpaquePointer = cmark_parser_new(CMARK_OPT_SOURCEPOS)
        for name in Self.extensionNames {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        let byteCount = text.utf8.count
        text.withCString { pointer in
            cmark_parser_feed(parser, pointer, byteCount)
        }
        self.parser = parser
        self.root = cmark_parser_finish(parser)
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    /// The document's direct children, in order.
    var topLevelBlocks: [MarkdownNode] {
        MarkdownNode(root).children
    }

    /// Every node under the root, in document order (pre-order).
    var allNodes: [MarkdownNode] {
        var nodes: [MarkdownNode] = []
        guard let iterator = cmark_iter_new(root) else { return nodes }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), node != root {
                nodes.append(MarkdownNode(node))
            }
        }
        return nodes
    }

    /// HTML for the whole tree, with cmark's safe defaults: raw HTML is omitted and
    /// `javascript:`-style URLs are dropped. Call ``escapeRawHTML()`` first to show raw HTML as text.
    func renderHTML() -> String {
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let rendered = cmark_render_html(root, CMARK_OPT_DEFAULT, extensions) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Merges adjacent text nodes. cmark splits text wherever emphasis might start (at `_`, `*`),
    /// so `{{a.target_p_after}}` arrives in pieces; merged, it can be found in one node.
    func consolidateTextNodes() {
        cmark_consolidate_text_nodes(root)
    }

    /// Turns every raw HTML block and inline tag into plain text, so that `<script>` written in a
    /// lesson is shown as the characters `<script>` instead of being omitted or executed.
    func escapeRawHTML() {
        for node in allNodes {
            switch node.type {
            case CMARK_NODE_HTML_INLINE:
                let text = MarkdownNode.makeText(node.literal)
                cmark_node_replace(node.pointer, text)
                cmark_node_free(node.pointer)
            case CMARK_NODE_HTML_BLOCK:
                let paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH)
                var literal = node.literal
                while literal.hasSuffix("\n") { literal.removeLast() }
                cmark_node_append_child(paragraph, MarkdownNode.makeText(literal))
                cmark_node_replace(node.pointer, paragraph)
                cmark_node_free(node.pointer)
            default:
                continue
            }
        }
    }
}

/// A borrowed view of one cmark node; valid while its ``MarkdownTree`` lives.
struct MarkdownNode {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    var type: cmark_node_type { cmark_node_get_type(pointer) }

    /// 1-based first line inside the parsed text.
    var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
    /// 1-based last line inside the parsed text.
    var endLine: Int { Int(cmark_node_get_end_line(pointer)) }
    /// 1-based column of the first byte (cmark counts UTF-8 bytes).
    var startColumn: Int { Int(cmark_node_get_start_column(pointer)) }

    /// The text of a text, code or HTML node, or a code block's content.
    var literal: String {
        guard let literal = cmark_node_get_literal(pointer) else { return "" }
        return String(cString: literal)
    }

    /// The info string of a code block ("attack" in "```attack").
    var fenceInfo: String {
        guard let info = cmark_node_get_fence_info(pointer) else { return "" }
        return String(cString: info)
    }

    /// For fenced code blocks: how long the opening fence is, how far it is indented and which
    /// character it uses; nil for indented code blocks.
    var fence: (length: Int, indentation: Int, character: Character)? {
        var length: Int32 = 0
        var offset: Int32 = 0
        var character: CChar = 0
        guard cmark_node_get_fenced(pointer, &length, &offset, &character) != 0 else { return nil }
        return (Int(length), Int(offset), Character(Unicode.Scalar(UInt8(bitPattern: character))))
    }

    /// 1…6 for headings.
    var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }

    var parent: MarkdownNode? {
        cmark_node_parent(pointer).map(MarkdownNode.init)
    }

    var children: [MarkdownNode] {
        var result: [MarkdownNode] = []
        var child = cmark_node_first_child(pointer)
        while let current = child {
            result.append(MarkdownNode(current))
            child = cmark_node_next(current)
        }
        return result
    }

    /// Whether the node sits inside a link (or image), where a cross-reference must not become
    /// a second, nested link.
    var isInsideLink: Bool {
        var ancestor = parent
        while let node = ancestor {
            if node.type == CMARK_NODE_LINK || node.type == CMARK_NODE_IMAGE { return true }
            ancestor = node.parent
        }
        return false
    }

    /// The plain text of the node and its descendants (for heading anchors and alt texts).
    var plainText: String {
        var text = ""
        collectText(into: &text)
        return text
    }

    private func collectText(into text: inout String) {
        switch type {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
            text += literal
        case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            text += " "
        default:
            for child in children { child.collectText(into: &text) }
        }
    }

    static func makeText(_ literal: String) -> OpaquePointer? {
        let node = cmark_node_new(CMARK_NODE_TEXT)
        cmark_node_set_literal(node, literal)
        return node
    }
}
