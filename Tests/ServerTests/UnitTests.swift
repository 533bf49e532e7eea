import Foundation
import Testing
@testable import Server

@Suite struct UnitTests {
    @Test func bindAddresses() throws {
        #expect(try BindAddress(host: "127.0.0.1", port: 1).isLoopback)
        #expect(try BindAddress(host: "127.8.9.10", port: 1).isLoopback)
        #expect(try BindAddress(host: "localhost", port: 1).host == "127.0.0.1")
        #expect(try BindAddress(host: "::1", port: 1).isLoopback)
        #expect(try BindAddress(host: "[::1]", port: 8000).description == "[::1]:8000")
        #expect(try BindAddress(host: "::ffff:127.0.0.1", port: 1).isLoopback)
        #expect(try !BindAddress(host: "0.0.0.0", port: 1).isLoopback)
        #expect(try !BindAddress(host: "::", port: 1).isLoopback)
        #expect(try !BindAddress(host: "192.168.1.20", port: 1).isLoopback)
        #expect(throws: ServerError.invalidHost("example.org")) { try BindAddress(host: "example.org", port: 1) }
        #expect(throws: ServerError.invalidHost("127.0.0.256")) { try BindAddress(host: "127.0.0.256", port: 1) }
        #expect(BindAddress.loopback.description == "127.0.0.1:8000")
    }

    @Test func rootContainment() {
        #expect(SiteRoot.contains("/a/site", in: "/a/site"))
        #expect(SiteRoot.contains("/a/site/x.html", in: "/a/site"))
        #expect(!SiteRoot.contains("/a/site2/x.html", in: "/a/site"))
        #expect(!SiteRoot.contains("/a", in: "/a/site"))
        #expect(SiteRoot.contains("/etc/passwd", in: "/"))
    }

    @Test func contentTypes() {
        #expect(ContentType.of(fileName: "a.HTML") == "text/html; charset=utf-8")
        #expect(ContentType.of(fileName: "x.tar.woff2") == "font/woff2")
        #expect(ContentType.of(fileName: "README") == "application/octet-stream")
        #expect(ContentType.of(fileName: ".png") == "application/octet-stream")
        #expect(ContentType.of(fileName: "figure.JPEG") == "image/jpeg")
    }

    @Test func scriptInjection() {
        func inject(_ page: String) -> String { String(decoding: LiveReloadScript.inject(into: Array(page.utf8)), as: UTF8.self) }
        let tag = LiveReloadScript.tag
        #expect(inject("<body>a</body>") == "<body>a\(tag)</body>")
        #expect(inject("<body><pre>&lt;/body&gt;</pre></Body ></html>") == "<body><pre>&lt;/body&gt;</pre>\(tag)</Body ></html>")
        #expect(inject("<p>fragment</p>") == "<p>fragment</p>\(tag)")
        #expect(inject("") == tag)
        #expect(inject("<body>x</body><!-- </body> -->").hasSuffix("\(tag)</body> -->"))
    }

    /// The browser tests check the overlay in Chromium; this keeps its promises visible to
    /// `swift test` too: announced as an alert named by its heading, first in the tab order, a
    /// real button, messages as text, and a panel that leaves most of the page in view.
    @Test func overlayIsAnAnnouncedPanelThatLeavesThePageVisible() {
        let source = LiveReloadScript.source
        #expect(source.contains(#"overlay.setAttribute("role", "alert")"#))
        #expect(source.contains(#"overlay.setAttribute("aria-labelledby", overlayId + "-title")"#))
        #expect(source.contains(#"title.id = overlayId + "-title""#))
        #expect(source.contains("parent.insertBefore(overlay, parent.firstChild)"))
        #expect(source.contains(#"dismiss.type = "button""#))
        #expect(source.contains("item.textContent = line"))
        #expect(!source.contains("innerHTML"))
        #expect(source.contains(#""max-height:50vh""#))
        #expect(!source.contains("inset:0"), "a full-window overlay hides the last good page")
    }

    @Test func entityTagMatching() {
        #expect(SiteRequestHandler.matches("\"a\"", "\"a\""))
        #expect(SiteRequestHandler.matches("W/\"a\"", "\"a\""))
        #expect(SiteRequestHandler.matches("\"b\", \"a\"", "\"a\""))
        #expect(SiteRequestHandler.matches("*", "\"a\""))
        #expect(!SiteRequestHandler.matches("\"b\"", "\"a\""))
        #expect(!SiteRequestHandler.matches("", "\"a\""))
    }

    @Test func eventEncoding() {
        let reload = String(decoding: LiveReloadHub.encode(.success, build: 2), as: UTF8.self)
        #expect(reload == "event: reload\ndata: {\"build\":2}\n\n")
        let failure = String(decoding: LiveReloadHub.encode(.failure(["a.md:1:2: x\ny", "b.md:3:4: \"q\""]), build: 3), as: UTF8.self)
        #expect(failure == "event: build-error\ndata: {\"build\":3,\"errors\":[\"a.md:1:2: x\\ny\",\"b.md:3:4: \\\"q\\\"\"]}\n\n")
    }

    @Test func watchSnapshotsSeeEachKindOfChange() throws {
        let site = try TemporarySite()
        let lessons = site.lessons
        func snapshot() -> WatchSnapshot { WatchSnapshot.take(roots: [lessons]) }
        var before = snapshot()
        #expect(before.files.keys.sorted() == [lessons + "/a.md"])

        try site.write("# Lección\n", to: lessons + "/.a.md.swp")  // editor leftovers are ignored
        try site.write("x", to: lessons + "/a.md~")
        #expect(snapshot().changes(since: before).isEmpty)

        try site.write("# Lección, más larga\n", to: lessons + "/a.md")  // size
        var after = snapshot()
        #expect(after.changes(since: before) == [lessons + "/a.md"])
        before = after

        // Same size, new time.
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, lessons + "/a.md", &times, 0) == 0)
        after = snapshot()
        #expect(after.changes(since: before) == [lessons + "/a.md"])
        before = after

        // Same size and time, new inode (an atomic replace).
        try site.write("# Lección, más corta\n", to: lessons + "/b.tmp-write")
        #expect(utimensat(AT_FDCWD, lessons + "/b.tmp-write", &times, 0) == 0)
        #expect(rename(lessons + "/b.tmp-write", lessons + "/a.md") == 0)
        after = snapshot()
        #expect(after.changes(since: before) == [lessons + "/a.md"])
        before = after

        try FileManager.default.createDirectory(atPath: lessons + "/images", withIntermediateDirectories: true)
        try site.write("png", to: lessons + "/images/gato.png")  // added, in a new folder
        after = snapshot()
        #expect(after.changes(since: before) == [lessons + "/images/gato.png"])
        before = after

        try FileManager.default.removeItem(atPath: lessons + "/a.md")  // removed
        #expect(snapshot().changes(since: before) == [lessons + "/a.md"])
    }
}
