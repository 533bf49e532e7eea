import Dispatch
import Foundation
import Synchronization

/// Persistent worker threads that pick up a parallel loop within a microsecond.
///
/// A network pass is ~150 short parallel loops of 10–200 µs each; waking a sleeping thread per
/// loop (as `DispatchQueue.concurrentPerform` does) costs tens of microseconds each time, which
/// was a quarter of a step. These workers spin for a while after each loop, so the next one
/// starts at once, and sleep on a condition variable once the process goes quiet.
///
/// One loop runs at a time; a caller that finds the pool busy (another model on another
/// thread) runs its loop on its own thread, which is correct, just not parallel.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    let workerCount: Int
    /// Bumped once per loop; workers wait for it to change.
    private let epoch = Atomic<Int>(0)
    private let nextIndex = Atomic<Int>(0)
    private let finishedWorkers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepingWorkers = Atomic<Int>(0)
    // Written by the caller before the epoch is bumped (release) and read by workers after they
    // see the new epoch (acquire).
    private nonisolated(unsafe) var body: ((Int) -> Void)?
    private nonisolated(unsafe) var count = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// How long a worker polls for the next loop before it goes to sleep.
    private let spinNanoseconds: UInt64 = 200_000

    init(workers: Int) {
        workerCount = workers
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<workers {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, on the caller and the workers, and returns
    /// when all have finished.
    func run(_ count: Int, _ body: (Int) -> Void) {
        guard workerCount > 0, count > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            self.body = body
            self.count = count
            nextIndex.store(0, ordering: .relaxed)
            finishedWorkers.store(0, ordering: .relaxed)
            epoch.add(1, ordering: .releasing)
            if sleepingWorkers.load(ordering: .acquiring) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
            }
            claimIndices()
            var polls = 0
            while finishedWorkers.load(ordering: .acquiring) < workerCount { pause(&polls) }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    private func claimIndices() {
        guard let body else { return }
        while true {
            let index = nextIndex.add(1, ordering: .relaxed).oldValue
            if index >= count { return }
            body(index)
        }
    }

    private func workerLoop() {
        // Not read from `epoch`: a loop may have been posted before this thread first ran, and
        // the caller waits for every worker to report on it.
        var seen = 0
        while true {
            var polls = 0
            let start = DispatchTime.now().uptimeNanoseconds
            while epoch.load(ordering: .acquiring) == seen {
                pause(&polls)
                if polls % 256 != 0 || DispatchTime.now().uptimeNanoseconds - start < spinNanoseconds {
                    continue
                }
                pthread_mutex_lock(mutex)
                sleepingWorkers.add(1, ordering: .releasing)
                while epoch.load(ordering: .acquiring) == seen {
                    pthread_cond_wait(condition, mutex)
                }
                sleepingWorkers.subtract(1, ordering: .releasing)
                pthread_mutex_unlock(mutex)
            }
            seen = epoch.load(ordering: .acquiring)
            claimIndices()
            finishedWorkers.add(1, ordering: .releasing)
        }
    }

    /// One poll of a wait loop. Every 32nd poll yields the core, so that on a machine with more
    /// runnable threads than cores the thread being waited for gets to run.
    @inline(__always)
    private func pause(_ polls: inout Int) {
        polls += 1
        if polls % 32 == 0 { sched_yield() }
    }
}
