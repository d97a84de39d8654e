import Foundation

/// The projections' synapse tables built on several threads (issue 14: the microcircuit's build).
///
/// Each table depends on its projection's keys alone (docs/DESIGN.md, Random keys), so tables built
/// at the same time on different threads are bit for bit those built one after another: the
/// threads only change which table is drawn when. They take the projections in order from a shared
/// cursor, so a thread that finishes a small table takes the next one. Each table comes back as a
/// result, which the builder reads in projection order, so a failure is reported as the sequential
/// build reports it (the first failing projection, with what came before it done).
/// Two tables being built at once each hold their transient pairs, so the build's peak memory grows
/// by about one projection's pairs per extra thread (the microcircuit: a few hundred MB).
extension NetworkBuilder {
    /// `build(q)` for every q in 0..<count, on up to `threads` threads; the results in order.
    /// - Complexity: the sum of the builds' work, spread over the threads.
    static func synapseTables(count: Int, threads: Int, _ build: (Int) throws -> SynapseTable) -> [Result<SynapseTable, Error>] {
        let workers = max(1, min(threads, count))
        if workers == 1 { return (0..<count).map { q in Result { try build(q) } } }
        return withoutActuallyEscaping(build) { build in buildConcurrently(count: count, workers: workers, build) }
    }

    private static func buildConcurrently(count: Int, workers: Int, _ build: @escaping (Int) throws -> SynapseTable) -> [Result<SynapseTable, Error>] {
        let job = TableJob(count: count, build: build)
        defer { job.results.deinitialize(); job.results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in job.run() }
        return job.results.map { $0! }
    }
}

/// The shared state of one parallel table build: the cursor over the projections and one result
/// slot per projection. Unchecked Sendable: the cursor is read and moved under its lock, and each
/// slot is written by the one thread that took its projection and read after all have finished.
private final class TableJob: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<Result<SynapseTable, Error>?>
    let count: Int
    let build: (Int) throws -> SynapseTable
    private let lock = NSLock()
    private var next = 0

    init(count: Int, build: @escaping (Int) throws -> SynapseTable) {
        self.count = count
        self.build = build
        results = .allocate(capacity: count)
        results.initialize(repeating: nil)
    }

    func run() {
        while true {
            lock.lock()
            let q = next
            next += 1
            lock.unlock()
            guard q < count else { return }
            results[q] = Result { try build(q) }
        }
    }
}
