import Foundation
import Testing
@testable import Server

/// Counts builds and decides their outcome from the watched lesson's text, like a real build:
/// a lesson containing `colour:` fails with a `file:line:column` diagnostic.
actor FakeBuilder {
    private(set) var batches: [[String]] = []
    private var gate: CheckedContinuation<Void, Never>?
    private var holding = false

    func build(_ changed: [String]) async -> BuildOutcome {
        batches.append(changed)
        if holding { await withCheckedContinuation { gate = $0 } }
        for path in changed {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("colour:") {
                return .failure(["\(path):3:1: unknown key 'colour'; did you mean 'color'?",
                                 "\(path):4:9: <b>epsilon</b> must be at most 1"])
            }
        }
        return .success
    }

    /// Makes the next builds wait until ``release()``.
    func hold() { holding = true }

    func release() {
        holding = false
        gate?.resume()
        gate = nil
    }

    var isWaiting: Bool { gate != nil }
}

@Suite(.serialized) struct LiveReloadTests {
    @Test(.timeLimit(.minutes(1)))
    func eventsFollowBuildsReloadThenErrorThenReloadAfterTheFix() async throws {
        let site = try TemporarySite()
        let builder = FakeBuilder()
        let lesson = site.lessons + "/a.md"
        try await withServer(root: site.site, watching: [site.lessons], rebuild: { await builder.build($0) }) { server, port in
            let page = try await EventStreamClient(port: port)
            defer { page.close() }
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/event-stream; charset=utf-8")
            #expect(page.headers["cache-control"] == "no-cache")
            try await waitForPages(1, on: server)

            try site.write("# Lección\n\nTexto nuevo.\n", to: lesson)
            let reload = try await within(.seconds(10), "reload event") { try await page.next() }
            #expect(reload?.name == "reload")

            try site.write("```attack\nimage: gato.png\ncolour: red\n```\n", to: lesson)
            let failure = try await within(.seconds(10), "build-error event") { try await page.next() }
            #expect(failure?.name == "build-error")
            let payload = try JSONDecoder().decode(LiveReloadHub.EventPayload.self, from: Data((failure?.data ?? "").utf8))
            #expect(payload.errors == ["\(lesson):3:1: unknown key 'colour'; did you mean 'color'?",
                                       "\(lesson):4:9: <b>epsilon</b> must be at most 1"])

            // A page opened while the build is broken is told at once.
            let late = try await EventStreamClient(port: port)
            defer { late.close() }
            let lateFailure = try await within(.seconds(10), "build-error on connect") { try await late.next() }
            #expect(lateFailure == failure)

            // The last good site is still served meanwhile.
            #expect(try await RawHTTP.request("/", port: port).status == 200)

            try site.write("```attack\nimage: gato.png\ncolor: red\n```\n", to: lesson)
            let fixed = try await within(.seconds(10), "reload after the fix") { try await page.next() }
            #expect(fixed?.name == "reload")
            let lateFixed = try await within(.seconds(10), "reload after the fix, second page") { try await late.next() }
            #expect(lateFixed?.name == "reload")

            // The errors are cleared, not only followed by a reload: a page opened after the fix
            // is not sent them on connecting, so its first event is the next build's.
            let opened = try await EventStreamClient(port: port)
            defer { opened.close() }
            try await waitForPages(3, on: server)
            await server.announce(.success)
            let first = try await within(.seconds(10), "first event of a page opened after the fix") { try await opened.next() }
            #expect(first?.name == "reload")
        }
        #expect(await builder.batches.allSatisfy { $0 == [lesson] })
    }

    @Test(.timeLimit(.minutes(1)))
    func changesDuringABuildCoalesceIntoOneMoreBuild() async throws {
        let site = try TemporarySite()
        let builder = FakeBuilder()
        await builder.hold()
        try await withServer(root: site.site, watching: [site.lessons], rebuild: { await builder.build($0) }) { server, _ in
            try site.write("first\n", to: site.lessons + "/a.md")
            try await within(.seconds(10), "first build to start") {
                while !(await builder.isWaiting) { try await Task.sleep(for: .milliseconds(10)) }
            }
            // Three more saves while the first build runs, seen over several polls.
            for (index, name) in ["b.md", "c.md", "a.md"].enumerated() {
                try site.write("change \(index)\n", to: site.lessons + "/" + name)
                try await Task.sleep(for: .milliseconds(120))
            }
            await builder.release()
            try await within(.seconds(10), "rebuilds to finish") { await server.waitForRebuilds() }
        }
        let batches = await builder.batches
        #expect(batches.count == 2)
        #expect(batches.first == [site.lessons + "/a.md"])
        #expect(batches.last == [site.lessons + "/a.md", site.lessons + "/b.md", site.lessons + "/c.md"])
    }

    @Test(.timeLimit(.minutes(1)))
    func filesAddedToTheWatchListLaterAreWatchedAndSiteChangesAreIgnored() async throws {
        let site = try TemporarySite()
        let builder = FakeBuilder()
        let image = site.base + "/outside/secret.txt"
        let list = WatchList([site.lessons])
        let server = SiteServer(
            configuration: .init(root: site.site, address: try BindAddress(host: "127.0.0.1", port: 0), watchInterval: .milliseconds(50)),
            watching: { await list.paths + [site.site] },
            rebuild: { await builder.build($0) })
        _ = try await server.start()
        await list.set([site.lessons, image])  // a directive now reads this file
        try await Task.sleep(for: .milliseconds(200))
        try site.write("<p>rebuilt</p>", to: site.site + "/index.html")  // builds write the site: not a change
        try await Task.sleep(for: .milliseconds(200))
        #expect(await builder.batches.isEmpty)
        try site.write("new bytes", to: image)
        try await within(.seconds(10), "rebuild for the new input") {
            while await builder.batches.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        await server.waitForRebuilds()
        #expect(await builder.batches == [[image]])
        await server.stop()
    }

    @Test(.timeLimit(.minutes(1)))
    func stoppingEndsTheEventStreams() async throws {
        let site = try TemporarySite()
        let server = SiteServer(configuration: .init(root: site.site, address: try BindAddress(host: "127.0.0.1", port: 0)))
        let port = try #require(try await server.start().port.flatMap { UInt16(exactly: $0) })
        let page = try await EventStreamClient(port: port)
        defer { page.close() }
        try await waitForPages(1, on: server)
        await server.announce(.failure(["lessons/a.md:1:1: broken"]))
        #expect(try await within(.seconds(10), "event") { try await page.next() }?.name == "build-error")
        try await within(.seconds(10), "stop") { await server.stop() }
        #expect(try await within(.seconds(10), "end of stream") { try await page.next() } == nil)
        await server.waitUntilStopped()
    }

    private func waitForPages(_ count: Int, on server: SiteServer) async throws {
        try await within(.seconds(10), "\(count) page(s) to connect") {
            while await server.connectedPages < count { try await Task.sleep(for: .milliseconds(10)) }
        }
    }
}

/// A watch list the test changes while the server runs.
actor WatchList {
    private(set) var paths: [String]
    init(_ paths: [String]) { self.paths = paths }
    func set(_ paths: [String]) { self.paths = paths }
}
