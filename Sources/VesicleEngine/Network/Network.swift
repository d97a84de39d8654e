import VesicleModel
import VesicleSynapses

/// The dynamics behind one population: simulated neurons of some model (`NeuronModelRegistry`), or
/// a source whose spikes do not depend on the network.
enum PopulationDynamics {
    case neurons(any NeuronPopulation)
    case source(SourcePopulation)

    /// The simulated neurons, nil for a source.
    var neurons: (any NeuronPopulation)? {
        if case .neurons(let pop) = self { return pop }
        return nil
    }

    /// Neurons whose spikes are computed by the simulation bound the min-delay window.
    var isDynamic: Bool {
        if case .source = self { return false }
        return true
    }
}

/// One projection as built: its synapses and its two ends.
public struct BuiltProjection {
    public let name: String
    public let sourcePopulation: Int
    public let targetPopulation: Int
    public let synapses: SynapseTable
    /// Posteriors and release streams when the projection's synapse type is Bayesian.
    let bayesian: BayesianProjection?
    /// STDP or short-term plasticity (`SynapticDynamics`), if the synapse type has either.
    var plastic: PlasticSynapses? = nil
    /// Only the synapses onto the built part's targets (`NetworkPart`; docs/DESIGN.md, Ranks).
    public internal(set) var builtInPart = false

    public var isBayesian: Bool { bayesian != nil }

    /// Bytes per synapse of the per-synapse arrays (4 target + weights/delays if not uniform; +8 posterior).
    public var bytesPerSynapse: Int {
        if case .stdp? = plastic { return synapses.bytesPerSynapse + STDPProjection.bytesPerSynapse }
        return isBayesian ? 4 + CompactBayesianSynapseTable.bytesPerSynapse + (synapses.uniformDelay == nil ? 2 : 0)
                   : synapses.bytesPerSynapse
    }

    /// Posterior (mu, sigma2) of synapse k as last brought up to date.
    public func posterior(_ k: Int) -> (mu: Double, sigma2: Double)? { bayesian?.table.posterior(k) }
}

/// All outgoing synapses of a population that share one delay: one queue entry per spike and class.
struct DelayClass {
    struct Member {
        let projection: Int
        /// nil for a projection with a uniform delay; else the delay step of the row's sub-range.
        let steps: UInt16?
    }

    let delay: Double
    var members: [Member]
}

extension SynapseTable {
    /// The synapses of source `row` that `member` delivers: the whole row, or its part with the
    /// member's delay step.
    @inline(__always)
    func synapses(ofRow row: Int, for member: DelayClass.Member) -> Range<Int> {
        if let steps = member.steps { return range(ofRow: row, delaySteps: steps) }
        return rowStart[row]..<rowStart[row + 1]
    }
}

/// A constant-current change at a time (start or stop of a current input).
struct BiasChange {
    let time: Double
    let population: Int
    let range: Range<Int>
    let deltaCurrent: Double
}

/// A built network: structure-of-arrays state ready for the simulator (docs/DESIGN.md data flow).
public final class Network {
    public let spec: NetworkSpec
    /// Names of the populations in order, including hidden ones made for spike-time inputs.
    public let populationNames: [String]
    public let populationSizes: [Int]
    /// Global index of each population's first neuron.
    public let populationOffsets: [Int]
    public let projections: [BuiltProjection]
    /// Populations created for `InputSpec.spikeTimes` inputs; they are never recorded.
    public let hiddenPopulationCount: Int
    var dynamics: [PopulationDynamics]
    var delayClasses: [[DelayClass]]
    var populationOfNeuron: [Int32]
    var biasChanges: [BiasChange]
    /// Gaussian noise currents, drawn during the run (Inputs/NoiseCurrents.swift; nil when there are none).
    var noiseCurrents: NoiseCurrents?
    /// Kernel-driven projections (nil when there are none).
    var kernelCurrents: KernelCurrentSchedule?
    /// Spike-based learners (docs/MODEL.md §5; nil when no synapse learns from spikes).
    var plasticity: SpikeBasedPlasticity?
    /// STDP and short-term plasticity (nil when no projection has either).
    var synapticDynamics: SynapticDynamics?
    let spikes: WindowSpikes
    /// Shortest delay from a neuron whose spikes the simulation computes: the window length.
    public let minimumDelay: Double?
    /// Wall-clock seconds spent building.
    public internal(set) var buildSeconds: Double = 0
    /// The part of the network built (nil: the whole); its partitions are the only ones that may run.
    public internal(set) var part: NetworkPart?

    init(spec: NetworkSpec, populationNames: [String], populationSizes: [Int], populationOffsets: [Int],
         projections: [BuiltProjection], hiddenPopulationCount: Int, dynamics: [PopulationDynamics],
         delayClasses: [[DelayClass]], biasChanges: [BiasChange], spikes: WindowSpikes, minimumDelay: Double?) {
        self.spec = spec
        self.populationNames = populationNames
        self.populationSizes = populationSizes
        self.populationOffsets = populationOffsets
        self.projections = projections
        self.hiddenPopulationCount = hiddenPopulationCount
        self.dynamics = dynamics
        self.delayClasses = delayClasses
        self.biasChanges = biasChanges
        self.spikes = spikes
        self.minimumDelay = minimumDelay
        var owner = [Int32](repeating: 0, count: populationSizes.reduce(0, +))
        for (p, (offset, size)) in zip(populationOffsets, populationSizes).enumerated() {
            for j in offset..<(offset + size) { owner[j] = Int32(p) }
        }
        populationOfNeuron = owner
    }

    public var neuronCount: Int { populationSizes.reduce(0, +) }
    public var synapseCount: Int { projections.reduce(0) { $0 + $1.synapses.synapseCount } }
    /// Bytes of synapse storage, per-source row indices included.
    public var synapseStorageBytes: Int {
        projections.reduce(0) { $0 + $1.synapses.storageBytes + ($1.isBayesian ? 8 * $1.synapses.synapseCount : 0) }
            + plasticSynapseCount * plasticBytesPerSynapse
    }

    public func populationIndex(named name: String) -> Int? { populationNames.firstIndex(of: name) }

    /// Membrane potential of a neuron at time t, bringing it forward (for tests and samplers).
    public func potential(population p: Int, neuron j: Int, at t: Double) -> Double? {
        dynamics[p].neurons?.membranePotential(j, at: t)
    }
}
