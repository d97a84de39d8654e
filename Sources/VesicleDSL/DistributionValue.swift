// A random or constant value with its dimension, before it becomes a VesicleModel.Distribution.

import VesicleModel

extension Distribution {
    var constantValue: Double? {
        if case .constant(let value) = self { return value }
        return nil
    }
}

struct DistributionValue: Sendable, Equatable {
    var distribution: Distribution
    var dimension: Dimension

    /// Whether a draw can be zero or negative (a clipped normal redraws values of the wrong sign).
    var canBeNonPositive: Bool {
        switch distribution {
        case .constant(let value): return value <= 0
        case .uniform(let low, _): return low <= 0
        case .normal(_, _, let clip): return clip != .positive
        case .lognormal(_, _, let sign): return sign == .negative
        case .boundedNormal(_, _, let lower, _): return lower <= 0
        }
    }

    /// The lowest and highest values a draw can take (infinite for unbounded distributions).
    var bounds: ClosedRange<Double> {
        switch distribution {
        case .constant(let value): return value...value
        case .uniform(let low, let high): return low...high
        case .normal(_, _, let clip):
            switch clip {
            case .positive?: return 0...Double.infinity
            case .negative?: return -Double.infinity...0
            case nil: return -Double.infinity...Double.infinity
            }
        case .lognormal(_, _, let sign):
            return sign == .positive ? 0...Double.infinity : -Double.infinity...0
        case .boundedNormal(_, _, let lower, let upper):
            return lower...upper
        }
    }
}
