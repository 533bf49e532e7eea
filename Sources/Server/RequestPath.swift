/// A request path reduced to plain segments that can only name something under the site root.
///
/// Built from the raw, still percent-encoded path of the request line, never from a path some
/// library already decoded or normalised, so that each segment is judged exactly once:
/// `..` and `.` segments, raw or encoded (`%2e%2e`), encoded separators (`%2f`, `%5c`), NUL,
/// backslashes, and anything still percent-encoded after one decoding (`%252e`) are refused.
struct RequestPath: Hashable, Sendable {
    /// Decoded segments, none empty, none `.` or `..`, none containing `/`, `\` or NUL.
    var segments: [String]
    /// True for `/` and for paths that end with `/`: the request names a folder.
    var namesFolder: Bool

    /// Why a request path was refused.
    enum Rejection: Error, Hashable {
        /// Not a path this server understands (no leading `/`, bad percent escapes, control
        /// characters, not UTF-8): 400.
        case malformed
        /// An attempt to leave the root or to smuggle a separator: 403.
        case forbidden
        /// A hidden file or folder (a segment starting with `.`): 404, as if absent.
        case hidden
    }

    /// Parses the raw path of a request target (the part before `?`).
    static func parse(_ raw: String) -> Result<RequestPath, Rejection> {
        let bytes = Array(raw.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return .failure(.malformed) }
        if bytes.contains(UInt8(ascii: "\\")) { return .failure(.forbidden) }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .failure(.malformed) }

        var segments: [String] = []
        for rawSegment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let decoded = percentDecoded(rawSegment) else { return .failure(.malformed) }
            if decoded.contains(0) || decoded.contains(UInt8(ascii: "/")) || decoded.contains(UInt8(ascii: "\\"))
                || decoded.contains(UInt8(ascii: "%")) {
                return .failure(.forbidden)
            }
            if decoded.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .failure(.malformed) }
            guard let segment = String(validating: decoded, as: UTF8.self) else { return .failure(.malformed) }
            if segment == "." || segment == ".." { return .failure(.forbidden) }
            if segment.hasPrefix(".") { return .failure(.hidden) }
            segments.append(segment)
        }
        return .success(RequestPath(segments: segments, namesFolder: segments.isEmpty || bytes.last == UInt8(ascii: "/")))
    }

    /// Decodes `%XX` escapes once; nil for a `%` not followed by two hex digits.
    static func percentDecoded(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { output.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            output.append(high << 4 | low)
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
