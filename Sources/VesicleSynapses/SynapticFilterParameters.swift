// Settings of the Synaptic Filter experiments (docs/MODEL.md §5), in canonical units (ms, Hz).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel

/// An escape-noise neuron `g(u) = g_0 exp(beta u)`, `u = sum_i w_i x_i` over `inputCount` inputs and
/// a bias input fixed at 1, whose weights drift by an OU process (mean 0, variance 1); a learner
/// infers them from the neuron's spikes (docs/MODEL.md §5).
public struct SynapticFilterParameters: Sendable, Equatable {
    /// d, the number of spiking inputs (the bias input is extra).
    public var inputCount: Int
    /// `.synapticFilter` (diagonal Bayesian filter) or `.gradient(eta:)` (its baseline).
    public var rule: LearningRule
    /// Mean input rate, Hz, with a dead time `refractoryPeriod`: inter-spike intervals are
    /// `t_ref + Exp(h)` with hazard `h = rate / (1 - rate t_ref)`, so the mean rate is `rate`.
    public var inputRate: Double = 40
    public var refractoryPeriod: Double = 10
    /// PSP kernel time constant tau_eps, ms: x jumps by 1 per spike and decays as e^(-s/tau_eps).
    public var tauEpsilon: Double = 25
    /// g_0, Hz.
    public var g0: Double = 1
    /// beta = beta_0 ln(50) / (4 sqrt(d)).
    public var beta0: Double = 1
    /// OU prior on the weights themselves (identity link).
    public var prior: OrnsteinUhlenbeckPrior
    /// Time step, ms (0.5-1 ms in the paper).
    public var step: Double = 1
    /// Initial posterior variance; the prior's if nil. Initial means are the prior mean.
    public var initialVariance: Double?
    public var seed: UInt64 = 1
    /// MSE counts from this time on, ms; nil = 2 tau.
    public var burnIn: Double?
    /// Interval at which the MSE is sampled, ms.
    public var metricInterval: Double = 100
    /// The filter's posterior: diagonal (per synapse) or one full covariance (docs/MODEL.md §5).
    public var covariance: FilterCovariance = .diagonal
    /// When set, a particle filter with this many particles (8192 in the issue) runs alongside on the
    /// same inputs and output spikes, as the reference (SynapticParticleFilter).
    public var particleReference: Int?
    /// tau_s, ms: when set, the diagonal filter's Sigma x and x^T Sigma x are estimated from released PSP
    /// samples low-pass filtered over tau_s (the sampling filter, SynapticFilter+Sampling.swift; 100 ms in
    /// the issue). Needs rule synaptic_filter and covariance diagonal.
    public var samplingTimeConstant: Double?

    public init(inputCount: Int, rule: LearningRule, tau: Double = 100_000) throws {
        self.inputCount = inputCount
        self.rule = rule
        prior = try OrnsteinUhlenbeckPrior(mean: 0, variance: 1, tau: tau)
    }

    /// beta = beta_0 ln(50) / (4 sqrt(d)) (docs/MODEL.md §5).
    public var beta: Double { beta0 * log(50) / (4 * Double(inputCount).squareRoot()) }

    public func validate() throws {
        try SynapseError.require(inputCount > 0, "inputs", Double(inputCount), ">= 1")
        try SynapseError.require(inputRate > 0 && inputRate * refractoryPeriod < 1000, "input rate", inputRate,
                                 "> 0 Hz and below 1 / refractory period")
        try SynapseError.require(refractoryPeriod >= 0, "refractory period", refractoryPeriod, ">= 0 ms")
        try SynapseError.require(tauEpsilon > 0, "tau_eps", tauEpsilon, "> 0 ms")
        try SynapseError.require(g0 > 0 && g0.isFinite, "g_0", g0, "> 0 Hz")
        try SynapseError.require(beta0 >= 0 && beta0.isFinite, "beta_0", beta0, ">= 0 (0: the output carries no evidence)")
        try SynapseError.require(step > 0 && step.isFinite, "step", step, "> 0 ms")
        try SynapseError.require(metricInterval > 0, "metric interval", metricInterval, "> 0 ms")
        if let v = initialVariance { try SynapseError.require(v > 0 && v.isFinite, "initial sigma2", v, "> 0") }
        if let count = particleReference {
            try SynapseError.require(count >= 2, "particles", Double(count), ">= 2")
        }
        if let tauS = samplingTimeConstant {
            try SynapseError.require(tauS > 0 && tauS.isFinite, "tau_s", tauS, "> 0 ms")
            guard rule == .synapticFilter && covariance == .diagonal else {
                throw SynapseError.unsupportedNetwork("the sampling filter (tau_s) is a form of the diagonal Synaptic Filter: use rule synaptic_filter, covariance diagonal")
            }
        }
        switch rule {
        case .synapticFilter: break
        case .gradient(let eta): try SynapseError.require(eta > 0 && eta.isFinite, "eta", eta, "> 0")
        default: throw SynapseError.unsupportedNetwork("rule \(rule.name) is not a spike-based rule (MODEL.md §5)")
        }
    }
}
