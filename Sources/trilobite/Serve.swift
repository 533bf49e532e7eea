import ArgumentParser
import Dispatch
import Engine
import Foundation
import Lessons
import Server
import Site

/// `trilobite serve`: build the site, serve it on loopback, rebuild and reload pages on edits.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site, serve it on 127.0.0.1, and rebuild and reload open pages as lessons change.",
        discussion: "Watches the lessons folder (and any --watch paths) every 300 ms. After a change the site is "
            + "rebuilt and open pages reload; if the build fails, pages show its file:line:column errors over the "
            + "last good site until the next good build. Ctrl-C stops.")

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8000

    @Option(help: "Address to listen on. Anything but loopback (127.0.0.1, ::1) lets other machines read the site.")
    var host: String = "127.0.0.1"

    @Flag(help: "Open the site in the default browser (xdg-open).")
    var open = false

    @Option(help: "The lessons folder, built and watched (as for build).")
    var lessons: String = "lessons"

    @Option(help: "The site folder, written by the build and served (as for build).")
    var out: String = "site"

    @Option(help: "Folder with the weights and labels (default: ./Weights or the project's).")
    var weights: String?

    @Option(name: .customLong("watch"), help: "Another file or folder whose changes rebuild the site (repeatable).")
    var extraWatched: [String] = []

    @Flag(help: "Serve the folder as it is: no build first, no rebuilds on changes.")
    var noBuild = false

    func validate() throws {
        _ = try bindAddress()
    }

    /// The address from `--host` and `--port`, or a usage error saying what is wrong.
    func bindAddress() throws -> BindAddress {
        guard let port = UInt16(exactly: port) else {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
        do {
            return try BindAddress(host: host, port: port)
        } catch {
            throw ValidationError("--host: \(error.description)")
        }
    }

    func run() throws {
        let address = try bindAddress()
        let site = out
        let open = self.open
        try reportingErrors {
            let builder = noBuild ? nil : try ServeBuilder.inProcess(lessons: lessons, out: out, weights: weights, extra: extraWatched)
            try runBlocking { try await Self.serve(site: site, address: address, builder: builder, open: open) }
        }
    }

    /// Builds once, starts the server, and returns when it has been stopped (Ctrl-C or SIGTERM).
    static func serve(site: String, address: BindAddress, builder: ServeBuilder?, open: Bool) async throws {
        if !address.isLoopback {
            printError("warning: serving on \(address.host) lets other machines on the network read the site; "
                       + "leave out --host to serve on 127.0.0.1 only")
        }
        var first = BuildOutcome.success
        if let builder {
            say("Building the site (\(builder.name))…")
            first = await builder.build([])
            report(first, seconds: nil)
            if case .failure = first, !FileManager.default.fileExists(atPath: site) {
                // Nothing good to show yet: serve an empty folder, whose pages carry the errors.
                try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
            }
        }
        let nothing: SiteServer.WatchedPaths = { [] }
        let watched = builder?.watchedPaths ?? nothing
        let server = SiteServer(configuration: .init(root: site, address: address),
                                watching: watched, rebuild: builder.map(reportingRebuild))
        let url = try await server.start()
        if case .failure = first { await server.announce(first) }
        let stopper = StopOnSignals { await server.stop() }
        say("Serving \(site)/ at \(url.absoluteString)" + (builder == nil ? "" : " with live reload") + "; Ctrl-C stops.")
        if open { openInBrowser(url) }
        await server.waitUntilStopped()
        stopper.cancel()
        say("Stopped.")
    }

    /// The builder's rebuild, telling the terminal what changed, how long it took and how it went.
    static func reportingRebuild(_ builder: ServeBuilder) -> SiteServer.Rebuild {
        { changed in
            let shown = changed.prefix(3).joined(separator: ", ") + (changed.count > 3 ? " and \(changed.count - 3) more" : "")
            say("Changed: \(shown); rebuilding…")
            let started = ContinuousClock.now
            let outcome = await builder.build(changed)
            report(outcome, seconds: (ContinuousClock.now - started).secondsValue)
            return outcome
        }
    }

    /// One line about a build for the terminal.
    static func report(_ outcome: BuildOutcome, seconds: Double?) {
        let time = seconds.map { String(format: " in %.1f s", $0) } ?? ""
        switch outcome {
        case .success:
            say("Built\(time); open pages reload.")
        case .failure(let lines):
            say("Build failed\(time) (\(lines.count) error\(lines.count == 1 ? "" : "s")); still serving the last good site:")
            for line in lines { say("  \(line)") }
        }
    }

    /// Hands the URL to `xdg-open` when there is one; otherwise says to open it by hand.
    static func openInBrowser(_ url: URL) {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/xdg-open" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            say("xdg-open is not installed: open \(url.absoluteString) in a browser.")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [url.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            say("could not run xdg-open (\(error)); open \(url.absoluteString) in a browser.")
        }
    }
}

/// How `serve` builds the site: everything at first (no changed paths), then again for changes.
///
/// The server only needs these two functions; ``inProcess(lessons:out:weights:extra:)`` makes
/// them from the `build` command's `SiteBuild`.
struct ServeBuilder: Sendable {
    /// What the terminal calls it.
    var name: String
    /// Builds and says how it went; diagnostics as `file:line:column: message` lines.
    var build: @Sendable (_ changedPaths: [String]) async -> BuildOutcome
    /// Files and folders whose changes need a rebuild; asked again before every poll.
    var watchedPaths: @Sendable () async -> [String]

    /// The same build as `trilobite build`, run in this process. Every rebuild is a whole build
    /// whose result cache reruns only the directives whose inputs changed, so the changed paths
    /// need not be passed on. Watched: the lessons folder (directive images must lie inside it),
    /// the weights folder, and `extra`.
    static func inProcess(lessons: String, out: String, weights: String?, extra: [String]) throws -> ServeBuilder {
        let lessonsFolder = (lessons as NSString).standardizingPath
        let parent = (lessonsFolder as NSString).deletingLastPathComponent
        let options = BuildOptions(
            lessonsFolder: lessonsFolder, outputFolder: out,
            cacheFolder: (parent.isEmpty ? "." : parent) + "/" + ResultCache.defaultFolderName,
            weightsFolder: try WeightsLocator.directory(explicit: weights),
            workers: ProcessInfo.processInfo.activeProcessorCount)
        let watched = [lessons, options.weightsFolder] + extra
        return ServeBuilder(
            name: "lessons in \(lessons)/",
            build: { _ in await runBuild(options, displayRoot: lessons) },
            watchedPaths: { watched })
    }

    /// Runs `SiteBuild` on a thread of its own (it blocks for as long as directives compute, and
    /// the concurrency pool must stay free to serve pages), printing what `build` prints.
    static func runBuild(_ options: BuildOptions, displayRoot: String) async -> BuildOutcome {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: buildNow(options, displayRoot: displayRoot))
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private static func buildNow(_ options: BuildOptions, displayRoot: String) -> BuildOutcome {
        let started = ContinuousClock.now
        let display = BuildProgressDisplay(terminal: isatty(STDERR_FILENO) == 1)
        let result: BuildResult
        do {
            result = try SiteBuild.run(options, displayRoot: displayRoot) { display.handle($0) }
        } catch {
            display.finish()
            switch error {
            case .invalidLessons(let diagnostics):
                return .failure(diagnostics.sortedByLocation().filter { $0.severity == .error }.map(\.description))
            case .jobsFailed(let lines):
                return .failure(lines)
            case .setup(let message), .site(let message):
                return .failure(["trilobite: error: \(message)"])
            }
        }
        display.finish()
        for warning in result.warnings { printError(warning.description) }
        for note in result.recoveryNotes { printError("trilobite: note: \(note)") }
        for warning in result.cacheWarnings { printError("trilobite: warning: \(warning)") }
        say(Build.summary(result, output: options.outputFolder, seconds: (ContinuousClock.now - started).secondsValue))
        return .success
    }
}

/// Calls `stop` on the first SIGINT (Ctrl-C) or SIGTERM; a second signal exits at once.
final class StopOnSignals {
    private let sources: [any DispatchSourceSignal]

    init(stop: @escaping @Sendable () async -> Void) {
        let state = SignalCount()
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                guard state.increment() == 1 else { exit(130) }
                say("\nStopping…")
                Task { await stop() }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// How many stop signals arrived; shared with the signal handlers.
private final class SignalCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}

/// Runs async work from a synchronous command, blocking the calling thread until it is done.
/// (The root command is synchronous; the work runs on the concurrency pool meanwhile.)
private func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { result.set(.success(try await body())) } catch { result.set(.failure(error)) }
        done.signal()
    }
    done.wait()
    return try result.get()
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }

    func get() throws -> T {
        guard let result = lock.withLock({ result }) else {
            throw ValidationError("internal: the served task ended without a result")
        }
        return try result.get()
    }
}

/// Writes a line to standard output at once (unbuffered, like the build's own output).
private func say(_ message: String) {
    FileHandle.standardOutput.write(Data("\(message)\n".utf8))
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

extension Duration {
    /// The duration in seconds, as a Double.
    fileprivate var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
