import CVesicleVector
import Foundation
import Synchronization

/// The threads that walk a window's partitions (docs/DESIGN.md, The partition): the calling thread
/// and `count - 1` workers of their own, which live as long as the partitions. A window used to be
/// two `DispatchQueue.concurrentPerform` calls (the release walks, then the delivery walks), each
/// waking a sleeping worker and joining it: measured 2026-12-03 on the 2-thread Bayesian Brunel
/// network, each phase's wall time exceeded its slower thread's CPU time by 130-150 us per window
/// of about 8 ms (3.3 % of the run). Here a window is one job that every thread runs at once, with
/// a barrier between its phases (`SpinBarrier`), and the threads wait by spinning for up to about
/// half a millisecond (8 000 pauses of about 60 ns on this machine), about the simulator's serial
/// work between two windows of the Bayesian Brunel network, before they block.
/// `concurrentPerform` does not promise that its iterations run at the same time, so a barrier
/// inside them could wait forever; these threads are all running, so a barrier among them cannot.
final class WindowThreads: @unchecked Sendable {
    let count: Int
    let barrier: SpinBarrier
    /// The job of the current window, written by the calling thread before the start barrier and
    /// read by the workers after it (the barrier's generation orders the two).
    private var job: ((Int) -> Void)?
    private var stopping = false

    /// - Parameter count: threads, the caller's included (at least 2).
    init(count: Int) {
        precondition(count >= 2, "window threads are for two or more partitions")
        self.count = count
        // Spinning threads that outnumber the cores would keep the others from running.
        barrier = SpinBarrier(participants: count,
                              spins: count <= ProcessInfo.processInfo.activeProcessorCount ? 8_000 : 0)
        for j in 1..<count {
            let thread = Thread { [self] in self.serve(j) }
            thread.name = "vesicle partition \(j)"
            thread.start()
        }
    }

    /// Runs `job(j)` on thread j for j = 0 ..< count (0 is the caller's) and returns when all have
    /// finished. A job may call `barrier.arriveAndWait()`, which all of them must call alike.
    func run(_ job: @escaping (Int) -> Void) {
        self.job = job
        barrier.arriveAndWait()
        job(0)
        barrier.arriveAndWait()
        self.job = nil
    }

    /// Ends the workers (the partitions' deinit); no `run` after it.
    func stop() {
        stopping = true
        barrier.arriveAndWait()
    }

    private func serve(_ j: Int) {
        while true {
            barrier.arriveAndWait()
            if stopping { return }
            job!(j)
            barrier.arriveAndWait()
        }
    }
}

/// A reusable barrier of a fixed number of threads: each `arriveAndWait` returns once every
/// participant has called it, and everything written before it by any of them is visible after it
/// to all. The last to arrive advances a generation; the others spin on it (`spins` rounds of a
/// pause instruction), then block on a condition.
final class SpinBarrier: @unchecked Sendable {
    let participants: Int
    private let spins: Int
    private let arrived = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    private let condition = NSCondition()

    init(participants: Int, spins: Int) {
        self.participants = participants
        self.spins = spins
    }

    func arriveAndWait() {
        let g = generation.load(ordering: .acquiring)
        if arrived.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == participants {
            // The others wait for the generation to move, so none touches the count meanwhile.
            arrived.store(0, ordering: .relaxed)
            condition.lock()
            generation.store(g &+ 1, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
            return
        }
        var round = 0
        while generation.load(ordering: .acquiring) == g {
            if round < spins {
                vesicle_pause()
                round += 1
                continue
            }
            condition.lock()
            while generation.load(ordering: .acquiring) == g { condition.wait() }
            condition.unlock()
            return
        }
    }
}
