// Memory a network will need once built, estimated from its spec before anything is allocated
// (docs/DESIGN.md, "Memory"): structure-of-arrays neurons, and per synapse a target index plus whatever is
// not uniform per projection. Recorders stream to files and are not counted.

/// Bytes of neuron state per neuron (potential, last update, refractory end, bias, indices).
public let memoryBytesPerNeuron = 64

/// Estimated bytes for the network's neurons and synapses. Saturates at Int.max.
public func estimatedMemoryBytes(of spec: NetworkSpec) -> Int {
    var bytes = 0.0
    for population in spec.populations {
        bytes += Double(population.size) * Double(memoryBytesPerNeuron)
    }
    for projection in spec.projections {
        bytes += expectedSynapseCount(of: projection, in: spec) * Double(bytesPerSynapse(of: projection, in: spec))
    }
    return bytes >= Double(Int.max) ? Int.max : Int(bytes)
}

/// Bytes one synapse of the projection costs: a 4-byte target index, a 4-byte weight unless the
/// weight is one constant, a 2-byte delay (on the delay grid) unless the delay is one constant, and
/// 8 more bytes for a Bayesian synapse's posterior variance and mean, and for one that learns from
/// spikes (docs/MODEL.md §5) `plasticBytesPerSynapse` more for its learner.
public func bytesPerSynapse(of projection: ProjectionSpec, in spec: NetworkSpec) -> Int {
    var bytes = 4
    if !projection.weight.isConstant { bytes += 4 }
    if !projection.delay.isConstant { bytes += 2 }
    if case .bayesian(let bayesian)? = spec.synapseType(named: projection.synapseType)?.kind {
        bytes += 8
        if bayesian.rule.learnsFromSpikes { bytes += plasticBytesPerSynapse }
    }
    return bytes
}

/// What a synapse that learns from spikes adds: its exact (Double) mean and variance, and its entry
/// in the index by postsynaptic neuron (synapse id, presynaptic neuron, and the inverse map).
public let plasticBytesPerSynapse = 16 + 4 + 4 + 4

/// Expected number of synapses the projection's rule creates.
public func expectedSynapseCount(of projection: ProjectionSpec, in spec: NetworkSpec) -> Double {
    func count(_ slice: PopulationSlice) -> Double {
        if let range = slice.range { return Double(range.count) }
        return Double(spec.population(named: slice.population)?.size ?? 0)
    }
    let sources = count(projection.source)
    let targets = count(projection.target)
    // Without autapses the pairs (i, i) of one population are skipped by all_to_all, one_to_one
    // and pairwise_bernoulli (ConnectivityBuilder): `one_to_one autapses false` within one
    // population builds nothing.
    var autapses = 0.0
    if !projection.allowAutapses, projection.source.population == projection.target.population {
        let size = spec.population(named: projection.source.population)?.size ?? 0
        let s = projection.source.range ?? 0..<size, t = projection.target.range ?? 0..<size
        let overlap = Double(max(0, min(s.upperBound, t.upperBound) - max(s.lowerBound, t.lowerBound)))
        switch projection.rule {
        case .oneToOne:
            // Pair k is (s.lowerBound + k, t.lowerBound + k): an autapse only when the slices start together.
            autapses = s.lowerBound == t.lowerBound ? Double(min(s.count, t.count)) : 0
        default:
            autapses = overlap
        }
    }
    switch projection.rule {
    case .allToAll: return sources * targets - autapses
    case .oneToOne: return min(sources, targets) - autapses
    case .fixedIndegree(let k): return targets * Double(k)
    case .fixedOutdegree(let k): return sources * Double(k)
    case .pairwiseBernoulli(let p): return p * (sources * targets - autapses)
    case .fixedTotalNumber(let n): return Double(n)
    case .fromList(let list): return Double(list.count)
    }
}

/// The memory a run will need at its peak, by part, for planning a job (issue 15 §2) and for
/// `vesicle run`'s refusal before allocating. `estimatedMemoryBytes` above is the network's
/// resident state only; this adds what building and running it hold on top:
/// - build: ConnectivityBuilder keeps a projection's drawn (source, target) pairs (8 bytes a
///   synapse, up to twice that while a Bernoulli draw grows its arrays) and the sorted targets
///   together, and a random weight or delay before the table takes it;
/// - event queue: one delivery (16 bytes) per spike and delay class in flight, at most the
///   neurons' spikes over the longest delay;
/// - kernel rings: targets x (window + delay) / kernel step Doubles per kernel projection;
/// - recorders: each writer's column buffers;
/// - the process itself (Swift runtime, Foundation, FFTW, HDF5 libraries), measured.
public struct MemoryEstimate: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var name: String
        public var bytes: Double
    }

    /// Resident parts, largest first, plus the transient build peak as its own part.
    public private(set) var parts: [Part] = []
    /// Bytes at the run's peak.
    public private(set) var peakBytes: Double = 0

    /// Resident set of an idle `vesicle run` (libraries, runtime), measured with VmHWM: a run of 40
    /// neurons peaks at 35.8 MiB, of which 4 MiB are its recorder's estimate (2026-12-03, with Open
    /// MPI linked in; it was 24 MiB before).
    public static let processBaseline = 32.0 * 1024 * 1024
    /// Column buffers one recorder file holds before a flush.
    public static let recorderBuffer = 1.0 * 1024 * 1024
    /// What Open MPI adds to each rank's resident set (its libraries, shared-memory transport and
    /// buffers), measured: VmHWM of a rank of a two-rank run of a tiny network against the plain
    /// run's, docs/SCALING.md (Memory per rank).
    public static let openMPIPerRank = 6.0 * 1024 * 1024
    /// One Poisson drive: its generator, next arrival and constants, one cache line
    /// (`PoissonDrive`), plus its row start.
    public static let bytesPerDrive = 64.0 + 4

    /// Bytes of one neuron's state as the engine holds it: `memoryBytesPerNeuron` for most models,
    /// and for `lif_exp` its 72-byte state (nine Doubles, `LIFExpState`), asymptote and wake time.
    public static func bytesPerNeuron(of population: PopulationSpec) -> Double {
        if case .lifExp = population.model { return 72 + 8 + 8 }
        return Double(memoryBytesPerNeuron)
    }

    /// Per row (source neuron) of a Bayesian projection, held on every rank whatever its part
    /// (`BayesianProjection`): the spike ordinal of each distinct delay (4 bytes each, docs/DESIGN.md,
    /// Randomness, Bayesian releases), the row's time and shared posterior (8 + 8), and three copies
    /// of its row start (the synapse table's, the posterior table's and the projection's, 8 each);
    /// on a rank's part, its place in the whole rows (`BayesianRowLayout`: 12 bytes per delay and 8),
    /// and `wholeDelayBits` bits (`release = mean` with per-synapse delays: a bit per delay step up
    /// to the largest, whether the whole row has a synapse of it).
    public static func bayesianRowBytes(delays: Double, inPart: Bool, wholeDelayBits: Double = 0) -> Double {
        4 * delays + 16 + 24 + (inPart ? 12 * delays + 8 + wholeDelayBits / 8 : 0)
    }

    /// The delay grid's largest step of `projection` plus 1 (10 ms when unbounded): the bits per row
    /// of a rank's `BayesianRowLayout` that records the whole rows' delays.
    static func delayStepWidth(of projection: ProjectionSpec, in spec: NetworkSpec) -> Double {
        let resolution = spec.simulation.delayResolution
        switch projection.delay {
        case .constant: return 0
        case .uniform(_, let hi): return (hi / resolution).rounded() + 1
        case .boundedNormal(_, _, _, let hi) where hi.isFinite: return (hi / resolution).rounded() + 1
        default: return (10 / resolution).rounded() + 1
        }
    }

    /// The distinct delays a row of `projection` can hold: 1 for a constant delay, else the delay
    /// grid's steps in the distribution's range (10 ms when unbounded), at most the row's expected
    /// synapses and at least 1.
    static func delaySlots(of projection: ProjectionSpec, in spec: NetworkSpec, synapsesPerRow: Double) -> Double {
        let resolution = spec.simulation.delayResolution
        let steps: Double
        switch projection.delay {
        case .constant: return 1
        case .uniform(let lo, let hi): steps = (hi / resolution).rounded() - (lo / resolution).rounded() + 1
        case .boundedNormal(_, _, let lo, let hi) where hi.isFinite: steps = (hi / resolution).rounded() - (max(lo, 0) / resolution).rounded() + 1
        default: steps = (10 / resolution).rounded()
        }
        return max(1, min(steps, synapsesPerRow.rounded(.up)))
    }

    /// - Parameter ranks: the estimate for one of this many MPI ranks (rank 0, which holds the
    ///   recorders): a projection `NetworkSpec.wholeOnEveryRank` allows is built and held in parts,
    ///   1/ranks of its synapses and of their build on each; a `lif_delta` population's neurons and
    ///   their Poisson drives are held in parts, 1/ranks on each (`NetworkSpec.neuronsHeldInParts`);
    ///   everything else is whole on every rank, and Open MPI's own memory is added.
    /// - Complexity: O(populations + projections + recordings).
    public init(spec: NetworkSpec, ranks: Int = 1) {
        var neurons = 0.0
        for population in spec.populations {
            let share = ranks > 1 && spec.neuronsHeldInParts(population) ? 1 / Double(ranks) : 1
            neurons += Double(population.size) * Self.bytesPerNeuron(of: population) * share
            if case .spikeSource(let trains) = population.model {
                neurons += Double(trains.reduce(0) { $0 + $1.count }) * 8
                    * (trains.count == 1 ? Double(population.size) : 1)
            }
        }
        // One Poisson drive per (input, target neuron), held with its neuron; a noise current holds
        // 16 bytes per target neuron on every rank (its level and spare normal, Inputs/NoiseCurrents.swift).
        var drives = 0.0
        for input in spec.inputs {
            if case .noiseCurrent = input.kind {
                for target in input.targets {
                    drives += Double(target.range?.count ?? spec.population(named: target.population)?.size ?? 0) * 16
                }
            }
            guard case .poisson = input.kind else { continue }
            for target in input.targets {
                guard let population = spec.population(named: target.population) else { continue }
                let share = ranks > 1 && spec.neuronsHeldInParts(population) ? 1 / Double(ranks) : 1
                drives += Double(target.range?.count ?? population.size) * Self.bytesPerDrive * share
            }
        }
        // Projections are built in spec order; each one's transient peak sits on top of what the
        // earlier ones left resident.
        var synapses = 0.0
        var buildPeak = 0.0
        var kernelRings = 0.0
        var longestDelay = 0.0
        var bayesianRows = 0.0
        for projection in spec.projections {
            let inPart = ranks > 1 && spec.wholeOnEveryRank(projection) == nil
            let share = inPart ? 1 / Double(ranks) : 1
            let count = expectedSynapseCount(of: projection, in: spec) * share
            var resident = count * Double(bytesPerSynapse(of: projection, in: spec))
            if case .bayesian(let b)? = spec.synapseType(named: projection.synapseType)?.kind {
                // Every rank holds every row's ordinals and row state (a row per source).
                let rows = Double(projection.source.range?.count ?? spec.population(named: projection.source.population)?.size ?? 0)
                let perRow = rows > 0 ? expectedSynapseCount(of: projection, in: spec) / rows : 0
                let bits = b.release != .posterior ? Self.delayStepWidth(of: projection, in: spec) : 0
                let rowBytes = rows * Self.bayesianRowBytes(delays: Self.delaySlots(of: projection, in: spec, synapsesPerRow: perRow),
                                                            inPart: inPart, wholeDelayBits: bits)
                bayesianRows += rowBytes
                resident += rowBytes
            }
            if !projection.delay.isConstant && projection.kernel == nil {
                // The delivery plan's delay runs (DeliveryPlan+DelayRuns.swift): per row, a 2-byte
                // offset per delay step the projection spans, and one more.
                let rows = Double(projection.source.range?.count ?? spec.population(named: projection.source.population)?.size ?? 0)
                resident += rows * 2 * (Self.delaySlots(of: projection, in: spec, synapsesPerRow: .infinity) + 1)
            }
            // ConnectivityBuilder: the pairs (8 bytes, 12 while a Bernoulli draw grows its arrays
            // by doubling) next to the sorted targets (4); a Bayesian table is then made from
            // Double initial means (8) next to its Float posteriors (8).
            var during = count * (projection.rule.isBernoulli ? 16 : 12)
            if case .bayesian? = spec.synapseType(named: projection.synapseType)?.kind { during = max(during, count * 20) }
            if !projection.weight.isConstant { during += count * 4 }
            if !projection.delay.isConstant { during += count * 4 }
            let sources = Double(projection.source.range?.count ?? spec.population(named: projection.source.population)?.size ?? 0)
            during += sources * 16  // the row counts, whole in every part
            buildPeak = max(buildPeak, synapses + max(during, resident))
            synapses += resident
            let delay: Double
            switch projection.delay {
            case .constant(let d): delay = d
            case .uniform(_, let high): delay = high
            default: delay = 10
            }
            longestDelay = max(longestDelay, delay)
            if projection.kernel != nil {
                // The ring of future current (targets x (window + delay) / step Doubles) and the
                // streaming convolver's look-ahead block, transform buffers and spectra, which
                // KernelCurrentProjection caps at 2^24 samples over all targets (a segment of
                // about 4096 steps each). The factor 5.2 is measured (VmHWM of 4000 targets:
                // 690 MiB above the rest of the network); see MemoryEstimateAgainstRSSTests.
                let targets = Double(projection.target.range?.count ?? spec.population(named: projection.target.population)?.size ?? 0)
                kernelRings += targets * ((ParameterBounds.defaultWindow + delay) / spec.simulation.kernelStep + 4) * 8
                kernelRings += 5.2 * 8 * min(Double(1 << 24), targets * 4096)
            }
        }
        let largestBuild = max(buildPeak - synapses, 0)
        // In flight: every neuron spiking at up to 100 Hz over the longest delay, per delay class
        // (bounded above by one entry per synapse).
        let totalNeurons = Double(spec.populations.reduce(0) { $0 + $1.size })
        let queue = totalNeurons * max(longestDelay, ParameterBounds.defaultWindow) / 1000 * 100 * 16 * 4
        let recorders = Double(Set(spec.recordings.map { "\($0.kind)" }).count) * Self.recorderBuffer * 4
        parts = [
            Part(name: "synapses", bytes: synapses - bayesianRows),
            Part(name: "Bayesian rows (ordinals, row state)", bytes: bayesianRows),
            Part(name: "neuron state", bytes: neurons),
            Part(name: "Poisson drives", bytes: drives),
            Part(name: "Open MPI", bytes: ranks > 1 ? Self.openMPIPerRank : 0),
            Part(name: "kernel rings", bytes: kernelRings),
            Part(name: "event queue", bytes: queue),
            Part(name: "recorders", bytes: recorders),
            Part(name: "process", bytes: Self.processBaseline),
        ].filter { $0.bytes > 0 }.sorted { $0.bytes > $1.bytes }
        let resident = parts.reduce(0) { $0 + $1.bytes }
        peakBytes = resident + largestBuild
        if largestBuild > 0 { parts.append(Part(name: "building the projections (transient)", bytes: largestBuild)) }
        parts.sort { $0.bytes > $1.bytes }
    }
}

extension ConnectionRule {
    var isBernoulli: Bool {
        if case .pairwiseBernoulli = self { return true }
        return false
    }
}
