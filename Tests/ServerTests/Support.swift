import FlyingSocks
import Foundation
@testable import Server

/// A site folder in a temporary directory, with a folder beside it that must never be served.
///
/// ```
/// <base>/site/        index.html, style.css, app.js, figure.png, photo.jpg, icon.svg,
///                     data.json, font.woff2, favicon.ico, notes.txt, lesson/index.html,
///                     leak.txt -> ../outside/secret.txt, leakdir -> ../outside
/// <base>/outside/     secret.txt, index.html
/// <base>/etc/passwd   (what /../etc/passwd would reach)
/// <base>/lessons/     a.md (watched in the live-reload tests)
/// ```
final class TemporarySite: Sendable {
    let base: String
    var site: String { base + "/site" }
    var lessons: String { base + "/lessons" }
    /// Content of every file outside the site; no response may contain it.
    static let secret = "TOP-SECRET-OUTSIDE-THE-ROOT"

    /// Every file's bytes by its path in the site.
    static let files: [String: [UInt8]] = [
        "index.html": Array("<!doctype html>\n<html lang=\"en\"><head><title>Start</title></head>\n<body><h1>Trilobite</h1></BODY>\n</html>\n".utf8),
        "style.css": Array("body { color: #111; }\n".utf8),
        "app.js": Array("console.log('trilobite');\n".utf8),
        "figure.png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) },
        "photo.jpg": [0xFF, 0xD8, 0xFF, 0xE0] + (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7) },
        "icon.svg": Array("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n".utf8),
        "data.json": Array("{\"ε\": \"2/255\"}\n".utf8),
        "font.woff2": Array("wOF2".utf8) + [0, 1, 2, 3],
        "favicon.ico": [0, 0, 1, 0, 1, 0],
        "notes.txt": Array("notas en español: ñ\n".utf8),
        "lesson/index.html": Array("<html><body><p>Lección 1</p></body></html>".utf8),
    ]

    init() throws {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("trilobite-server-XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else { throw TestFailure("mkdtemp failed for \(template)") }
        base = String(cString: made)
        let manager = FileManager.default
        for folder in ["site/lesson", "outside", "etc", "lessons"] {
            try manager.createDirectory(atPath: base + "/" + folder, withIntermediateDirectories: true)
        }
        for (path, bytes) in Self.files { try Data(bytes).write(to: URL(fileURLWithPath: site + "/" + path)) }
        try Data(Self.secret.utf8).write(to: URL(fileURLWithPath: base + "/outside/secret.txt"))
        try Data("<html><body>\(Self.secret)</body></html>".utf8).write(to: URL(fileURLWithPath: base + "/outside/index.html"))
        try Data(Self.secret.utf8).write(to: URL(fileURLWithPath: base + "/etc/passwd"))
        try manager.createSymbolicLink(atPath: site + "/leak.txt", withDestinationPath: "../outside/secret.txt")
        try manager.createSymbolicLink(atPath: site + "/leakdir", withDestinationPath: "../outside")
        try Data("# Lección\n".utf8).write(to: URL(fileURLWithPath: lessons + "/a.md"))
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Starts a server on 127.0.0.1 with a port the system picks, runs `body`, always stops it.
func withServer<T: Sendable>(
    root: String, watching: [String] = [], watchInterval: Duration = .milliseconds(50),
    rebuild: SiteServer.Rebuild? = nil,
    _ body: (SiteServer, UInt16) async throws -> T
) async throws -> T {
    let address = try BindAddress(host: "127.0.0.1", port: 0)
    let server = SiteServer(configuration: .init(root: root, address: address, watchInterval: watchInterval),
                            watchingPaths: watching, rebuild: rebuild)
    let url = try await server.start()
    guard let port = url.port.flatMap({ UInt16(exactly: $0) }) else { throw TestFailure("no port in \(url)") }
    do {
        let result = try await body(server, port)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Runs `operation`, failing if it takes longer than `limit`.
func within<T: Sendable>(_ limit: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TestFailure("\(what) took longer than \(limit)")
        }
        return value
    }
}

/// One response as read off the wire.
struct RawResponse: Sendable {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A deliberately simple HTTP/1.1 client over FlyingSocks: the request line is sent exactly as
/// written (no URL normalisation, so traversal attempts reach the server as an attacker sends them).
enum RawHTTP {
    /// Connects to 127.0.0.1, or to ::1 when `ipv6`: loopback only.
    static func connect(port: UInt16, ipv6: Bool = false) async throws -> AsyncSocket {
        if ipv6 { return try await AsyncSocket.connected(to: sockaddr_in6.inet6(ip6: "::1", port: port), timeout: 5) }
        return try await AsyncSocket.connected(to: sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 5)
    }

    /// Sends one request with `Connection: close` and reads the response to the end.
    static func request(_ target: String, method: String = "GET", port: UInt16, ipv6: Bool = false,
                        headers: [String: String] = [:]) async throws -> RawResponse {
        try await within(.seconds(20), "\(method) \(target)") {
            let socket = try await connect(port: port, ipv6: ipv6)
            defer { try? socket.close() }
            var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            try await socket.write(Data((head + "\r\n").utf8))
            var received: [UInt8] = []
            while true {
                do {
                    received += try await socket.read(atMost: 65536)
                } catch SocketError.disconnected {
                    break
                }
            }
            return try parse(received, method: method)
        }
    }

    static func parse(_ bytes: [UInt8], method: String) throws -> RawResponse {
        guard let end = headerEnd(bytes) else { throw TestFailure("no complete header in \(bytes.count) bytes") }
        let (status, headers) = try parseHead(Array(bytes[..<end]))
        var body = Array(bytes[(end + 4)...])
        if headers["transfer-encoding"] == "chunked" {
            var decoder = ChunkDecoder()
            body = decoder.feed(body)
        } else if let length = headers["content-length"].flatMap(Int.init), method != "HEAD", status != 304 {
            guard body.count >= length else { throw TestFailure("body has \(body.count) of \(length) bytes") }
            body = Array(body.prefix(length))
        }
        return RawResponse(status: status, headers: headers, body: body)
    }

    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where Array(bytes[index..<index + 4]) == marker { return index }
        return nil
    }

    static func parseHead(_ bytes: [UInt8]) throws -> (Int, [String: String]) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(lines.first ?? "")") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }
}

/// Undoes chunked transfer encoding incrementally: feed bytes as they arrive, get payload back.
struct ChunkDecoder {
    private var buffer: [UInt8] = []
    private(set) var finished = false

    mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        buffer += bytes
        var output: [UInt8] = []
        while !finished {
            guard let lineEnd = buffer.firstRange(of: [13, 10]) else { break }
            let sizeText = String(decoding: buffer[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { break }
            let start = lineEnd.upperBound
            if size == 0 {
                finished = true
                buffer.removeAll()
                break
            }
            guard buffer.count >= start + size + 2 else { break }
            output += buffer[start..<start + size]
            buffer.removeFirst(start + size + 2)
        }
        return output
    }
}

/// A page's side of `/__trilobite/events`: reads the stream and splits it into events.
actor EventStreamClient {
    private let socket: AsyncSocket
    private var decoder = ChunkDecoder()
    private var text = ""
    let status: Int
    let headers: [String: String]

    /// One server-sent event.
    struct Event: Equatable, Sendable {
        var name: String
        var data: String
    }

    /// Connects and reads the response head.
    init(port: UInt16) async throws {
        socket = try await RawHTTP.connect(port: port)
        try await socket.write(Data("GET /__trilobite/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8))
        var received: [UInt8] = []
        var end: Int?
        while end == nil {
            received += try await socket.read(atMost: 4096)
            end = RawHTTP.headerEnd(received)
        }
        let headerEnd = end ?? 0
        (status, headers) = try RawHTTP.parseHead(Array(received[..<headerEnd]))
        text += String(decoding: decoder.feed(Array(received[(headerEnd + 4)...])), as: UTF8.self)
    }

    /// The next event with a name (comments and `retry:` are skipped), or nil when the stream ended.
    func next() async throws -> Event? {
        while true {
            while let range = text.range(of: "\n\n") {
                let block = String(text[..<range.lowerBound])
                text = String(text[range.upperBound...])
                var name = "message"
                var data: [String] = []
                var hasField = false
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("event:") { name = line.dropFirst(6).trimmingCharacters(in: .whitespaces); hasField = true }
                    if line.hasPrefix("data:") { data.append(line.dropFirst(5).trimmingCharacters(in: .whitespaces)); hasField = true }
                }
                if hasField, !data.isEmpty { return Event(name: name, data: data.joined(separator: "\n")) }
            }
            if decoder.finished { return nil }
            let bytes: [UInt8]
            do {
                bytes = try await socket.read(atMost: 4096)
            } catch SocketError.disconnected {
                return nil
            }
            text += String(decoding: decoder.feed(bytes), as: UTF8.self)
        }
    }

    nonisolated func close() { try? socket.close() }
}
