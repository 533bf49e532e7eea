import Foundation
import Testing
@testable import Server

/// Serving files: types, caching headers, conditional requests, HEAD, errors, folders.
@Suite(.serialized) struct ServingTests {
    static let expectedTypes: [(String, String)] = [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/figure.png", "image/png"),
        ("/photo.jpg", "image/jpeg"),
        ("/icon.svg", "image/svg+xml; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/font.woff2", "font/woff2"),
        ("/favicon.ico", "image/x-icon"),
        ("/notes.txt", "text/plain; charset=utf-8"),
    ]

    @Test func eachKindOfFileHasItsTypeAndCachingHeaders() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            for (path, type) in Self.expectedTypes {
                let response = try await RawHTTP.request(path, port: port)
                #expect(response.status == 200, "\(path)")
                #expect(response.headers["content-type"] == type, "\(path)")
                #expect(response.headers["cache-control"] == "no-cache", "\(path)")
                #expect(response.headers["etag"]?.hasPrefix("\"") == true, "\(path)")
                #expect(response.headers["content-length"] == String(response.body.count), "\(path)")
            }
        }
    }

    @Test func filesOtherThanHTMLAreByteIdentical() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            for (path, bytes) in TemporarySite.files where !path.hasSuffix(".html") {
                let response = try await RawHTTP.request("/" + path, port: port)
                #expect(response.body == bytes, "\(path)")
                #expect(!response.text.contains("live-reload"), "\(path)")
            }
        }
    }

    @Test func htmlPagesGetTheScriptBeforeTheLastBodyTagAndTheFileIsUnchanged() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            let page = try await RawHTTP.request("/", port: port)
            let original = String(decoding: TemporarySite.files["index.html"] ?? [], as: UTF8.self)
            #expect(page.text == original.replacingOccurrences(of: "</BODY>", with: LiveReloadScript.tag + "</BODY>"))
            let lesson = try await RawHTTP.request("/lesson/", port: port)
            #expect(lesson.text == "<html><body><p>Lección 1</p>\(LiveReloadScript.tag)</body></html>")
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: site.site + "/index.html"))
            #expect(Array(onDisk) == TemporarySite.files["index.html"])

            let script = try await RawHTTP.request(LiveReloadScript.path, port: port)
            #expect(script.status == 200)
            #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(script.text.contains("new EventSource(\"\(LiveReloadScript.eventsPath)\")"))
            #expect(script.text.contains("textContent = line"))
        }
    }

    @Test func ifNoneMatchWithTheETagGives304() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            for path in ["/figure.png", "/"] {
                let first = try await RawHTTP.request(path, port: port)
                let tag = try #require(first.headers["etag"])
                let again = try await RawHTTP.request(path, port: port, headers: ["If-None-Match": tag])
                #expect(again.status == 304, "\(path)")
                #expect(again.body.isEmpty)
                #expect(again.headers["etag"] == tag)
                let weak = try await RawHTTP.request(path, port: port, headers: ["If-None-Match": "\"other\", W/\(tag)"])
                #expect(weak.status == 304, "\(path)")
                let stale = try await RawHTTP.request(path, port: port, headers: ["If-None-Match": "\"stale\""])
                #expect(stale.status == 200, "\(path)")
            }
            // A new version of the file (other size and time) has another tag.
            let before = try await RawHTTP.request("/notes.txt", port: port)
            try site.write("changed notes, longer than before\n", to: site.site + "/notes.txt")
            let after = try await RawHTTP.request("/notes.txt", port: port, headers: ["If-None-Match": before.headers["etag"] ?? ""])
            #expect(after.status == 200)
            #expect(after.text == "changed notes, longer than before\n")
            #expect(after.headers["etag"] != before.headers["etag"])
        }
    }

    @Test func headHasTheHeadersOfGetAndNoBody() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            for path in ["/figure.png", "/", "/missing.html"] {
                let get = try await RawHTTP.request(path, port: port)
                let head = try await RawHTTP.request(path, method: "HEAD", port: port)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.isEmpty, "\(path)")
                #expect(head.headers["content-length"] == String(get.body.count), "\(path)")
                #expect(head.headers["content-type"] == get.headers["content-type"], "\(path)")
                #expect(head.headers["etag"] == get.headers["etag"], "\(path)")
            }
        }
    }

    @Test func missingFilesGetTheNotFoundPage() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            for path in ["/missing.html", "/lesson/missing.png", "/figure.png/", "/.hidden", "/nope/"] {
                let response = try await RawHTTP.request(path, port: port)
                #expect(response.status == 404, "\(path)")
                #expect(response.headers["content-type"] == "text/html; charset=utf-8")
                #expect(response.text.contains("404 Not Found"))
                #expect(response.text.contains(LiveReloadScript.tag), "so the page reloads once a build writes the file")
            }
            let escaped = try await RawHTTP.request("/%3Cscript%3E.html", port: port)
            #expect(escaped.status == 404)
            #expect(!escaped.text.contains("<script>"))
        }
    }

    @Test func otherMethodsGet405() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
                let response = try await RawHTTP.request("/index.html", method: method, port: port)
                #expect(response.status == 405, "\(method)")
                #expect(response.headers["allow"] == "GET, HEAD")
            }
        }
    }

    @Test func foldersWithoutTheirSlashRedirect() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            let response = try await RawHTTP.request("/lesson", port: port)
            #expect(response.status == 301)
            #expect(response.headers["location"] == "/lesson/")
            let withQuery = try await RawHTTP.request("/lesson/?slide=3", port: port)
            #expect(withQuery.status == 200)
        }
    }

    @Test func aSiteSwappedIntoPlaceIsServedAtOnce() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            let before = try await RawHTTP.request("/notes.txt", port: port)
            // What the site writer does: the new site built aside, the old one renamed away.
            let fresh = site.base + "/site.new"
            try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: true)
            try site.write("the next build\n", to: fresh + "/notes.txt")
            #expect(rename(site.site, site.base + "/site.previous") == 0)
            let between = try await RawHTTP.request("/notes.txt", port: port)
            #expect(rename(fresh, site.site) == 0)
            let after = try await RawHTTP.request("/notes.txt", port: port)
            #expect(before.body == TemporarySite.files["notes.txt"])
            #expect(between.status == 404)
            #expect(after.status == 200)
            #expect(after.text == "the next build\n")
        }
    }

    @Test func aPortInUseIsReportedWithWhatToDo() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            let second = SiteServer(configuration: .init(root: site.site, address: try BindAddress(host: "127.0.0.1", port: port)))
            await #expect(throws: ServerError.portInUse(host: "127.0.0.1", port: port)) { try await second.start() }
            #expect(ServerError.portInUse(host: "127.0.0.1", port: port).description.contains("--port"))
        }
    }

    @Test func aMissingRootIsReported() async throws {
        let server = SiteServer(configuration: .init(root: "/nonexistent/trilobite-site", address: try BindAddress(host: "127.0.0.1", port: 0)))
        await #expect(throws: ServerError.rootMissing(path: "/nonexistent/trilobite-site")) { try await server.start() }
    }

    @Test func servesOverIPv6Loopback() async throws {
        let site = try TemporarySite()
        let server = SiteServer(configuration: .init(root: site.site, address: try BindAddress(host: "::1", port: 0)))
        let url: URL
        do {
            url = try await server.start()
        } catch {
            if case .listenFailed = error { return }  // this machine has no IPv6 loopback: nothing to check
            throw error
        }
        #expect(url.absoluteString.hasPrefix("http://[::1]:"))
        let port = try #require(url.port.flatMap { UInt16(exactly: $0) })
        let response = try await RawHTTP.request("/notes.txt", port: port, ipv6: true)
        await server.stop()
        #expect(response.status == 200)
        #expect(response.body == TemporarySite.files["notes.txt"])
    }

    @Test func manyRequestsOnOneKeptAliveConnection() async throws {
        let site = try TemporarySite()
        try await withServer(root: site.site) { _, port in
            let socket = try await RawHTTP.connect(port: port)
            defer { try? socket.close() }
            let request = "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            try await socket.write(Data(String(repeating: request, count: 5).utf8))
            let expected = try #require(TemporarySite.files["style.css"])
            // Each response body holds one "}", the headers none: read until all five are in.
            let received = try await within(.seconds(10), "5 pipelined responses") {
                var bytes: [UInt8] = []
                while bytes.count(where: { $0 == UInt8(ascii: "}") }) < 5 { bytes += try await socket.read(atMost: 4096) }
                return bytes
            }
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 6)
            #expect(text.components(separatedBy: String(decoding: expected, as: UTF8.self)).count == 6)
        }
    }
}
