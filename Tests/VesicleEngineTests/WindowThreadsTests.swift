import XCTest
@testable import VesicleEngine

/// The window's threads and their barrier (Scheduler/WindowThreads.swift): every thread runs each
/// job, and what any thread wrote before a barrier is what every thread reads after it.
final class WindowThreadsTests: XCTestCase {
    /// 2, 3 and 8 threads (8 > this machine's cores: the barrier blocks without spinning), 500 jobs
    /// each. In job n thread j writes n * 100 + j to its slot, passes the barrier, and checks every
    /// slot; passes a second barrier (so that no slot is rewritten while another thread still reads
    /// it) and counts its run. Any slot that is not exactly this job's value fails, and the run
    /// counts must be 500 per thread.
    func testEveryThreadSeesEveryWriteBeforeTheBarrier() {
        for count in [2, 3, 8] {
            let threads = WindowThreads(count: count)
            let slots = UnsafeMutablePointer<Int>.allocate(capacity: count)
            let runs = UnsafeMutablePointer<Int>.allocate(capacity: count)
            let wrong = UnsafeMutablePointer<Int>.allocate(capacity: count)
            slots.initialize(repeating: -1, count: count)
            runs.initialize(repeating: 0, count: count)
            wrong.initialize(repeating: 0, count: count)
            defer { slots.deallocate(); runs.deallocate(); wrong.deallocate() }
            nonisolated(unsafe) let (s, r, w) = (slots, runs, wrong)
            for n in 0..<500 {
                threads.run { j in
                    s[j] = n * 100 + j
                    threads.barrier.arriveAndWait()
                    for i in 0..<count where s[i] != n * 100 + i { w[j] += 1 }
                    threads.barrier.arriveAndWait()
                    r[j] += 1
                }
            }
            threads.stop()
            XCTAssertEqual(Array(UnsafeBufferPointer(start: runs, count: count)), Array(repeating: 500, count: count), "\(count) threads")
            XCTAssertEqual(Array(UnsafeBufferPointer(start: wrong, count: count)), Array(repeating: 0, count: count), "\(count) threads")
        }
    }
}
