import FlyingSocks
import Foundation

/// Keeps the open pages' event streams and tells them about each build.
///
/// Each page holds one server-sent-events connection; the hub writes `reload` after a
/// successful build and `build-error` (with the diagnostic lines) after a failed one. A page
/// that connects while the last build failed gets that `build-error` at once, so the overlay
/// also shows on pages opened or reloaded after the failure.
actor LiveReloadHub {
    private var streams: [Int: AsyncStream<[UInt8]>.Continuation] = [:]
    private var nextID = 0
    private var isClosed = false
    /// The outcome of the most recent build.
    private(set) var lastOutcome: BuildOutcome = .success
    /// How many builds have been announced.
    private(set) var buildCount = 0

    /// How many pages are connected.
    var connectionCount: Int { streams.count }

    /// Opens a stream for one page: first the reconnect delay, then the current state if failed.
    func subscribe() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(32))
        guard !isClosed else {
            continuation.finish()
            return stream
        }
        let id = nextID
        nextID += 1
        streams[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.remove(id) }
        }
        continuation.yield(Array("retry: 1000\n\n".utf8))
        if case .failure = lastOutcome { continuation.yield(Self.encode(lastOutcome, build: buildCount)) }
        return stream
    }

    /// Sends the outcome of a build to every page.
    func publish(_ outcome: BuildOutcome) {
        lastOutcome = outcome
        buildCount += 1
        let event = Self.encode(outcome, build: buildCount)
        for continuation in streams.values { continuation.yield(event) }
    }

    /// A comment line that keeps idle connections open and finds the closed ones.
    func ping() {
        for continuation in streams.values { continuation.yield(Array(": ping\n\n".utf8)) }
    }

    /// Ends every stream (the server is stopping) and refuses new ones.
    func close() {
        isClosed = true
        for continuation in streams.values { continuation.finish() }
        streams.removeAll()
    }

    private func remove(_ id: Int) {
        streams[id] = nil
    }

    /// The wire form of one event: `event: reload` or `event: build-error`, data as one JSON line.
    static func encode(_ outcome: BuildOutcome, build: Int) -> [UInt8] {
        let payload: EventPayload
        let name: String
        switch outcome {
        case .success:
            name = "reload"
            payload = EventPayload(build: build, errors: nil)
        case .failure(let lines):
            name = "build-error"
            payload = EventPayload(build: build, errors: lines)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSON escapes newlines, so the data is one line whatever the messages hold.
        let json = (try? encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return Array("event: \(name)\ndata: \(json)\n\n".utf8)
    }

    /// The `data` of an event: the build number and, for failures, the diagnostic lines.
    struct EventPayload: Codable, Hashable {
        var build: Int
        var errors: [String]?
    }
}

/// A never-ending response body made of the chunks a hub stream yields.
///
/// FlyingFox sends a body of unknown length with chunked transfer encoding, which is what an
/// event stream needs: each event reaches the page as soon as it is yielded.
struct EventStreamBody: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: ArraySlice<UInt8> = []

        mutating func next() async -> UInt8? {
            if pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk[...]
            }
            return pending.popFirst()
        }

        /// At most `count` bytes of the next chunk; nil when the stream has ended.
        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            while pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk[...]
            }
            let taken = pending.prefix(Swift.max(count, 1))
            pending = pending.dropFirst(taken.count)
            return Array(taken)
        }
    }
}
