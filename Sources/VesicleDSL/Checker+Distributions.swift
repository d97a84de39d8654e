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
            let bound = try bind(arguments, to: ["mean", "sd", "clip"], required: ["mean", "sd"], of: "normal", at: expression.range)
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
                clip = Sign(rawValue: try choice(clipExpression, "clip sign", among: ["positive", "negative"]))
                if let clip, (clip == .positive && mean.value <= 0) || (clip == .negative && mean.value >= 0) {
                    throw fail(.outOfRange, "normal(\(mean.formatted), ...) clipped to \(clip.rawValue) values would almost never draw a value",
                               at: expression.range)
                }
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
}
