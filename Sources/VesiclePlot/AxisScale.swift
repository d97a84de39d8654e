import Foundation

/// Maps data values on one axis to the unit interval, linearly or logarithmically, and chooses
/// readable tick positions.
public struct AxisScale: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case linear
        case log10
    }

    public var kind: Kind
    public var lower: Double
    public var upper: Double

    /// A scale over `[lower, upper]`; a degenerate or non-finite range is widened so the
    /// mapping is always defined, and a log scale clamps to positive values.
    public init(kind: Kind = .linear, lower: Double, upper: Double) {
        self.kind = kind
        var lo = lower.isFinite ? lower : 0
        var hi = upper.isFinite ? upper : 1
        if kind == .log10 {
            lo = lo > 0 ? lo : 1e-3
            hi = hi > lo ? hi : lo * 10
        } else if hi <= lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        self.lower = lo
        self.upper = hi
    }

    /// A scale covering `values` (non-finite ones, and non-positive ones on a log scale, ignored),
    /// padded by `padding` of the range on each side (a factor in log space).
    public static func fitting(_ values: [Double], kind: Kind = .linear, padding: Double = 0.05, includeZero: Bool = false) -> AxisScale {
        let usable = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        guard var lo = usable.min(), var hi = usable.max() else { return AxisScale(kind: kind, lower: kind == .log10 ? 1 : 0, upper: 10) }
        if includeZero, kind == .linear { lo = min(lo, 0); hi = max(hi, 0) }
        switch kind {
        case .linear:
            let span = hi - lo
            return AxisScale(kind: kind, lower: lo - (includeZero && lo == 0 ? 0 : span * padding), upper: hi + span * padding)
        case .log10:
            let factor = pow(10, max(padding, 0.01) * max(log10(hi / lo), 1))
            return AxisScale(kind: kind, lower: lo / factor, upper: hi * factor)
        }
    }

    /// Position of `value` in [0, 1] (outside for values outside the range).
    public func fraction(_ value: Double) -> Double {
        switch kind {
        case .linear: return (value - lower) / (upper - lower)
        case .log10:
            guard value > 0 else { return -.infinity }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// Tick values and labels: steps of 1, 2 or 5 times a power of ten aiming at about `target`
    /// ticks on a linear scale; decades on a log scale (with 2 and 5 when it spans < 2 decades).
    public func ticks(target: Int = 5) -> [(value: Double, label: String)] {
        switch kind {
        case .linear:
            let raw = (upper - lower) / Double(max(1, target))
            let magnitude = pow(10, floor(log10(raw)))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
            var values: [Double] = []
            var v = ceil(lower / step) * step
            while v <= upper + step * 1e-9 {
                values.append(abs(v) < step * 1e-9 ? 0 : v)
                v += step
            }
            return values.map { ($0, Self.label($0, step: step)) }
        case .log10:
            let first = Int(floor(log10(lower))), last = Int(ceil(log10(upper)))
            let multipliers: [Double] = last - first <= 2 ? [1, 2, 5] : [1]
            var ticks: [(Double, String)] = []
            for exponent in first...last {
                for m in multipliers {
                    let v = m * pow(10, Double(exponent))
                    if v >= lower * (1 - 1e-9), v <= upper * (1 + 1e-9) { ticks.append((v, Self.label(v, step: v))) }
                }
            }
            return ticks
        }
    }

    static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e7 || magnitude < 1e-3 { return String(format: "%.0e", value) }
        let decimals = max(0, Int(ceil(-log10(step) - 1e-9)))
        return String(format: "%.\(decimals)f", value)
    }
}
