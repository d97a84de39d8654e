// Plasticity protocols for the Synaptic Filter (docs/MODEL.md §5): given pre- and postsynaptic spike
// times, the filter's posterior over time; the companion paper's STDP and heterosynaptic figures.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel

/// One weight of a protocol: its OU prior and its input (a spike train through the PSP kernel, or a
/// bias input fixed at 1).
public struct ProtocolWeight: Sendable, Equatable {
    public var prior: OrnsteinUhlenbeckPrior
    /// Presynaptic spike times, ms; nil for a bias input (x = 1).
    public var spikes: [Double]?

    public init(prior: OrnsteinUhlenbeckPrior, spikes: [Double]?) {
        self.prior = prior
        self.spikes = spikes
    }
}

/// A protocol: the weights, the postsynaptic spike times, the filter's neuron (beta, g0 in Hz, tau_eps),
/// the initial posterior, the step.
public struct FilterProtocol: Sendable {
    public var weights: [ProtocolWeight]
    public var postSpikes: [Double]
    public var covariance: FilterCovariance
    public var beta: Double
    public var g0: Double
    public var tauEpsilon: Double
    public var step: Double
    public var initialMean: [Double]
    public var initialVariance: [Double]

    public init(weights: [ProtocolWeight], postSpikes: [Double], covariance: FilterCovariance, beta: Double,
                g0: Double, tauEpsilon: Double, step: Double, initialMean: [Double], initialVariance: [Double]) {
        self.weights = weights
        self.postSpikes = postSpikes
        self.covariance = covariance
        self.beta = beta
        self.g0 = g0
        self.tauEpsilon = tauEpsilon
        self.step = step
        self.initialMean = initialMean
        self.initialVariance = initialVariance
    }

    /// The posterior means (and variances) at each of `times` (ms, ascending). Per step [t, t + h): the
    /// traces at t (x jumps by 1 at a presynaptic spike s <= t, then decays as e^(-(t - s)/tau_eps)), y = 1
    /// if a post spike lies in [t, t + h), the filter's update (diagonal: the Euler step of docs/MODEL.md
    /// §5; full: its Kalman form, FullCovariancePosterior), then the exact OU relaxation of each weight
    /// toward its own prior.
    /// - Complexity: O(times.last / step × n^2).
    public func run(sampledAt times: [Double]) throws -> [(mean: [Double], variance: [Double])] {
        try SynapseError.require(step > 0 && tauEpsilon > 0, "step", step, "> 0 ms")
        let n = weights.count
        try SynapseError.require(n > 0 && initialMean.count == n && initialVariance.count == n, "weights",
                                 Double(n), "one initial mean and variance each")
        let g0PerMs = g0 / 1000
        let means = weights.map(\.prior.mean)
        let variances = weights.map(\.prior.variance)
        let decays = weights.map { $0.prior.decay(over: step) }
        var full: FullCovariancePosterior?
        if covariance == .full { full = try FullCovariancePosterior(mean: initialMean, variances: initialVariance) }
        var mu = initialMean, sigma2 = initialVariance
        var out: [(mean: [Double], variance: [Double])] = []
        var next = 0
        var k = 0
        while next < times.count {
            let t = Double(k) * step
            while next < times.count && times[next] <= t + 1e-12 {
                if let f = full { out.append((mean: f.mean, variance: f.variances)) } else { out.append((mean: mu, variance: sigma2)) }
                next += 1
            }
            if next == times.count { break }
            let x = weights.map { w -> Double in
                guard let spikes = w.spikes else { return 1 }
                return spikes.reduce(0) { $1 <= t + 1e-12 ? $0 + exp(-(t - $1) / tauEpsilon) : $0 }
            }
            let y: Double = postSpikes.contains { $0 >= t - 1e-12 && $0 < t + step - 1e-12 } ? 1 : 0
            if var f = full {
                f.update(x: x, y: y, beta: beta, g0: g0PerMs, h: step)
                f.relax(priorMeans: means, priorVariances: variances, decays: decays)
                full = f
            } else {
                synapticFilterUpdate(mu: &mu, sigma2: &sigma2, x: x, y: y, beta: beta, g0: g0PerMs, h: step)
                for i in 0..<n { weights[i].prior.relax(mu: &mu[i], sigma2: &sigma2[i], decay: decays[i]) }
                for i in 0..<n where !(sigma2[i] > 0 && mu[i].isFinite) {
                    throw SynapseError.posteriorLeftDomain(synapse: i, time: t + step, mu: mu[i], sigma2: sigma2[i])
                }
            }
            k += 1
        }
        return out
    }
}

/// The three conditions of the companion paper's STDP figure.
public enum PairingCondition: String, Sendable, CaseIterable {
    /// d = 1, no bias, diagonal.
    case singleDiagonal = "d=1 no bias, diagonal"
    /// d = 2 (the synapse and a bias weight), diagonal.
    case biasDiagonal = "d=2 with bias, diagonal"
    /// d = 2 (the synapse and a bias weight), full covariance.
    case biasFull = "d=2 with bias, full"
}

/// The STDP pairing protocol of the companion paper (issue settings): one pre spike at t_pre and one
/// post spike at t_pre + offset, beta = 1, g0 = 1 Hz, tau_eps = 25 ms, steps of 0.05 ms, initial
/// mu = 1, Sigma = 1 (each weight starts at its prior); the synapse's OU prior (default) has tau_ou = 100 s, mean 1 and variance 1 (the mean is not
/// published: 1 makes the initial posterior the stationary prior, so that without spikes nothing
/// moves), the bias weight its own OU with tau_b = 25 ms, mu_b = 1, sigma2_b = 1. Returns the change of
/// the synapse's mean and variance from before the first spike to 10 tau_eps after the later one.
/// - Complexity: O(offsets × protocol length / step).
public func synapticFilterPairing(offsets: [Double], condition: PairingCondition, beta: Double = 1, g0: Double = 1,
                                  tauEpsilon: Double = 25, step: Double = 0.05,
                                  synapsePrior: OrnsteinUhlenbeckPrior? = nil,
                                  biasPrior: OrnsteinUhlenbeckPrior? = nil) throws -> [PairingResult] {
    let synapsePrior = try synapsePrior ?? OrnsteinUhlenbeckPrior(mean: 1, variance: 1, tau: 100_000)
    let biasPrior = try biasPrior ?? OrnsteinUhlenbeckPrior(mean: 1, variance: 1, tau: 25)
    return try offsets.map { offset in
        try SynapseError.require(offset.isFinite && abs(offset) <= 1_000, "offset", offset, "within ±1000 ms")
        // The bias posterior starts at its prior and the protocol starts 10 tau_b before the first spike.
        let tPre = 250.0 + max(0, -offset)
        let tPost = tPre + offset
        let start = min(tPre, tPost) - 1
        let end = max(tPre, tPost) + 10 * tauEpsilon
        var weights = [ProtocolWeight(prior: synapsePrior, spikes: [tPre])]
        if condition != .singleDiagonal { weights.append(ProtocolWeight(prior: biasPrior, spikes: nil)) }
        let p = FilterProtocol(weights: weights, postSpikes: [tPost],
                               covariance: condition == .biasFull ? .full : .diagonal, beta: beta, g0: g0,
                               tauEpsilon: tauEpsilon, step: step, initialMean: weights.map(\.prior.mean),
                               initialVariance: weights.map(\.prior.variance))
        let r = try p.run(sampledAt: [start, end])
        return PairingResult(offset: offset, deltaMu: r[1].mean[0] - r[0].mean[0],
                             deltaSigma2: r[1].variance[0] - r[0].variance[0])
    }
}

/// One heterosynaptic pairing: the changes of the paired (homosynaptic) and the unpaired
/// (heterosynaptic) synapse's means.
public struct HeterosynapticResult: Sendable, Equatable {
    public var offset: Double
    public var preconditioningSpikes: Int
    public var homosynapticDeltaMu: Double
    public var heterosynapticDeltaMu: Double
}

/// The companion paper's heterosynaptic protocol: two synapses (d = 2, no bias), both starting at
/// mu = 1, Sigma = I, priors as in the STDP protocol; `preconditioning` (1 or 2) presynaptic spikes on
/// both at once (at 20 ms, and 40 ms) with the neuron silent, which correlates the two weights under
/// the full filter; then, from 300 ms, a pairing on synapse 0 only: a pre spike and a post spike at
/// the offset. The changes are taken from 1 ms before the pairing's first spike to 10 tau_eps after
/// its last (the preconditioning's own changes excluded). Settings as `synapticFilterPairing`.
/// - Complexity: O(offsets × protocol length / step).
public func synapticFilterHeterosynaptic(offsets: [Double], preconditioning: Int, covariance: FilterCovariance,
                                         beta: Double = 1, g0: Double = 1, tauEpsilon: Double = 25,
                                         step: Double = 0.05) throws -> [HeterosynapticResult] {
    try SynapseError.require(preconditioning >= 1 && preconditioning <= 2, "preconditioning spikes",
                             Double(preconditioning), "1 or 2")
    let prior = try OrnsteinUhlenbeckPrior(mean: 1, variance: 1, tau: 100_000)
    let conditioning = preconditioning == 1 ? [20.0] : [20.0, 40.0]
    return try offsets.map { offset in
        let tPre = 300.0 + max(0, -offset)
        let tPost = tPre + offset
        let start = min(tPre, tPost) - 1
        let end = max(tPre, tPost) + 10 * tauEpsilon
        let p = FilterProtocol(
            weights: [ProtocolWeight(prior: prior, spikes: conditioning + [tPre]),
                      ProtocolWeight(prior: prior, spikes: conditioning)],
            postSpikes: [tPost], covariance: covariance, beta: beta, g0: g0, tauEpsilon: tauEpsilon, step: step,
            initialMean: [1, 1], initialVariance: [1, 1])
        let r = try p.run(sampledAt: [start, end])
        return HeterosynapticResult(offset: offset, preconditioningSpikes: preconditioning,
                                    homosynapticDeltaMu: r[1].mean[0] - r[0].mean[0],
                                    heterosynapticDeltaMu: r[1].mean[1] - r[0].mean[1])
    }
}
