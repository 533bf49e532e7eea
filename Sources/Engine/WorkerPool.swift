import Dispatch
import Foundation
import Synchronization

/// Persistent worker threads that pick up a parallel loop within a few microseconds.
///
/// A network pass is ~150 short parallel loops of 10–200 µs each; waking a sleeping thread per
/// loop (as `DispatchQueue.concurrentPerform` does) costs tens of microseconds each time, which
/// was a quarter of a step. So both sides spin briefly before they sleep: a worker for the next
/// loop, which in a pass follows within microseconds; the caller for the workers' last indices,
/// which with equal chunks finish about when its own do. Past that the wait is not worth a core
/// (the process went quiet, or a worker was descheduled by another process), so each sleeps on a
/// condition variable, and the other side wakes it exactly when there is something to do.
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
    // The sleep handshakes below are store-then-load on two variables (a Dekker pattern): the
    // waker publishes work then checks for sleepers, a sleeper announces itself then checks for
    // work. Only sequentially consistent ordering on all four accesses guarantees that at least
    // one side sees the other's store, so a wakeup cannot be lost; acquire/release would allow
    // both loads to miss (it happened to work on x86 only because locked instructions fence).
    private let sleepingWorkers = Atomic<Int>(0)
    private let callerSleeping = Atomic<Bool>(false)
    // Written by the caller before the epoch is bumped and read by workers after they see the
    // new epoch (both sequentially consistent, so also release/acquire).
    private nonisolated(unsafe) var body: ((Int) -> Void)?
    private nonisolated(unsafe) var count = 0
    /// Guards both condition variables; held only around sleeping and waking.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Workers sleep here for the next loop.
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The caller sleeps here for the last worker to finish.
    private let workersDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// How long a worker polls for the next loop before it sleeps. Loops within a pass follow one
    /// another within a few microseconds; the gap between passes (an attack's own arithmetic,
    /// image decoding, another directive) is far longer and not worth a core.
    private let workerSpinNanoseconds: UInt64
    /// How long the caller polls for the workers after finishing its own share before it sleeps.
    private let callerSpinNanoseconds: UInt64

    init(workers: Int, workerSpinMicroseconds: Int = 50, callerSpinMicroseconds: Int = 50) {
        workerCount = workers
        workerSpinNanoseconds = UInt64(max(0, workerSpinMicroseconds)) * 1000
        callerSpinNanoseconds = UInt64(max(0, callerSpinMicroseconds)) * 1000
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(workersDone, nil)
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
            epoch.add(1, ordering: .sequentiallyConsistent)
            if sleepingWorkers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(workAvailable)
                pthread_mutex_unlock(mutex)
            }
            claimIndices()
            waitForWorkers()
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    private func waitForWorkers() {
        var polls = 0
        let start = DispatchTime.now().uptimeNanoseconds
        while finishedWorkers.load(ordering: .sequentiallyConsistent) < workerCount {
            pause(&polls)
            if polls % 64 != 0 || DispatchTime.now().uptimeNanoseconds - start < callerSpinNanoseconds {
                continue
            }
            pthread_mutex_lock(mutex)
            callerSleeping.store(true, ordering: .sequentiallyConsistent)
            while finishedWorkers.load(ordering: .sequentiallyConsistent) < workerCount {
                pthread_cond_wait(workersDone, mutex)
            }
            callerSleeping.store(false, ordering: .relaxed)
            pthread_mutex_unlock(mutex)
            return
        }
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
            while epoch.load(ordering: .sequentiallyConsistent) == seen {
                pause(&polls)
                if polls % 64 != 0 || DispatchTime.now().uptimeNanoseconds - start < workerSpinNanoseconds {
                    continue
                }
                pthread_mutex_lock(mutex)
                sleepingWorkers.add(1, ordering: .sequentiallyConsistent)
                while epoch.load(ordering: .sequentiallyConsistent) == seen {
                    pthread_cond_wait(workAvailable, mutex)
                }
                sleepingWorkers.subtract(1, ordering: .relaxed)
                pthread_mutex_unlock(mutex)
            }
            seen = epoch.load(ordering: .sequentiallyConsistent)
            claimIndices()
            // The caller may clear `body` and post the next loop as soon as this lands.
            finishedWorkers.add(1, ordering: .sequentiallyConsistent)
            if callerSleeping.load(ordering: .sequentiallyConsistent) {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(workersDone)
                pthread_mutex_unlock(mutex)
            }
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
