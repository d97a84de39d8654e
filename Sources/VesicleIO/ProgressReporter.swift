import Foundation
import Glibc

/// Reports a run's progress on stderr as one rewritten line: simulated time, percent done,
/// real-time factor (simulated seconds per wall second) and the estimated time left. It is
/// silent when `quiet` or when stderr is not a terminal, so logs and pipes stay clean.
public final class ProgressReporter {
    public let isEnabled: Bool
    private let duration: Double
    private let interval: Double
    private let clock: () -> Double
    private let start: Double
    private var lastReport: Double
    private var wroteLine = false
    private let sink: (String) -> Void

    /// - Parameters:
    ///   - duration: simulated duration of the run (ms).
    ///   - interval: minimum wall seconds between two reports.
    public convenience init(duration: Double, quiet: Bool, interval: Double = 0.5) {
        self.init(
            duration: duration, enabled: !quiet && isatty(STDERR_FILENO) == 1, interval: interval,
            clock: { Date().timeIntervalSince1970 },
            sink: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// Full control, for tests: an explicit enable flag, clock (s) and output sink.
    public init(duration: Double, enabled: Bool, interval: Double, clock: @escaping () -> Double, sink: @escaping (String) -> Void) {
        self.duration = duration
        self.isEnabled = enabled
        self.interval = interval
        self.clock = clock
        self.sink = sink
        start = clock()
        lastReport = start
    }

    /// Call as often as convenient with the simulated time reached (ms); prints at most once per interval.
    public func update(simulatedTime: Double) {
        guard isEnabled else { return }
        let now = clock()
        guard now - lastReport >= interval else { return }
        lastReport = now
        sink("\r" + Self.line(simulatedTime: simulatedTime, duration: duration, elapsed: now - start) + "\u{1B}[K")
        wroteLine = true
    }

    /// Ends the progress line.
    public func finish() {
        guard isEnabled, wroteLine else { return }
        sink("\n")
        wroteLine = false
    }

    /// The text of one report; `elapsed` in wall seconds, times in ms.
    public static func line(simulatedTime: Double, duration: Double, elapsed: Double) -> String {
        let fraction = duration > 0 ? min(1, max(0, simulatedTime / duration)) : 0
        let factor = elapsed > 0 ? simulatedTime / 1000 / elapsed : 0
        var text = String(format: "t = %.1f / %.1f ms  %5.1f%%", simulatedTime, duration, fraction * 100)
        text += String(format: "  %.3g x real time", factor)
        if simulatedTime > 0, fraction < 1 {
            let remaining = elapsed * (duration - simulatedTime) / simulatedTime
            text += "  ETA " + formatDuration(remaining)
        }
        return text
    }

    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60) }
        if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return "\(total)s"
    }
}
