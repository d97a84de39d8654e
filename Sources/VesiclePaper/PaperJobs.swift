#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One independent simulation of the paper run. `fullModeFactor` converts its measured CPU time into the
/// full mode's: the ratio of simulated time, times the configurations of the full grid it stands for.
public struct PaperJob: Sendable {
    public var experiment: String
    public var label: String
    public var fullModeFactor: Double
    /// Relative cost, only to order the jobs (longest first, so the workers finish together).
    public var expectedCost: Double
    public var work: @Sendable () throws -> Void

    public init(experiment: String, label: String, fullModeFactor: Double, expectedCost: Double = 1,
                work: @escaping @Sendable () throws -> Void) {
        self.experiment = experiment
        self.label = label
        self.fullModeFactor = fullModeFactor
        self.expectedCost = expectedCost
        self.work = work
    }
}

/// What one job cost.
public struct PaperJobTiming: Sendable {
    public var experiment: String
    public var label: String
    public var wallSeconds: Double
    public var cpuSeconds: Double
    public var fullModeFactor: Double
}

/// A value written by concurrent jobs.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    public init(_ value: Value) { self.value = value }
    public func update(_ body: (inout Value) -> Void) { lock.lock(); body(&value); lock.unlock() }
    public var current: Value { lock.lock(); defer { lock.unlock() }; return value }
}

/// Runs independent jobs on `workers` threads, each taking the next job until none is left (jobs come
/// first-listed first, so list the longest first). The first error is rethrown after all workers stop.
public enum PaperJobRunner {
    public static func run(_ jobs: [PaperJob], workers: Int, log: @escaping @Sendable (String) -> Void) throws -> [PaperJobTiming] {
        let next = Locked(0)
        let timings = Locked([PaperJobTiming]())
        let failure = Locked<Error?>(nil)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(workers, jobs.count)) {
            group.enter()
            Thread {
                defer { group.leave() }
                while true {
                    var index = 0
                    next.update { index = $0; $0 += 1 }
                    guard index < jobs.count, failure.current == nil else { return }
                    let job = jobs[index]
                    let start = Date()
                    let cpuStart = PaperJobRunner.threadCPUSeconds()
                    do {
                        try job.work()
                    } catch {
                        failure.update { if $0 == nil { $0 = error } }
                        return
                    }
                    let timing = PaperJobTiming(experiment: job.experiment, label: job.label,
                                                wallSeconds: Date().timeIntervalSince(start),
                                                cpuSeconds: PaperJobRunner.threadCPUSeconds() - cpuStart,
                                                fullModeFactor: job.fullModeFactor)
                    timings.update { $0.append(timing) }
                    log(String(format: "  %@ %@: %.2f s wall, %.2f s CPU", job.experiment, job.label,
                               timing.wallSeconds, timing.cpuSeconds))
                }
            }.start()
        }
        group.wait()
        if let error = failure.current { throw error }
        return timings.current
    }

    /// CPU time of the calling thread, s (on a shared machine wall time over-states a job's cost).
    public static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
