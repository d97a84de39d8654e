// One parser for every time-valued flag (issue 20 §4): `--duration 1s`, `500ms`, `2.5 min`.
// Policy for a bare number: it is read as milliseconds, the canonical unit (docs/DESIGN.md), and a
// notice on standard error says so, so that `--duration 1` never silently means something the user
// did not see. A negative, zero, non-finite or too large value is a range error naming the flag's
// valid range, never ArgumentParser's "Missing value" (a leading '-' is taken as the value).

import ArgumentParser
import Foundation
import VesicleModel

/// A time given on the command line, in ms.
struct TimeOption: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The value in milliseconds.
    let milliseconds: Double
    /// The text as given.
    let text: String
    /// Whether the text had no unit (read as ms).
    let bare: Bool

    /// Units a time may carry, in ms per unit.
    static let units: [(symbol: String, milliseconds: Double)] = [
        ("ns", 1e-6), ("us", 1e-3), ("µs", 1e-3), ("ms", 1), ("s", 1000), ("min", 60_000), ("m", 60_000), ("h", 3_600_000),
    ]

    init?(argument: String) {
        guard let parsed = try? Self.parse(argument) else { return nil }
        self = parsed
    }

    init(milliseconds: Double, text: String, bare: Bool) {
        self.milliseconds = milliseconds
        self.text = text
        self.bare = bare
    }

    var description: String { text }


    /// `1s`, `1 s`, `500ms`, `0.5`, `-5` (parsed, then refused by `validate`).
    static func parse(_ text: String) throws -> TimeOption {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var numberEnd = trimmed.startIndex
        for index in trimmed.indices {
            let c = trimmed[index]
            if c.isNumber || c == "." || c == "-" || c == "+" || ((c == "e" || c == "E") && index != trimmed.startIndex
                && trimmed.index(after: index) < trimmed.endIndex
                && (trimmed[trimmed.index(after: index)].isNumber || "+-".contains(trimmed[trimmed.index(after: index)]))) {
                numberEnd = trimmed.index(after: index)
            } else {
                break
            }
        }
        guard let number = Double(trimmed[..<numberEnd]) else {
            throw ValidationError("'\(text)' is not a time; write a number and a unit, e.g. 500ms or 1s")
        }
        let unitText = trimmed[numberEnd...].trimmingCharacters(in: .whitespaces)
        if unitText.isEmpty { return TimeOption(milliseconds: number, text: text, bare: true) }
        guard let unit = units.first(where: { $0.symbol == unitText }) else {
            let known = units.map(\.symbol).filter { $0 != "µs" }
            let suggestion = known.first { $0.lowercased() == unitText.lowercased() }
            throw ValidationError("'\(unitText)' is not a unit of time"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "; use one of " + known.joined(separator: ", ")))
        }
        return TimeOption(milliseconds: number * unit.milliseconds, text: text, bare: false)
    }

    /// Refuses a value outside (0, `maximum`] ms (or [0, maximum] when zero is allowed) with the
    /// flag's valid range, and prints the bare-number notice.
    /// - Complexity: O(1).
    func validate(flag: String, allowZero: Bool = false, maximum: Double = ParameterBounds.maximumTime) throws {
        let lowest = allowZero ? "0 ms" : "more than 0 ms"
        guard milliseconds.isFinite, allowZero ? milliseconds >= 0 : milliseconds > 0, milliseconds <= maximum else {
            throw ValidationError("\(flag) \(text) is out of range: give \(lowest) and at most \(Self.format(maximum)), e.g. \(flag) 500ms or \(flag) 2s")
        }
        if bare {
            Notice.write("note: \(flag) \(text) has no unit; read as \(Self.format(milliseconds)) (write \(flag) \(text)ms or \(flag) \(Self.trim(milliseconds / 1000))s)")
        }
    }

    static func format(_ ms: Double) -> String {
        if ms >= 86_400_000 { return "\(trim(ms)) ms (" + String(format: "%.3g", ms / 86_400_000) + " days)" }
        return "\(trim(ms)) ms"
    }

    static func trim(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
