import FlyingFox
import FlyingSocks
import Foundation

/// Serves a built site folder over HTTP, watches the sources, rebuilds and reloads open pages.
///
/// ```swift
/// let server = SiteServer(
///     configuration: .init(root: "site", address: try BindAddress(host: "127.0.0.1", port: 8000)),
///     watching: { ["lessons"] + builder.inputFiles },          // re-read before every poll
///     rebuild: { changed in await builder.rebuild(changed) })  // → .success or .failure(lines)
/// let url = try await server.start()   // listening once this returns
/// await server.waitUntilStopped()      // until someone calls stop()
/// ```
///
/// - Serving: `GET` and `HEAD` only (405 otherwise); `/` and `dir/` mean `index.html`; a folder
///   without its slash redirects; `ETag` + `Cache-Control: no-cache`, `304` on `If-None-Match`.
///   Paths cannot leave the root: see ``RequestPath`` and ``SiteRoot``.
/// - Live reload: HTML pages are sent with a script tag added (the files are not changed); the
///   script listens to `/__trilobite/events` for `reload` and `build-error`.
/// - Watching: every `watchInterval` the watched paths are stat-ed (size, modification time,
///   inode); changed paths go to `rebuild`, one build at a time, later changes coalesced into one
///   more build. The server never touches the site folder: after a failed build it keeps serving
///   what is there (the builder writes atomically, so that is the last good site).
public actor SiteServer {
    /// Where and how to serve.
    public struct Configuration: Sendable {
        /// The folder to serve (the build output).
        public var root: String
        /// Host and port; loopback by default.
        public var address: BindAddress
        /// How often the watched paths are polled.
        public var watchInterval: Duration
        /// How often idle event streams get a comment line, which also finds closed ones.
        public var keepAliveInterval: Duration

        public init(root: String = "site", address: BindAddress = .loopback,
                    watchInterval: Duration = .milliseconds(300), keepAliveInterval: Duration = .seconds(15)) {
            self.root = root
            self.address = address
            self.watchInterval = watchInterval
            self.keepAliveInterval = keepAliveInterval
        }
    }

    /// Rebuilds the site for these changed paths (as the watcher saw them) and says how it went.
    public typealias Rebuild = @Sendable (_ changedPaths: [String]) async -> BuildOutcome
    /// The files and folders to watch, asked again before every poll (the list may change as
    /// lessons change which files their directives read).
    public typealias WatchedPaths = @Sendable () async -> [String]

    /// The configuration given at creation.
    public nonisolated let configuration: Configuration
    private let watchedPaths: WatchedPaths
    private let rebuild: Rebuild?
    private let hub = LiveReloadHub()
    private var http: HTTPServer?
    private var runTask: Task<Void, Never>?
    private var background: [Task<Void, Never>] = []
    private var queue: RebuildQueue?
    private var phase = Phase.idle
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    private enum Phase { case idle, running(URL), stopped }

    /// A server that watches `watching()` and calls `rebuild` on changes; with no `rebuild` it
    /// only serves (and ``announce(_:)`` still reaches the pages).
    public init(configuration: Configuration = Configuration(),
                watching: @escaping WatchedPaths = { [] }, rebuild: Rebuild? = nil) {
        self.configuration = configuration
        self.watchedPaths = watching
        self.rebuild = rebuild
    }

    /// A server watching a fixed list of paths.
    public init(configuration: Configuration = Configuration(), watchingPaths paths: [String], rebuild: Rebuild?) {
        self.init(configuration: configuration, watching: { paths }, rebuild: rebuild)
    }

    /// The address pages are served at, once started (`http://127.0.0.1:8000/`).
    public var url: URL? {
        if case .running(let url) = phase { return url }
        return nil
    }

    /// How many pages hold an event stream open now.
    public var connectedPages: Int {
        get async { await hub.connectionCount }
    }

    /// Binds, starts serving and watching; returns the URL once connections are accepted.
    public func start() async throws(ServerError) -> URL {
        guard case .idle = phase else { throw .alreadyStarted }
        let root = try SiteRoot(path: configuration.root)
        let address = configuration.address
        let server = HTTPServer(
            config: HTTPServer.Configuration(address: try address.socketAddress(), timeout: 30, logger: .disabled),
            handler: SiteRequestHandler(root: root, hub: hub))
        let failure = FirstError()
        runTask = Task {
            do { try await server.run() } catch { failure.record(error) }
        }
        http = server

        // Wait (bounded) until the socket listens, or until run() fails (port taken, ...).
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await server.isListening) {
            if let error = failure.error {
                phase = .stopped
                throw Self.explain(error, address: address)
            }
            if ContinuousClock.now > deadline {
                await server.stop()
                phase = .stopped
                throw .listenFailed(host: address.host, port: address.port, reason: "the socket did not start listening within 10 s")
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        var port = address.port
        switch await server.listeningAddress {
        case .ip4(_, let bound)?, .ip6(_, let bound)?: port = bound
        default: break
        }
        let url = URL(string: "http://\(address.urlHost):\(port)/") ?? URL(fileURLWithPath: "/")
        phase = .running(url)

        let hub = self.hub
        let keepAlive = configuration.keepAliveInterval
        background.append(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAlive)
                await hub.ping()
            }
        })
        if let rebuild {
            let queue = RebuildQueue(rebuild: rebuild, announce: { await hub.publish($0) })
            self.queue = queue
            background.append(Self.watch(watchedPaths, every: configuration.watchInterval,
                                         excluding: [configuration.root, root.realPath],
                                         first: WatchSnapshot.take(roots: await watchedPaths(),
                                                                   excluding: [configuration.root, root.realPath]),
                                         queue: queue))
        }
        return url
    }

    /// Tells the open pages about a build done outside the watcher (e.g. the first one).
    public func announce(_ outcome: BuildOutcome) async {
        await hub.publish(outcome)
    }

    /// Waits until the rebuilds for changes seen so far have run (for tests and tools).
    public func waitForRebuilds() async {
        await queue?.waitUntilIdle()
    }

    /// Closes event streams, stops watching and listening, and waits for connections to end.
    public func stop() async {
        guard case .running = phase else {
            phase = .stopped
            return
        }
        phase = .stopped
        await hub.close()
        for task in background { task.cancel() }
        background.removeAll()
        await queue?.cancel()
        // FlyingFox waits this long for open requests, then cancels them; its accept loop only ends that way.
        await http?.stop(timeout: 0.1)
        await runTask?.value
        http = nil
        runTask = nil
        for waiter in stopWaiters { waiter.resume() }
        stopWaiters.removeAll()
    }

    /// Returns once ``stop()`` has finished (at once if never started or already stopped).
    public func waitUntilStopped() async {
        guard case .running = phase else { return }
        await withCheckedContinuation { stopWaiters.append($0) }
    }

    private static func watch(_ paths: @escaping WatchedPaths, every interval: Duration, excluding excluded: [String],
                              first: WatchSnapshot, queue: RebuildQueue) -> Task<Void, Never> {
        Task {
            var previous = first
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                let current = WatchSnapshot.take(roots: await paths(), excluding: excluded)
                let changed = current.changes(since: previous)
                previous = current
                if !changed.isEmpty { await queue.filesChanged(changed) }
            }
        }
    }

    /// Turns a socket error from binding into an actionable ``ServerError``.
    static func explain(_ error: any Error, address: BindAddress) -> ServerError {
        if case SocketError.failed(_, let code, let message) = error {
            switch code {
            case EADDRINUSE: return .portInUse(host: address.host, port: address.port)
            case EACCES: return .permissionDenied(host: address.host, port: address.port)
            case EADDRNOTAVAIL:
                return .listenFailed(host: address.host, port: address.port,
                                     reason: "this machine has no such address; use 127.0.0.1")
            default: return .listenFailed(host: address.host, port: address.port, reason: message)
            }
        }
        return .listenFailed(host: address.host, port: address.port, reason: String(describing: error))
    }
}

/// Holds the first error a background task reports; safe to share between tasks.
private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    var error: (any Error)? { lock.withLock { stored } }

    func record(_ error: any Error) {
        lock.withLock { if stored == nil { stored = error } }
    }
}
