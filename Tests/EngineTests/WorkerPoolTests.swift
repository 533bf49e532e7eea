import Foundation
import Synchronization
import Testing
@testable import Engine

/// The pool's handshakes (work posted, workers asleep, caller asleep) are exercised with no spin
/// at all, so that every loop goes through the sleep and wake paths where a lost wakeup would
/// hang; each test runs on a helper thread with a deadline so that a hang fails instead.
@Suite struct WorkerPoolTests {
    /// An atomic in a class, so that an array can hold one per index.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Runs `work` on its own thread and reports whether it finished within `seconds`.
    private func finishes(within seconds: Double, _ work: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            work()
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        return done.wait(timeout: .now() + seconds) == .success
    }

    @Test(arguments: [(0, 0), (50, 50), (1000, 0), (0, 1000)])
    func everyIndexRunsExactlyOnce(spin: (worker: Int, caller: Int)) {
        let pool = WorkerPool(workers: 3, workerSpinMicroseconds: spin.worker, callerSpinMicroseconds: spin.caller)
        let ok = finishes(within: 60) {
            for count in [2, 3, 7, 64, 1000] {
                let hits = (0..<count).map { _ in Counter() }
                pool.run(count) { index in hits[index].value.add(1, ordering: .relaxed) }
                for index in 0..<count { precondition(hits[index].value.load(ordering: .relaxed) == 1, "index \(index) of \(count)") }
            }
        }
        #expect(ok)
    }

    @Test func manyLoopsInARowWithSleepsBetween() {
        let pool = WorkerPool(workers: 2, workerSpinMicroseconds: 0, callerSpinMicroseconds: 0)
        let total = Atomic<Int>(0)
        let ok = finishes(within: 60) {
            for loop in 0..<20_000 {
                pool.run(4) { _ in total.add(1, ordering: .relaxed) }
                // Now and then let the workers fall asleep, so both the spinning and the sleeping
                // paths meet the next loop.
                if loop % 1000 == 0 { usleep(2000) }
            }
        }
        #expect(ok)
        #expect(total.load(ordering: .relaxed) == 80_000)
    }

    @Test func slowWorkerMakesTheCallerSleepAndWake() {
        let pool = WorkerPool(workers: 1, workerSpinMicroseconds: 0, callerSpinMicroseconds: 0)
        let total = Atomic<Int>(0)
        let ok = finishes(within: 60) {
            for _ in 0..<200 {
                // Index 1 is slow, so the caller (done with index 0) usually goes to sleep.
                pool.run(2) { index in
                    if index == 1 { usleep(200) }
                    total.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(ok)
        #expect(total.load(ordering: .relaxed) == 400)
    }

    @Test func callersOnSeveralThreadsAllFinish() {
        let pool = WorkerPool(workers: 2, workerSpinMicroseconds: 0, callerSpinMicroseconds: 0)
        let total = Atomic<Int>(0)
        let ok = finishes(within: 60) {
            // Callers that find the pool busy run their loop alone; either way every index runs.
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                for _ in 0..<2000 {
                    pool.run(8) { _ in total.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(ok)
        #expect(total.load(ordering: .relaxed) == 4 * 2000 * 8)
    }

    @Test func nestedLoopRunsOnTheCaller() {
        let pool = WorkerPool(workers: 2)
        let total = Atomic<Int>(0)
        let ok = finishes(within: 60) {
            pool.run(4) { _ in
                // The pool is busy with the outer loop, so this one runs where it is called.
                pool.run(4) { _ in total.add(1, ordering: .relaxed) }
            }
        }
        #expect(ok)
        #expect(total.load(ordering: .relaxed) == 16)
    }
}
