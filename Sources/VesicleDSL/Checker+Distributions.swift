// Distributions for per-neuron and per-synapse values: uniform, normal (optionally clipped to a
// sign), lognormal. Arguments carry the value's dimension; a plain quantity is a constant.

import Foundation
import VesicleModel

extension Checker {
    /// `expected` nil accepts any dimension (in `let`).
    func distribution(_ expression: Expression, _ expected: Dimension?, _ what: String) throws(Reported) -> DistributionValue {
        if let name = expression.identifier, case .distribution(let value)? = constants[name] {
            if let expected, value.dimension != expected {
                throw fail(.dimensionMismatch, "\(what) must be \(expected.name), '\(name)' is a distribution of \(value.dimension.name)",
                           at: expression.range)
            }
            return value
        }
        guard case .call(let name, let arguments) = expression.kind, Self.distributions.contains(name.text) else {
            let value = try evaluate(expression)
            if let expected { try checkDimension(value, expected: expected, what: what, at: expression.range) }
            return DistributionValue(distribution: .constant(value.value), dimension: value.dimension)
        }
        switch name.text {
        case "uniform":
            let bound = try bind(arguments, to: ["low", "high"], required: ["low", "high"], of: "uniform", at: expression.range)
            let low = try evaluate(bound["low"]!)
            let high = try evaluate(bound["high"]!)
            let dimension = expected ?? low.dimension
            try checkDimension(low, expected: dimension, what: "the low end of \(what)", at: bound["low"]!.range)
            try checkDimension(high, expected: dimension, what: "the high end of \(what)", at: bound["high"]!.range)
            guard low.value < high.value else {
                throw fail(.outOfRange, "uniform(low, high) needs low < high, found \(low.formatted) and \(high.formatted)",
                           at: expression.range)
            }
            return DistributionValue(distribution: .uniform(low: low.value, high: high.value), dimension: dimension)
        case "normal":
            let bound = try bind(arguments, to: ["mean", "sd", "clip", "min", "max"], required: ["mean", "sd"], of: "normal", at: expression.range)
            let mean = try evaluate(bound["mean"]!)
            let sd = try evaluate(bound["sd"]!)
            let dimension = expected ?? mean.dimension
            try checkDimension(mean, expected: dimension, what: "the mean of \(what)", at: bound["mean"]!.range)
            try checkDimension(sd, expected: dimension, what: "the standard deviation of \(what)", at: bound["sd"]!.range)
            guard sd.value >= 0 else {
                throw fail(.outOfRange, "a standard deviation cannot be negative, found \(sd.formatted)", at: bound["sd"]!.range)
            }
            var clip: Sign?
            if let clipExpression = bound["clip"] {
                let word = try choice(clipExpression, "clip sign", among: ["positive", "negative", "sign"])
                if word == "sign" {
                    // The mean's own sign (NEST's microcircuit: w_min = 0 for excitatory, w_max = 0 for
                    // inhibitory weights), so that one table of signed means can be written once.
                    guard mean.value != 0 else {
                        throw fail(.outOfRange, "clip = sign keeps the sign of the mean, but the mean is 0", at: clipExpression.range)
                    }
                    clip = mean.value > 0 ? .positive : .negative
                } else {
                    clip = Sign(rawValue: word)
                }
                if let clip, (clip == .positive && mean.value <= 0) || (clip == .negative && mean.value >= 0) {
                    throw fail(.outOfRange, "normal(\(mean.formatted), ...) clipped to \(clip.rawValue) values would almost never draw a value",
                               at: expression.range)
                }
            }
            if bound["min"] != nil || bound["max"] != nil {
                if let clipExpression = bound["clip"] {
                    throw fail(.invalidValue, "'clip' and 'min'/'max' cannot be combined; write the bounds as min and max",
                               at: clipExpression.range, notes: ["clip = positive is min = 0 (exclusive); clip = negative is max = 0"])
                }
                return try boundedNormal(mean: mean, sd: sd, bound: bound, dimension: dimension, what: what, at: expression.range)
            }
            return DistributionValue(distribution: .normal(mean: mean.value, sd: sd.value, clipToSign: clip), dimension: dimension)
        default:
            let bound = try bind(arguments, to: ["mu", "sigma", "unit", "sign"], required: ["mu", "sigma"], of: "lognormal",
                                 at: expression.range)
            let mu = try quantity(bound["mu"]!, .dimensionless, "mu of lognormal (the mean of the logarithm)")
            let sigma = try quantity(bound["sigma"]!, .dimensionless, "sigma of lognormal (the s.d. of the logarithm)")
            guard sigma >= 0 else {
                throw fail(.outOfRange, "sigma of lognormal cannot be negative", at: bound["sigma"]!.range)
            }
            var unit = Quantity(1)
            if let unitExpression = bound["unit"] {
                unit = try evaluate(unitExpression)
                if let expected { try checkDimension(unit, expected: expected, what: "the unit of \(what)", at: unitExpression.range) }
                guard unit.value > 0 else { throw fail(.outOfRange, "the unit of lognormal must be positive", at: unitExpression.range) }
            } else if let expected, !expected.isDimensionless {
                throw fail(.missingParameter, "lognormal for \(what) needs 'unit', the quantity exp(mu) is measured in",
                           at: expression.range, notes: ["e.g. lognormal(mu = 0, sigma = 1, unit = 1 \(expected.storageUnit))"])
            }
            var sign = Sign.positive
            if let signExpression = bound["sign"] {
                sign = Sign(rawValue: try choice(signExpression, "sign", among: ["positive", "negative"])) ?? .positive
            }
            // exp(N(mu, sigma^2)) * unit = exp(N(mu + log(unit), sigma^2)) in storage units.
            let shifted = unit.value == 1 ? mu : mu + Foundation.log(unit.value)
            return DistributionValue(distribution: .lognormal(mu: shifted, sigma: sigma, sign: sign),
                                     dimension: expected ?? unit.dimension)
        }
    }

    /// `normal(mean, sd, min = a, max = b)`: NEST's redraw (`nest.math.redraw`), the normal truncated
    /// to [a, b]. Named check `out-of-range`: the bounds must accept at least
    /// `Distribution.minimumAcceptance` (1 %) of the normal's draws, i.e. a `min` no more than about
    /// 2.33 sd above the mean (with no `max`); otherwise redrawing would cost over 100 draws per value
    /// and the bound is almost certainly a mistake.
    private func boundedNormal(mean: Quantity, sd: Quantity, bound: BoundArguments, dimension: Dimension,
                               what: String, at range: SourceRange) throws(Reported) -> DistributionValue {
        var lower = -Double.infinity, upper = Double.infinity
        if let e = bound["min"] {
            let q = try evaluate(e)
            try checkDimension(q, expected: dimension, what: "the min of \(what)", at: e.range)
            lower = q.value
        }
        if let e = bound["max"] {
            let q = try evaluate(e)
            try checkDimension(q, expected: dimension, what: "the max of \(what)", at: e.range)
            upper = q.value
        }
        guard lower <= upper else {
            throw fail(.outOfRange, "min (\(Quantity(lower, dimension).formatted)) is above max (\(Quantity(upper, dimension).formatted))",
                       at: bound["max"]!.range)
        }
        let acceptance = Self.normalProbability(mean: mean.value, sd: sd.value, lower: lower, upper: upper)
        if acceptance < Distribution.minimumAcceptance {
            // Point at the bound that cuts away the mass: the one on the far side of the mean.
            let culprit = lower > mean.value ? bound["min"] : (upper < mean.value ? bound["max"] : nil)
            let distance = lower > mean.value ? (lower - mean.value) / sd.value : (mean.value - upper) / sd.value
            let where_ = sd.value > 0 && distance.isFinite ? String(format: "%.2f", distance) + " sd beyond the mean" : "away from the mean"
            throw fail(.outOfRange,
                       "normal(\(mean.formatted), \(sd.formatted)) lies within [\(Quantity(lower, dimension).formatted), \(Quantity(upper, dimension).formatted)] with probability \(String(format: "%.2g", acceptance)); the bound is \(where_)",
                       at: culprit?.range ?? range,
                       notes: ["draws outside min and max are redrawn (NEST's redraw), which needs the bounds to accept at least 1 % of the draws; a min may lie at most about 2.33 sd above the mean"])
        }
        return DistributionValue(distribution: .boundedNormal(mean: mean.value, sd: sd.value, lower: lower, upper: upper),
                                 dimension: dimension)
    }

    /// P(lower <= X <= upper) for X ~ N(mean, sd^2), from erfc (accurate in both tails).
    static func normalProbability(mean: Double, sd: Double, lower: Double, upper: Double) -> Double {
        if sd == 0 { return mean >= lower && mean <= upper ? 1 : 0 }
        func cdf(_ x: Double) -> Double {
            if x == -.infinity { return 0 }
            if x == .infinity { return 1 }
            return 0.5 * Foundation.erfc(-(x - mean) / (sd * 2.0.squareRoot()))
        }
        func survival(_ x: Double) -> Double {
            if x == -.infinity { return 1 }
            if x == .infinity { return 0 }
            return 0.5 * Foundation.erfc((x - mean) / (sd * 2.0.squareRoot()))
        }
        // Use the tail that is small, so that a far bound is not lost to cancellation.
        return lower > mean ? survival(lower) - survival(upper) : cdf(upper) - cdf(lower)
    }
}
