// Synaptic sampling (docs/MODEL.md §3, release table): one fresh draw per presynaptic spike.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleRandom

extension ReleaseMode {
    /// Checks the mode's parameter: `k >= 0` (mV) for `fixed_ratio`.
    public func validate() throws {
        if case .fixedRatio(let k) = self {
            try SynapseError.require(k >= 0 && k.isFinite, "fixed_ratio k", k, ">= 0 mV")
        }
    }

    /// Whether the released PSP is random (reinforcement learning needs a noisy release, docs/MODEL.md §4).
    public var isNoisy: Bool {
        switch self {
        case .mean: return false
        case .posterior, .gaussian: return true
        case .fixedRatio(let k): return k > 0
        }
    }
}

/// The magnitude of the PSP released on one presynaptic spike (docs/MODEL.md §3); the caller applies the
/// connection's sign. `mean`: m; `posterior`: a sample of the weight posterior itself
/// (`exp(mu + sqrt(sigma2) xi)` under the log link, `mu + sqrt(sigma2) xi` under the identity link);
/// `gaussian`: `m + sqrt(s2) xi`; `fixed_ratio k`: `m + sqrt(k |m|) xi` (|m| = m under the log link).
/// Draws one standard normal from `rng` (ziggurat, `NormalZiggurat`) unless the mode is `mean`.
@inlinable
public func releaseAmplitude(mu: Double, sigma2: Double, mode: ReleaseMode, link: PosteriorLink,
                             rng: inout RandomStream) -> Double {
    switch mode {
    case .posterior:
        return link.weight(mu + sigma2.squareRoot() * rng.normalZiggurat())
    case .gaussian:
        return releaseAmplitude(link.moments(mu: mu, sigma2: sigma2), mu: mu, sigma2: sigma2, mode: mode,
                                link: link, rng: &rng)
    case .mean, .fixedRatio:
        let m = link.meanWeight(mu: mu, sigma2: sigma2)
        return releaseAmplitude(WeightMoments(mean: m, variance: .nan), mu: mu, sigma2: sigma2, mode: mode,
                                link: link, rng: &rng)
    }
}

/// The same draw when the caller already holds the weight moments `w` of (mu, sigma2); only
/// `gaussian` reads `w.variance`, so callers that release by another mode may leave it unset.
@inlinable
public func releaseAmplitude(_ w: WeightMoments, mu: Double, sigma2: Double, mode: ReleaseMode,
                             link: PosteriorLink, rng: inout RandomStream) -> Double {
    switch mode {
    case .mean:
        return w.mean
    case .posterior:
        return link.weight(mu + sigma2.squareRoot() * rng.normalZiggurat())
    case .gaussian:
        return w.mean + w.variance.squareRoot() * rng.normalZiggurat()
    case .fixedRatio(let k):
        return w.mean + (k * abs(w.mean)).squareRoot() * rng.normalZiggurat()
    }
}

/// The variance r2 of the PSP a mode releases, given the weight moments: 0 for `mean`, s2 for
/// `posterior` and `gaussian`, `k |m|` for `fixed_ratio k`. This is what enters
/// `sigma_delta^2 = sigma_0^2 + sum_j x_j^2 (s2_j + r2_j)` (docs/MODEL.md §4) unless the synapse assumes
/// another ratio (`BayesianSynapseSpec.assumedReleaseRatio`, see `assumedReleaseVariance`).
@inlinable @inline(__always)
public func releaseVariance(_ moments: WeightMoments, mode: ReleaseMode) -> Double {
    switch mode {
    case .mean: return 0
    case .posterior, .gaussian: return moments.variance
    case .fixedRatio(let k): return k * abs(moments.mean)
    }
}

/// r2 as the synapse assumes it in sigma_delta^2: `k m` when a ratio k is given (the paper's
/// supervised and cerebellar runs release the mean yet count `k m`, docs/MODEL.md §4), else the release
/// mode's own variance.
@inlinable @inline(__always)
public func assumedReleaseVariance(_ moments: WeightMoments, mode: ReleaseMode, assumedRatio: Double?) -> Double {
    if let k = assumedRatio { return k * abs(moments.mean) }
    return releaseVariance(moments, mode: mode)
}
