// Settings of the single-neuron feedback experiments (docs/MODEL.md §4, §6), in canonical units.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel

/// One linear-readout neuron, N Poisson inputs, a teacher and a learning rule (docs/MODEL.md §6, tracking).
public struct FeedbackExperimentParameters: Sendable, Equatable {
    /// Number of Poisson inputs, one synapse each.
    public var inputCount: Int
    /// Rate of each input, Hz; drawn per input (stream `.rates`). Paper: log10(nu/Hz) ~ N(0, 0.5^2).
    public var rate: Distribution
    /// Explicit rate per input, Hz (count = inputCount); overrides `rate` when set.
    public var explicitRates: [Double]?
    /// Feedback bin, ms.
    public var bin: Double = 10
    /// Membrane noise s.d. sigma_0, mV.
    public var noiseSD: Double = 2
    /// The sigma_0 the synapses assume in sigma_delta^2 when it differs from the world's `noiseSD`
    /// (robustness to a wrong model); nil = the world's.
    public var assumedNoiseSD: Double?
    /// A jump teacher instead of OU (robustness): piecewise-constant targets with exponential waiting
    /// times of mean tau, each a fresh draw from the teacher's stationary distribution.
    public var teacherJumps = false
    /// theta_f in units of sigma_0 (docs/MODEL.md §4: -2.1).
    public var cerebellarThreshold: Double = -2.1
    public var link: PosteriorLink = .log
    /// The prior each synapse assumes (its OU relaxation, docs/MODEL.md §3).
    public var prior: OrnsteinUhlenbeckPrior
    /// The drift of the target log-weights (docs/MODEL.md §4, Teacher).
    public var teacher: OrnsteinUhlenbeckPrior
    public var rule: LearningRule
    public var release: ReleaseMode
    /// r2 = k m assumed in sigma_delta^2; nil = the release mode's own variance.
    public var assumedReleaseRatio: Double?
    public var sigmaDelta: SigmaDeltaMode = .exactThenConstant
    /// Initial posterior means; nil = the paper's `mu_pr (1 + xi)`.
    public var initialMean: Distribution?
    /// Initial posterior variance; nil = sigma2_pr.
    public var initialVariance: Double?
    /// Initial target log-weights; nil = the teacher's stationary distribution.
    public var teacherInitial: Distribution?
    public var seed: UInt64 = 1
    /// Metrics count from this time on, ms; nil = 2 tau of the teacher (docs/MODEL.md §4).
    public var burnIn: Double?
    /// Interval at which MSE, calibration and normalized variability are sampled over all synapses, ms
    /// (a multiple of the bin; sampling touches every synapse, so it is kept sparse relative to the bin).
    public var metricInterval: Double = 10_000
    /// Synapses whose posterior and teacher are traced, and the tracing interval (ms).
    public var tracedSynapses: [Int] = []
    public var traceInterval: Double = 1_000
    /// Accumulate per-synapse normalized variability and per-spike relative change of m (docs/MODEL.md §6).
    public var measuresVariability: Bool = false

    public init(inputCount: Int, rate: Distribution, prior: OrnsteinUhlenbeckPrior,
                teacher: OrnsteinUhlenbeckPrior, rule: LearningRule, release: ReleaseMode) {
        self.inputCount = inputCount
        self.rate = rate
        self.prior = prior
        self.teacher = teacher
        self.rule = rule
        self.release = release
    }

    /// k = 0.0877 mV: slope of PSP variance against PSP mean in Song et al. 2005 (docs/MODEL.md §3).
    public static let songReleaseRatio = 0.0877

    /// The tracking experiment of docs/MODEL.md §6 for a feedback rule (Bayesian or classical):
    /// 1000 inputs and tau = 1000 s (100 inputs and 5000 s for reinforcement), 10-ms bins, sigma_0 = 2 mV,
    /// `mu_pr = -0.669`, `sigma2_pr = 0.07448`, log-normal rates; mean release with r2 = k m assumed
    /// for supervised and cerebellar, fixed_ratio k release for reinforcement.
    public static func tracking(rule: LearningRule, inputCount: Int? = nil, tau: Double? = nil,
                                seed: UInt64 = 1) throws -> FeedbackExperimentParameters {
        let reinforcement: Bool
        switch rule {
        case .reinforcement, .classicalReinforcement: reinforcement = true
        case .supervised, .cerebellar, .classicalSupervised, .classicalCerebellar: reinforcement = false
        default:
            throw SynapseError.unsupportedNetwork("rule \(rule.name) does not learn from feedback")
        }
        let tauMs = tau ?? (reinforcement ? 5_000_000 : 1_000_000)
        let ou = try OrnsteinUhlenbeckPrior(mean: -0.669, variance: 0.07448, tau: tauMs)
        let k = songReleaseRatio
        var p = FeedbackExperimentParameters(
            inputCount: inputCount ?? (reinforcement ? 100 : 1000),
            rate: .lognormal(mu: 0, sigma: 0.5 * M_LN10, sign: .positive),
            prior: ou, teacher: ou, rule: rule,
            release: reinforcement ? .fixedRatio(k: k) : .mean)
        p.assumedReleaseRatio = reinforcement ? nil : k
        p.seed = seed
        return p
    }

    /// The last bin of the burn-in: metrics count from bin `burnInBins + 1` on (2 tau by default, docs/MODEL.md §4).
    var burnInBins: Int { Int(((burnIn ?? 2 * teacher.tau) / bin).rounded(.up)) }
    /// Metrics are sampled at bins that are multiples of this.
    var metricIntervalBins: Int { max(1, Int((metricInterval / bin).rounded())) }

    /// Checks every parameter's domain (docs/MODEL.md §3-§4).
    public func validate() throws {
        try SynapseError.require(inputCount > 0 && inputCount <= Int(Int32.max), "inputs", Double(inputCount),
                                 "between 1 and 2^31 - 1")
        try SynapseError.require(bin > 0 && bin.isFinite, "bin", bin, "> 0 ms")
        try SynapseError.require(noiseSD > 0 && noiseSD.isFinite, "sigma_0", noiseSD, "> 0 mV")
        try SynapseError.require(cerebellarThreshold.isFinite, "cerebellar threshold", cerebellarThreshold,
                                 "a finite multiple of sigma_0")
        try release.validate()
        if let k = assumedReleaseRatio {
            try SynapseError.require(k >= 0 && k.isFinite, "assumed release ratio k", k, ">= 0 mV")
        }
        if let v = initialVariance {
            try SynapseError.require(v > 0 && v.isFinite, "initial sigma2", v, "> 0")
        }
        try SynapseError.require(metricInterval > 0, "metric interval", metricInterval, "> 0 ms")
        try SynapseError.require(traceInterval > 0, "trace interval", traceInterval, "> 0 ms")
        if let r = explicitRates, r.count != inputCount {
            throw SynapseError.invalidParameter(name: "explicit rates", value: Double(r.count),
                                                expected: "one rate per input (\(inputCount))")
        }
        for i in tracedSynapses {
            try SynapseError.require(i >= 0 && i < inputCount, "traced synapse", Double(i),
                                     "an index in 0..<\(inputCount)")
        }
        switch rule {
        case .supervised, .cerebellar:
            break
        case .reinforcement:
            if !release.isNoisy {
                throw SynapseError.unsupportedNetwork(
                    "the reinforcement rule needs a noisy release, not \(release.name) (MODEL.md §4)")
            }
        case .classicalSupervised(let eta), .classicalCerebellar(let eta), .classicalReinforcement(let eta):
            try SynapseError.require(eta > 0 && eta.isFinite, "eta", eta, "> 0")
            if case .classicalReinforcement = rule, !release.isNoisy {
                throw SynapseError.unsupportedNetwork(
                    "the classical reinforcement rule needs a noisy release, not \(release.name)")
            }
            if link != .log {
                throw SynapseError.unsupportedNetwork("classical rules act on the log-weight (link = log)")
            }
        default:
            throw SynapseError.unsupportedNetwork("rule \(rule.name) does not learn from feedback")
        }
    }
}

extension SigmaDeltaMode {
    public var name: String {
        switch self {
        case .exact: return "exact"
        case .constant: return "constant"
        case .exactThenConstant: return "exact_then_constant"
        }
    }
}
