#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time consumed by the calling thread (CLOCK_THREAD_CPUTIME_ID), in seconds. Benchmarks on
/// a shared machine time with it so that the time the thread spends descheduled while other
/// processes run is not counted; memory stalls and cache misses still are.
public enum ThreadCPUClock {
    public static func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// The thread CPU time `body` takes.
    public static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = seconds()
        try body()
        return seconds() - start
    }
}
