// NetworkSpec: the checked description of a network, in canonical units.
//
// Canonical units everywhere in the model and engine: time ms, potential mV, current pA,
// capacitance pF, rate Hz, conductance nS. The DSL converts user units to these; the engine
// never converts. Values here are plain data with no behaviour beyond validation.

/// A whole network and how to run it.
public struct NetworkSpec: Sendable, Equatable {
    public var simulation: SimulationSpec
    public var populations: [PopulationSpec]
    public var inputs: [InputSpec]
    public var synapseTypes: [SynapseTypeSpec]
    public var projections: [ProjectionSpec]
    public var feedbacks: [FeedbackSpec]
    public var recordings: [RecordingSpec]
    /// Kernels that kernel-driven projections refer to by name.
    public var kernels: [KernelSpec] = []
    /// The files the network file read (spike times, spike trains, connection lists, kernels), as
    /// the checker opened them: a checkpoint holds their SHA-256s and a resume refuses changed ones.
    public var readFiles = ReadFiles()

    public init(
        simulation: SimulationSpec = SimulationSpec(),
        populations: [PopulationSpec] = [],
        inputs: [InputSpec] = [],
        synapseTypes: [SynapseTypeSpec] = [],
        projections: [ProjectionSpec] = [],
        feedbacks: [FeedbackSpec] = [],
        recordings: [RecordingSpec] = []
    ) {
        self.simulation = simulation
        self.populations = populations
        self.inputs = inputs
        self.synapseTypes = synapseTypes
        self.projections = projections
        self.feedbacks = feedbacks
        self.recordings = recordings
    }

    public func population(named name: String) -> PopulationSpec? {
        populations.first { $0.name == name }
    }

    public func synapseType(named name: String) -> SynapseTypeSpec? {
        synapseTypes.first { $0.name == name }
    }
}

/// Run settings.
public struct SimulationSpec: Sendable, Equatable {
    /// Simulated time after the warm-up, ms.
    public var duration: Double
    /// Simulated time before recording starts, ms (spikes in it are not recorded).
    public var warmup: Double
    /// The one user seed from which every random stream is derived.
    public var seed: UInt64
    /// Grid on which per-synapse random delays are stored, ms (delays uniform per projection are exact).
    public var delayResolution: Double
    /// Directory that recorders write into; nil means the caller decides.
    public var outputDirectory: String?
    /// Grid of kernel-driven input currents, ms: currents are piecewise constant on it.
    public var kernelStep: Double = 0.1

    public init(duration: Double = 1000, warmup: Double = 0, seed: UInt64 = 1,
                delayResolution: Double = 0.1, outputDirectory: String? = nil) {
        self.duration = duration
        self.warmup = warmup
        self.seed = seed
        self.delayResolution = delayResolution
        self.outputDirectory = outputDirectory
    }
}

/// A random or constant scalar, in canonical units of whatever it parameterises.
public enum Distribution: Sendable, Equatable {
    case constant(Double)
    /// Uniform on [low, high).
    case uniform(low: Double, high: Double)
    /// Normal; if `clipToSign` is set, draws of the wrong sign are redrawn (NEST's "normal clipped" semantics
    /// as used for weights: an excitatory weight stays positive).
    case normal(mean: Double, sd: Double, clipToSign: Sign?)
    /// exp(N(mu, sigma^2)) times `sign` (+1 or -1).
    case lognormal(mu: Double, sigma: Double, sign: Sign)
    /// Normal N(mean, sd^2) redrawn until the draw lies in [lower, upper] (NEST's `nest.math.redraw`):
    /// the truncated normal on [lower, upper], not a clipped or rounded one. Either bound may be
    /// infinite. The checker refuses bounds that accept less than `minimumAcceptance` of the draws.
    case boundedNormal(mean: Double, sd: Double, lower: Double, upper: Double)

    /// The smallest probability of a draw landing inside a bounded normal's bounds that is accepted
    /// (docs/LANGUAGE.md, "Distributions"): below it, redrawing costs more than 100 draws per value,
    /// and the bounds are almost certainly a mistake (a `min` far above the mean).
    public static let minimumAcceptance = 0.01

    public var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }
}

public enum Sign: String, Sendable, Equatable {
    case positive
    case negative

    public var value: Double { self == .positive ? 1 : -1 }
}

/// Leaky integrate-and-fire parameters (docs/MODEL.md §2). Defaults follow NEST's iaf_psc_delta/iaf_psc_exp
/// except where the field's literature (Brunel 2000) is the stated reference.
public struct LIFParameters: Sendable, Equatable {
    /// Membrane time constant, ms.
    public var tauM: Double = 10
    /// Membrane capacitance, pF.
    public var capacitance: Double = 250
    /// Resting (leak reversal) potential, mV.
    public var restingPotential: Double = -70
    /// Spike threshold, mV.
    public var threshold: Double = -55
    /// Reset potential, mV.
    public var resetPotential: Double = -70
    /// Absolute refractory period, ms (V is clamped at reset; inputs arriving in it are dropped).
    public var refractoryPeriod: Double = 2
    /// Constant bias current, pA.
    public var biasCurrent: Double = 0
    /// Excitatory synaptic current time constant, ms (lif_exp only).
    public var tauSynExcitatory: Double = 2
    /// Inhibitory synaptic current time constant, ms (lif_exp only).
    public var tauSynInhibitory: Double = 2
    /// Escape noise (docs/MODEL.md §2); nil means a hard threshold.
    public var escapeNoise: EscapeNoise?

    public init() {}

    /// Asymptotic potential under the bias current alone, mV: E_L + tau_m I / C.
    public var asymptoticPotential: Double { restingPotential + tauM * biasCurrent / capacitance }
}

/// Stochastic spike emission with hazard rho(V) = rho0 exp((V - theta)/deltaV).
public struct EscapeNoise: Sendable, Equatable {
    /// Hazard at threshold, Hz.
    public var rateAtThreshold: Double
    /// Softness, mV.
    public var deltaV: Double

    public init(rateAtThreshold: Double, deltaV: Double) {
        self.rateAtThreshold = rateAtThreshold
        self.deltaV = deltaV
    }
}

/// Linear readout (docs/MODEL.md §2): no spikes; V is the summed PSP input plus Gaussian noise, read once
/// per feedback bin.
public struct LinearReadoutParameters: Sendable, Equatable {
    /// Membrane noise s.d., mV (sigma_0).
    public var noiseSD: Double = 2

    public init(noiseSD: Double = 2) { self.noiseSD = noiseSD }
}

/// What a population's neurons are.
public enum NeuronModel: Sendable, Equatable {
    /// PSPs are voltage jumps (mV).
    case lifDelta(LIFParameters)
    /// PSPs are jumps of exponentially decaying currents (pA).
    case lifExp(LIFParameters)
    case linearReadout(LinearReadoutParameters)
    /// A source that emits Poisson spikes; the rate is drawn per neuron (Hz).
    case poissonSource(rate: Distribution, refractoryPeriod: Double)
    /// A source that emits given spike times (ms), one list per neuron, or one list for all.
    case spikeSource(times: [[Double]])

    public var name: String {
        switch self {
        case .lifDelta: return "lif_delta"
        case .lifExp: return "lif_exp"
        case .linearReadout: return "linear_readout"
        case .poissonSource: return "poisson_source"
        case .spikeSource: return "spike_source"
        }
    }

    public var lifParameters: LIFParameters? {
        switch self {
        case .lifDelta(let p), .lifExp(let p): return p
        default: return nil
        }
    }
}

/// A homogeneous group of neurons.
public struct PopulationSpec: Sendable, Equatable {
    public var name: String
    public var size: Int
    public var model: NeuronModel
    /// Initial membrane potential per neuron, mV; nil means the resting potential.
    public var initialPotential: Distribution?

    public init(name: String, size: Int, model: NeuronModel, initialPotential: Distribution? = nil) {
        self.name = name
        self.size = size
        self.model = model
        self.initialPotential = initialPotential
    }
}

/// A contiguous half-open range of a population's neurons, `P[start:end]`.
public struct PopulationSlice: Sendable, Equatable {
    public var population: String
    /// nil means the whole population.
    public var range: Range<Int>?

    public init(population: String, range: Range<Int>? = nil) {
        self.population = population
        self.range = range
    }
}

/// External drive that is not itself a population.
public struct InputSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An independent Poisson train per target neuron (NEST poisson_generator semantics), rate Hz.
        case poisson(rate: Double)
        /// The same spike times (ms) delivered to every target (NEST spike_generator semantics).
        case spikeTimes([Double])
        /// A constant current, pA, added to the bias current of every target over [start, stop).
        case constantCurrent(amplitude: Double, start: Double, stop: Double)
        /// One spike train (ms) per target neuron, in target order (the targets' neurons concatenated).
        case spikeTrains([[Double]])
        /// An independent inhomogeneous Poisson train per target neuron whose rate (Hz) is `rates[k]`
        /// from `times[k]` (ms) to `times[k + 1]` and the last rate after the last time, 0 before the
        /// first (NEST inhomogeneous_poisson_generator); sampled exactly by thinning.
        case inhomogeneousPoisson(times: [Double], rates: [Double])
        /// An independent Poisson train per target neuron with rate
        /// `rate + amplitude sin(2 pi frequency t + phase)` (Hz, Hz, Hz, radians; NEST
        /// sinusoidal_poisson_generator with individual spike trains); amplitude <= rate.
        case sinusoidalPoisson(rate: Double, amplitude: Double, frequency: Double, phase: Double)
        /// Gaussian white-noise current as NEST's noise_generator: every target neuron gets its own
        /// current mean + std xi_k, a fresh independent standard normal xi_k every `dt` ms from `start`,
        /// constant in between (pA, pA, ms).
        case noiseCurrent(mean: Double, std: Double, dt: Double)
        /// A piecewise-constant current (pA) as NEST's step_current_generator: `amplitudes[k]` from
        /// `times[k]` (ms) until the next time, 0 before the first; the same for every target.
        case stepCurrent(times: [Double], amplitudes: [Double])

        /// Whether the input is a current added to the targets' bias (no weight, no delay).
        public var isCurrent: Bool {
            switch self {
            case .constantCurrent, .noiseCurrent, .stepCurrent: return true
            default: return false
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var targets: [PopulationSlice]
    /// PSP amplitude of each input spike (mV for lif_delta, pA for lif_exp); ignored for currents.
    public var weight: Double
    /// Delay from generator to target, ms; must be > 0 for spike inputs.
    public var delay: Double
    /// Active window [start, stop) for spike inputs, ms.
    public var start: Double
    public var stop: Double

    public init(name: String, kind: Kind, targets: [PopulationSlice], weight: Double = 0,
                delay: Double = 0.1, start: Double = 0, stop: Double = .infinity) {
        self.name = name
        self.kind = kind
        self.targets = targets
        self.weight = weight
        self.delay = delay
        self.start = start
        self.stop = stop
    }
}

/// How a projection chooses its synapses.
public enum ConnectionRule: Sendable, Equatable {
    case allToAll
    case oneToOne
    /// Each target draws `k` sources.
    case fixedIndegree(Int)
    /// Each source draws `k` targets.
    case fixedOutdegree(Int)
    /// Each pair independently with probability p.
    case pairwiseBernoulli(Double)
    /// Exactly `n` synapses in all, each between a source and a target drawn uniformly (NEST's
    /// `fixed_total_number`): with multapses the per-target counts are multinomial (n, 1/N_t, ...).
    case fixedTotalNumber(Int)
    /// The listed synapses, in local indices of the source and target slices (a CSV file's rows).
    case fromList(ConnectionList)
}

/// Explicit synapses (`from_file("conns.csv")`): parallel arrays, one entry per synapse, indices
/// local to the projection's source and target slices. Weights (mV or pA by target model) and delays
/// (ms) are per synapse when present and replace the projection's `weight` and `delay`.
public struct ConnectionList: Sendable, Equatable {
    public var sources: [Int]
    public var targets: [Int]
    public var weights: [Double]?
    public var delays: [Double]?
    /// Where the list came from, for messages.
    public var origin: String

    public init(sources: [Int], targets: [Int], weights: [Double]? = nil, delays: [Double]? = nil, origin: String = "") {
        self.sources = sources
        self.targets = targets
        self.weights = weights
        self.delays = delays
        self.origin = origin
    }

    public var count: Int { sources.count }
}

/// A directed set of synapses from one population (slice) to another.
public struct ProjectionSpec: Sendable, Equatable {
    public var name: String
    public var source: PopulationSlice
    public var target: PopulationSlice
    public var rule: ConnectionRule
    public var allowAutapses: Bool
    public var allowMultapses: Bool
    /// Name of a SynapseTypeSpec; "static" is always defined.
    public var synapseType: String
    /// PSP amplitude (mV for lif_delta, pA for lif_exp). For Bayesian synapses the weight comes from
    /// the posterior and only the sign of this is used.
    public var weight: Distribution
    /// Transmission delay, ms, strictly positive.
    public var delay: Distribution
    /// If set, the name of a KernelSpec: each spike then adds weight x kernel(t - t_spike - delay) to the
    /// target's input current (pA), on the grid `simulation.kernelStep`, instead of a PSP jump.
    public var kernel: String? = nil

    public init(name: String, source: PopulationSlice, target: PopulationSlice, rule: ConnectionRule,
                allowAutapses: Bool = true, allowMultapses: Bool = true, synapseType: String = "static",
                weight: Distribution, delay: Distribution) {
        self.name = name
        self.source = source
        self.target = target
        self.rule = rule
        self.allowAutapses = allowAutapses
        self.allowMultapses = allowMultapses
        self.synapseType = synapseType
        self.weight = weight
        self.delay = delay
    }
}

/// The paths of the files a network file read. Not part of a network's identity: two specs are the
/// same network whatever the places their data came from, so every two compare equal.
public struct ReadFiles: Sendable, Equatable {
    public var paths: [String] = []
    public init() {}
    public static func == (_: ReadFiles, _: ReadFiles) -> Bool { true }
}
