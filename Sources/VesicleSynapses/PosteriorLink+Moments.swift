// Weight-space moments of the Gaussian posterior (docs/MODEL.md §3).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel

/// Mean and variance of the weight magnitude implied by a posterior (mu, sigma2).
public struct WeightMoments: Sendable, Equatable {
    /// Posterior mean weight m.
    public var mean: Double
    /// Posterior weight variance s2.
    public var variance: Double

    @inlinable
    public init(mean: Double, variance: Double) {
        self.mean = mean
        self.variance = variance
    }
}

extension PosteriorLink {
    /// `m` and `s2`: under the log link `m = exp(mu + sigma2/2)`, `s2 = m^2 (exp(sigma2) - 1)`
    /// (log-normal moments; `expm1` keeps s2 accurate for small sigma2); under the identity link
    /// `m = mu`, `s2 = sigma2`.
    @inlinable @inline(__always)
    public func moments(mu: Double, sigma2: Double) -> WeightMoments {
        let m = meanWeight(mu: mu, sigma2: sigma2)
        return WeightMoments(mean: m, variance: weightVariance(mean: m, sigma2: sigma2))
    }

    /// m alone: `exp(mu + sigma2/2)` (log link) or `mu` (identity), without the cost of s2.
    @inlinable @inline(__always)
    public func meanWeight(mu: Double, sigma2: Double) -> Double {
        switch self {
        case .log: return exp(mu + 0.5 * sigma2)
        case .identity: return mu
        }
    }

    /// s2 given m: `m^2 (exp(sigma2) - 1)` (log link) or `sigma2` (identity).
    @inlinable @inline(__always)
    public func weightVariance(mean m: Double, sigma2: Double) -> Double {
        switch self {
        case .log: return m * m * expm1(sigma2)
        case .identity: return sigma2
        }
    }

    /// The weight a posterior variable stands for: `e^lambda` (log link) or `lambda` (identity).
    @inlinable @inline(__always)
    public func weight(_ lambda: Double) -> Double {
        switch self {
        case .log: return fastExponential(lambda)
        case .identity: return lambda
        }
    }

    /// dm/dmu, the factor `m` in the rules' `a = sigma2 m x / sigma_delta^2` (docs/MODEL.md §4):
    /// `m` under the log link, 1 under the identity link.
    @inlinable @inline(__always)
    public func meanSlope(_ moments: WeightMoments) -> Double {
        switch self {
        case .log: return moments.mean
        case .identity: return 1
        }
    }
}
