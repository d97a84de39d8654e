// Synapse types, feedback and teachers (docs/MODEL.md §3-§5), as plain values.

/// A named synapse type that projections refer to.
public struct SynapseTypeSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case `static`
        case bayesian(BayesianSynapseSpec)
        /// Pair-based spike-timing-dependent plasticity, as NEST's `stdp_synapse` (docs/LANGUAGE.md, STDP).
        case stdp(STDPSynapseSpec)
        /// Tsodyks-Markram short-term plasticity, as NEST's `tsodyks2_synapse`.
        case tsodyks(TsodyksSynapseSpec)
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    public static let staticSynapse = SynapseTypeSpec(name: "static", kind: .static)
}

/// Pair-based STDP (Morrison, Diesmann and Gerstner 2008, as NEST's `stdp_synapse`), on the weight
/// w in [0, Wmax] (or [Wmax, 0] for a negative Wmax), in its normalised form v = w / Wmax:
/// a postsynaptic spike facilitates, v <- min(1, v + lambda (1 - v)^mu_plus K+), and a presynaptic spike
/// depresses, v <- max(0, v - alpha lambda v^mu_minus K-), where K+ and K- are the pre- and
/// postsynaptic traces with time constants tau_plus and tau_minus. mu = 0 is additive, mu = 1
/// multiplicative. The whole delay is dendritic, as in NEST: a presynaptic spike emitted at t_pre is
/// at the synapse at t_pre, a postsynaptic spike at t_post is there at t_post + d, so a pair's timing is
/// t_post + d - t_pre. Times are the engine's exact spike times, not grid points.
public struct STDPSynapseSpec: Sendable, Equatable {
    /// Which spike pairs contribute.
    public enum Pairing: String, Sendable, Equatable, CaseIterable {
        /// Every pre-post pair (the traces sum over all earlier spikes), as `stdp_synapse`.
        case allToAll = "all_to_all"
        /// Symmetric nearest-neighbour: each spike pairs with the nearest earlier spike of the other
        /// side only (the traces are reset to 1, not incremented), as `stdp_nn_symm_synapse`.
        case nearest
    }

    /// Presynaptic trace time constant, ms.
    public var tauPlus: Double = 20
    /// Postsynaptic trace time constant, ms (NEST keeps it on the postsynaptic neuron).
    public var tauMinus: Double = 20
    /// Learning rate of facilitation.
    public var lambda: Double = 0.01
    /// Ratio of depression to facilitation.
    public var alpha: Double = 1
    /// Exponents of the weight dependence: 0 additive, 1 multiplicative.
    public var muPlus: Double = 1
    public var muMinus: Double = 1
    /// Weight bound, in the unit of the weight (mV for lif_delta, pA for lif_exp targets); the weight
    /// stays between 0 and it.
    public var wMax: Double = 100
    public var pairing: Pairing = .allToAll

    public init() {}
}

/// Tsodyks-Markram short-term plasticity (Tsodyks and Markram 1997; Fuhrmann et al. 2002; as NEST's
/// `tsodyks2_synapse`): the n-th spike of a presynaptic neuron delivers w u_n x_n, and between spikes
/// n and n + 1, an interval h apart,
///     x_{n+1} = 1 + (x_n - u_n x_n - 1) e^(-h/tau_rec),   u_{n+1} = U + u_n (1 - U) e^(-h/tau_fac),
/// the exact solution of dx/dt = (1 - x)/tau_rec, du/dt = -u/tau_fac with the jumps at the spikes
/// (no facilitation when tau_fac = 0: u_n = U). The first spike uses the initial u and x.
public struct TsodyksSynapseSpec: Sendable, Equatable {
    /// Increment of the release probability per spike, in [0, 1].
    public var U: Double = 0.5
    /// Initial release probability, in [0, 1]; nil means U (NEST's default).
    public var u: Double? = nil
    /// Initial fraction of available resources, in [0, 1].
    public var x: Double = 1
    /// Recovery time constant, ms, > 0.
    public var tauRec: Double = 800
    /// Facilitation time constant, ms, >= 0 (0: no facilitation).
    public var tauFac: Double = 0

    public init() {}

    public var initialU: Double { u ?? U }
}

/// Whether the Gaussian posterior is over the log-weight or the weight itself (docs/MODEL.md §3).
public enum PosteriorLink: String, Sendable, Equatable {
    case log
    case identity
}

/// What amplitude a synapse releases on a presynaptic spike (docs/MODEL.md §3, release table).
public enum ReleaseMode: Sendable, Equatable {
    case mean
    case posterior
    case gaussian
    /// Variance k * m, k in mV (0.0877 mV in the paper).
    case fixedRatio(k: Double)

    public var name: String {
        switch self {
        case .mean: return "mean"
        case .posterior: return "posterior"
        case .gaussian: return "gaussian"
        case .fixedRatio: return "fixed_ratio"
        }
    }
}

/// The learning rule a Bayesian synapse follows (docs/MODEL.md §4-§5).
public enum LearningRule: Sendable, Equatable {
    case none
    case supervised
    case cerebellar
    case reinforcement
    /// Fixed-rate baselines with learning rate eta.
    case classicalSupervised(eta: Double)
    case classicalCerebellar(eta: Double)
    case classicalReinforcement(eta: Double)
    /// Synaptic Filter, diagonal form (docs/MODEL.md §5).
    case synapticFilter
    /// Its gradient baseline.
    case gradient(eta: Double)

    public var name: String {
        switch self {
        case .none: return "none"
        case .supervised: return "supervised"
        case .cerebellar: return "cerebellar"
        case .reinforcement: return "reinforcement"
        case .classicalSupervised: return "classical_supervised"
        case .classicalCerebellar: return "classical_cerebellar"
        case .classicalReinforcement: return "classical_reinforcement"
        case .synapticFilter: return "synaptic_filter"
        case .gradient: return "gradient"
        }
    }

    /// The rule called `name` (the inverse of `name`), with learning rate `eta` for the rules that
    /// take one; nil for an unknown name.
    public init?(name: String, eta: Double) {
        switch name {
        case "none": self = .none
        case "supervised": self = .supervised
        case "cerebellar": self = .cerebellar
        case "reinforcement": self = .reinforcement
        case "classical_supervised": self = .classicalSupervised(eta: eta)
        case "classical_cerebellar": self = .classicalCerebellar(eta: eta)
        case "classical_reinforcement": self = .classicalReinforcement(eta: eta)
        case "synaptic_filter": self = .synapticFilter
        case "gradient": self = .gradient(eta: eta)
        default: return nil
        }
    }

    /// Whether the rule has a fixed learning rate `eta` (the classical baselines and the gradient rule).
    public var takesLearningRate: Bool {
        switch self {
        case .classicalSupervised, .classicalCerebellar, .classicalReinforcement, .gradient: return true
        default: return false
        }
    }

    /// Rules that learn from a teacher's feedback (docs/MODEL.md §4) rather than from spikes.
    public var needsFeedback: Bool {
        switch self {
        case .supervised, .cerebellar, .reinforcement,
             .classicalSupervised, .classicalCerebellar, .classicalReinforcement:
            return true
        default:
            return false
        }
    }

    /// Rules that learn from the postsynaptic neuron's own spikes (docs/MODEL.md §5).
    public var learnsFromSpikes: Bool {
        switch self {
        case .synapticFilter, .gradient: return true
        default: return false
        }
    }
}

/// The Synaptic Filter's posterior (docs/MODEL.md §5): one mean and variance per synapse, or one
/// Gaussian with a full covariance over all of a neuron's plastic synapses and its bias.
public enum FilterCovariance: String, Sendable, Equatable {
    case diagonal
    case full
}

/// How sigma_delta^2 is computed (docs/MODEL.md §4).
public enum SigmaDeltaMode: Sendable, Equatable {
    case exact
    case constant
    /// Exact during the first tau, then the constant stationary average (the published runs).
    case exactThenConstant
}

public struct BayesianSynapseSpec: Sendable, Equatable {
    public var link: PosteriorLink = .log
    /// OU prior: mean, stationary variance, time constant (ms).
    public var priorMean: Double = -0.669
    public var priorVariance: Double = 0.07448
    public var priorTau: Double = 1_000_000
    public var release: ReleaseMode = .mean
    public var rule: LearningRule = .none
    /// Variance the synapse assumes for released PSPs in sigma_delta^2: r2 = k m (mV); nil = from release mode.
    public var assumedReleaseRatio: Double? = nil
    public var sigmaDelta: SigmaDeltaMode = .exactThenConstant
    /// Initial posterior mean and variance; nil = the prior's.
    public var initialMean: Distribution? = nil
    public var initialVariance: Double? = nil
    /// Synaptic Filter settings (docs/MODEL.md §5): PSP kernel time constant (ms), g0 (Hz), beta (1/mV).
    public var filterTauEpsilon: Double = 25
    public var filterG0: Double = 1
    public var filterBeta: Double = 1
    /// `covariance = diagonal | full` (docs/MODEL.md §5).
    public var filterCovariance: FilterCovariance = .diagonal

    public init() {}
}

/// Feedback to a learning population (docs/MODEL.md §4): once per bin, the error against a teacher.
public struct FeedbackSpec: Sendable, Equatable {
    /// The learning (postsynaptic) population.
    public var target: String
    /// Bin length, ms (10 ms in the paper).
    public var bin: Double = 10
    /// Membrane noise s.d. sigma_0, mV.
    public var noiseSD: Double = 2
    /// Cerebellar threshold in units of sigma_0 (theta_f = -2.1 sigma_0).
    public var cerebellarThreshold: Double = -2.1
    public var teacher: TeacherSpec

    public init(target: String, bin: Double = 10, noiseSD: Double = 2, cerebellarThreshold: Double = -2.1,
                teacher: TeacherSpec) {
        self.target = target
        self.bin = bin
        self.noiseSD = noiseSD
        self.cerebellarThreshold = cerebellarThreshold
        self.teacher = teacher
    }
}

/// Target log-weights that drift by an OU process (docs/MODEL.md §4, Teacher).
public struct TeacherSpec: Sendable, Equatable {
    public var priorMean: Double = -0.669
    public var priorVariance: Double = 0.07448
    /// ms
    public var tau: Double = 1_000_000
    /// Initial target log-weights; nil = draw from the stationary prior.
    public var initial: Distribution? = nil

    public init() {}
}

/// What to record and where.
public struct RecordingSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case spikes
        /// Membrane potential sampled every `interval` ms.
        case membrane(interval: Double)
        /// Every release of the projection's synapses (optionally the first `limit` synapses only).
        case releases(projection: String, limit: Int?)
        /// Posterior (mu, sigma2) and teacher of the first `limit` synapses every `interval` ms.
        case posterior(projection: String, interval: Double, limit: Int?)
        /// Weights of the first `limit` synapses of an STDP projection every `interval` ms.
        case weights(projection: String, interval: Double, limit: Int?)
    }

    public var kind: Kind
    /// For spikes and membrane: the neurons; for releases and posterior, unused.
    /// Recordings go into the run directory's standard files (spikes, membrane_<population>, release,
    /// mu and sigma2, in each chosen format).
    public var source: PopulationSlice?

    public init(kind: Kind, source: PopulationSlice? = nil) {
        self.kind = kind
        self.source = source
    }
}
