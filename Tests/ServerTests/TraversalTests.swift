import Foundation
import Testing
@testable import Server

/// Requests that try to leave the site folder: none may return a file from outside it.
@Suite(.serialized) struct TraversalTests {
    /// Attempts and the status each must get (403 refused, 404 not there, 400 malformed).
    static let attempts: [(String, Int)] = [
        ("/../etc/passwd", 403),
        ("/../outside/secret.txt", 403),
        ("/%2e%2e/%2e%2e/etc/passwd", 403),
        ("/%2E%2E/outside/secret.txt", 403),
        ("/..%2f..%2fetc/passwd", 403),
        ("/..%2F..%2Foutside%2Fsecret.txt", 403),
        ("/%252e%252e/", 403),
        ("/%252e%252e/%252e%252e/etc/passwd", 403),
        ("/a/../../x", 403),
        ("/lesson/../../outside/secret.txt", 403),
        ("/./index.html", 403),
        ("/..\\..\\etc\\passwd", 403),
        ("/%5c..%5cetc%5cpasswd", 403),
        ("/index.html%00.png", 403),
        ("/%c0%ae%c0%ae/etc/passwd", 400),  // overlong UTF-8 for "..": not UTF-8 at all
        ("/leak.txt", 403),  // symlink to ../outside/secret.txt
        ("/leakdir/secret.txt", 403),  // symlinked folder pointing outside
        ("/leakdir/", 403),
        ("//etc/passwd", 404),  // empty segments collapse: site/etc/passwd, which is not there
        ("/%2fetc/passwd", 403),
        ("/%", 400),
        ("/%zz", 400),
        ("etc/passwd", 400),
        ("http://127.0.0.1/../etc/passwd", 400),
    ]

    @Test func traversalAttemptsAreRefusedAndNeverReturnAnOutsideFile() async throws {
        let site = try TemporarySite()
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? "root:x:0:0"
        try await withServer(root: site.site) { _, port in
            for (target, status) in Self.attempts {
                let response = try await RawHTTP.request(target, port: port)
                #expect(response.status == status, "\(target)")
                #expect(!response.text.contains(TemporarySite.secret), "\(target) leaked the outside file")
                #expect(!response.text.contains("root:x:0:0"), "\(target) leaked /etc/passwd")
                #expect(!passwd.isEmpty && !response.text.contains(passwd.prefix(40)), "\(target)")
            }
            // The same server still serves what is inside.
            #expect(try await RawHTTP.request("/notes.txt", port: port).status == 200)
        }
    }

    @Test func anIndexThatIsASymlinkOutsideIsRefused() async throws {
        let site = try TemporarySite()
        try FileManager.default.createDirectory(atPath: site.site + "/trap", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.site + "/trap/index.html", withDestinationPath: site.base + "/outside/index.html")
        try await withServer(root: site.site) { _, port in
            let response = try await RawHTTP.request("/trap/", port: port)
            #expect(response.status == 403)
            #expect(!response.text.contains(TemporarySite.secret))
        }
    }

    @Test func symlinksThatStayInsideAreServed() async throws {
        let site = try TemporarySite()
        try FileManager.default.createSymbolicLink(atPath: site.site + "/alias.css", withDestinationPath: "style.css")
        try await withServer(root: site.site) { _, port in
            let response = try await RawHTTP.request("/alias.css", port: port)
            #expect(response.status == 200)
            #expect(response.body == TemporarySite.files["style.css"])
        }
    }

    @Test func theRootMayItselfBeASymlink() async throws {
        let site = try TemporarySite()
        try FileManager.default.createSymbolicLink(atPath: site.base + "/current", withDestinationPath: site.site)
        try await withServer(root: site.base + "/current") { _, port in
            let inside = try await RawHTTP.request("/notes.txt", port: port)
            let outside = try await RawHTTP.request("/leak.txt", port: port)
            #expect(inside.status == 200)
            #expect(outside.status == 403)
        }
    }

    @Test func requestPathParsing() {
        #expect(RequestPath.parse("/") == .success(RequestPath(segments: [], namesFolder: true)))
        #expect(RequestPath.parse("/a/b.png") == .success(RequestPath(segments: ["a", "b.png"], namesFolder: false)))
        #expect(RequestPath.parse("/lecci%C3%B3n/") == .success(RequestPath(segments: ["lección"], namesFolder: true)))
        #expect(RequestPath.parse("/a%20b.txt") == .success(RequestPath(segments: ["a b.txt"], namesFolder: false)))
        #expect(RequestPath.parse("/a//b") == .success(RequestPath(segments: ["a", "b"], namesFolder: false)))
        for forbidden in ["/..", "/a/..", "/%2e%2E", "/.%2e/", "/a%2fb", "/a%5cb", "/a%00", "/%252e%252e", "/a\\b", "/."] {
            #expect(RequestPath.parse(forbidden) == .failure(.forbidden), "\(forbidden)")
        }
        for malformed in ["", "a", "/%", "/%4", "/%g0", "/a\u{7}b", "/%ff", "/%0a"] {
            #expect(RequestPath.parse(malformed) == .failure(.malformed), "\(malformed)")
        }
        #expect(RequestPath.parse("/.git/config") == .failure(.hidden))
        #expect(RequestPath.parse("/a/%2egit") == .failure(.hidden))
    }
}
