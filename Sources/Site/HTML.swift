import Lessons

/// Small helpers for writing HTML by hand: every text that comes from a lesson or a result goes
/// through ``HTML/text(_:)`` or ``HTML/attribute(_:)``, so a caption containing `<script>` is
/// shown as those characters.
enum HTML {
    /// Escapes text for an element's content.
    static func text(_ text: String) -> String { MarkdownRendering.escape(text) }

    /// Escapes text for a double-quoted attribute value.
    static func attribute(_ text: String) -> String { MarkdownRendering.escape(text) }

    /// A path segment for an `href`/`src`: unreserved characters as they are, everything else
    /// percent-encoded (lesson slugs may contain accents or spaces).
    static func pathSegment(_ segment: String) -> String {
        var output = ""
        for byte in segment.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-._~".unicodeScalars.contains(scalar) {
                output.unicodeScalars.append(scalar)
            } else {
                let digits = Array("0123456789ABCDEF")
                output += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
            }
        }
        return output
    }
}

/// Accumulates a page's HTML.
struct HTMLWriter {
    private(set) var output = ""

    mutating func line(_ html: String) {
        output += html
        output += "\n"
    }

    mutating func raw(_ html: String) {
        output += html
    }
}
