// The STDP pairing protocol of the filter paper's Figure (docs/MODEL.md §5).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The change of one synapse's posterior after a single pre/post pairing.
public struct PairingResult: Sendable, Equatable {
    /// t_post - t_pre, ms.
    public var offset: Double
    public var deltaMu: Double
    public var deltaSigma2: Double
}

/// One presynaptic spike at `t_pre` and one postsynaptic spike at `t_pre + offset` for each offset
/// (docs/MODEL.md §5: offsets in [-50, 50] ms), applied to a single synapse with posterior (mu0, sigma2_0)
/// through the diagonal Synaptic Filter, without the prior drift (the protocol lasts far less than
/// tau). The trace x jumps by 1 at t_pre and decays with tau_eps; the post spike is y = 1 in the step
/// `[t, t + h)` that contains it; x at t includes a pre spike at exactly t. The change is taken
/// after `10 tau_eps` beyond the later spike, when x has decayed to e^-10.
public func synapticFilterPairing(offsets: [Double], mu0: Double, sigma2_0: Double, beta: Double, g0: Double,
                                  tauEpsilon: Double = 25, step h: Double = 0.5) throws -> [PairingResult] {
    try SynapseError.require(sigma2_0 > 0, "sigma2_0", sigma2_0, "> 0")
    try SynapseError.require(h > 0 && tauEpsilon > 0, "step", h, "> 0 ms")
    let g0PerMs = g0 / 1000
    return try offsets.map { offset in
        try SynapseError.require(offset.isFinite && abs(offset) <= 1_000, "offset", offset, "within ±1000 ms")
        let tPre = 60.0 + max(0, -offset)
        let tPost = tPre + offset
        let end = max(tPre, tPost) + 10 * tauEpsilon
        var mu = [mu0], sigma2 = [sigma2_0]
        var n = 0
        while Double(n) * h < end {
            let t = Double(n) * h
            let x = t >= tPre ? exp(-(t - tPre) / tauEpsilon) : 0
            let y: Double = (t <= tPost && tPost < t + h) ? 1 : 0
            synapticFilterUpdate(mu: &mu, sigma2: &sigma2, x: [x], y: y, beta: beta, g0: g0PerMs, h: h)
            n += 1
        }
        return PairingResult(offset: offset, deltaMu: mu[0] - mu0, deltaSigma2: sigma2[0] - sigma2_0)
    }
}
