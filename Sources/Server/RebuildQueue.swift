/// Runs the caller's rebuild for changed files, one build at a time.
///
/// Changes that arrive while a build runs are gathered and rebuilt together once it ends, so a
/// burst of saves costs at most one build more than the one already running.
actor RebuildQueue {
    typealias Rebuild = @Sendable ([String]) async -> BuildOutcome
    private let rebuild: Rebuild
    private let announce: @Sendable (BuildOutcome) async -> Void
    private var pending: Set<String> = []
    private var worker: Task<Void, Never>?

    init(rebuild: @escaping Rebuild, announce: @escaping @Sendable (BuildOutcome) async -> Void) {
        self.rebuild = rebuild
        self.announce = announce
    }

    /// Queues changed paths; starts a build unless one is running.
    func filesChanged(_ paths: [String]) {
        pending.formUnion(paths)
        guard worker == nil, !pending.isEmpty else { return }
        worker = Task { await self.drain() }
    }

    /// Waits for the running build and the one queued behind it, if any.
    func waitUntilIdle() async {
        while let worker { await worker.value }
    }

    /// Stops starting builds; the running one is cancelled and not announced.
    func cancel() {
        pending.removeAll()
        worker?.cancel()
    }

    private func drain() async {
        while !pending.isEmpty, !Task.isCancelled {
            let batch = pending.sorted()
            pending.removeAll()
            let outcome = await rebuild(batch)
            if Task.isCancelled { break }
            await announce(outcome)
        }
        worker = nil
    }
}
