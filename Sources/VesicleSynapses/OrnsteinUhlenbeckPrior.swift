// The drifting world of docs/MODEL.md §3: an Ornstein-Uhlenbeck process on the (log-)weight.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleRandom

/// OU process with mean `mean`, stationary variance `variance` and time constant `tau` (ms).
///
/// Both its uses are closed forms that compose exactly over any interval, which is what lets a
/// synapse be brought up to date lazily (docs/MODEL.md §3): relaxing over `t1` then `t2` equals relaxing
/// over `t1 + t2` up to rounding, and the teacher's transition over `k` bins equals `k` one-bin
/// transitions in distribution.
public struct OrnsteinUhlenbeckPrior: Sendable, Equatable {
    public var mean: Double
    public var variance: Double
    public var tau: Double

    public init(mean: Double, variance: Double, tau: Double) throws {
        try SynapseError.require(mean.isFinite, "prior mean", mean, "a finite number")
        try SynapseError.require(variance > 0 && variance.isFinite, "sigma2_pr", variance, "> 0")
        try SynapseError.require(tau > 0, "tau", tau, "> 0 ms")
        self.mean = mean
        self.variance = variance
        self.tau = tau
    }

    /// e^(-dt/tau): the factor by which a deviation from the mean shrinks over `dt` ms.
    @inlinable @inline(__always)
    public func decay(over dt: Double) -> Double {
        exp(-dt / tau)
    }

    /// Posterior relaxation toward the prior (docs/MODEL.md §3), given `decay = e^(-dt/tau)`:
    /// `mu <- mu_pr + (mu - mu_pr) d`, `sigma2 <- sigma2_pr + (sigma2 - sigma2_pr) d^2`.
    @inlinable @inline(__always)
    public func relax(mu: inout Double, sigma2: inout Double, decay d: Double) {
        mu = mean + (mu - mean) * d
        sigma2 = variance + (sigma2 - variance) * (d * d)
    }

    /// Posterior relaxation over `dt` ms.
    @inlinable
    public func relax(mu: inout Double, sigma2: inout Double, over dt: Double) {
        relax(mu: &mu, sigma2: &sigma2, decay: decay(over: dt))
    }

    /// The exact OU transition of a sample path (docs/MODEL.md §4, Teacher), given `decay = e^(-dt/tau)`:
    /// `lambda <- mu_pr + (lambda - mu_pr) d + sqrt(sigma2_pr (1 - d^2)) xi`.
    @inlinable @inline(__always)
    public func transition(_ lambda: Double, decay d: Double, rng: inout RandomStream) -> Double {
        let sd = (variance * (1 - d * d)).squareRoot()
        return mean + (lambda - mean) * d + sd * rng.normalZiggurat()
    }

    /// A draw from the stationary distribution N(mean, variance).
    @inlinable
    public func stationarySample(rng: inout RandomStream) -> Double {
        mean + variance.squareRoot() * rng.normalZiggurat()
    }
}
