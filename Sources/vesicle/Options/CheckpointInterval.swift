import ArgumentParser
import Foundation

/// `--checkpoint-every`: how often a run writes a checkpoint (docs/CHECKPOINT.md, When). The unit
/// says which clock: minutes and hours (`10m`, `10min`, `1h`) are wall-clock time, the unit of a
/// job's time limit; seconds and smaller (`100s`, `500ms`) are simulated time, the unit of the
/// network file. `wall:` or `sim:` in front says it outright (`wall:30s`, `sim:2min`).
struct CheckpointInterval: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    enum Clock: String, Sendable { case wall, simulated }

    let clock: Clock
    /// The interval in ms of its clock.
    let milliseconds: Double
    let text: String

    var description: String { text }

    init?(argument: String) {
        guard let parsed = try? Self.parse(argument) else { return nil }
        self = parsed
    }

    init(clock: Clock, milliseconds: Double, text: String) {
        self.clock = clock
        self.milliseconds = milliseconds
        self.text = text
    }

    static func parse(_ text: String) throws -> CheckpointInterval {
        var body = text.trimmingCharacters(in: .whitespaces)
        var clock: Clock?
        for (prefix, c) in [("wall:", Clock.wall), ("sim:", Clock.simulated)] where body.hasPrefix(prefix) {
            clock = c
            body = String(body.dropFirst(prefix.count))
        }
        let time = try TimeOption.parse(body)
        guard !time.bare else {
            throw ValidationError("--checkpoint-every \(text) needs a unit: 10m (wall-clock minutes) or 100s (simulated seconds)")
        }
        guard time.milliseconds.isFinite, time.milliseconds > 0 else {
            throw ValidationError("--checkpoint-every \(text) must be more than 0")
        }
        let unit = body.drop { $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" }
            .trimmingCharacters(in: .whitespaces)
        return CheckpointInterval(clock: clock ?? (["m", "min", "h"].contains(unit) ? .wall : .simulated),
                                  milliseconds: time.milliseconds, text: text)
    }
}

/// When the next checkpoint is due, on the interval's clock.
struct CheckpointSchedule {
    let interval: CheckpointInterval
    private var lastWall: Date
    private var nextSimulated: Double

    init(interval: CheckpointInterval, from time: Double, now: Date = Date()) {
        self.interval = interval
        lastWall = now
        // Simulated checkpoints fall at the first window end at or after each multiple of the interval.
        nextSimulated = ((time / interval.milliseconds).rounded(.down) + 1) * interval.milliseconds
    }

    /// Whether a checkpoint is due at the window end `time`; if so, the next one is scheduled.
    mutating func isDue(at time: Double, now: Date = Date()) -> Bool {
        switch interval.clock {
        case .wall:
            guard now.timeIntervalSince(lastWall) * 1000 >= interval.milliseconds else { return false }
            lastWall = now
            return true
        case .simulated:
            guard time >= nextSimulated else { return false }
            nextSimulated = ((time / interval.milliseconds).rounded(.down) + 1) * interval.milliseconds
            return true
        }
    }

    /// The wall clock restarts after a checkpoint written outside the schedule.
    mutating func wrote(now: Date = Date()) { lastWall = now }
}
