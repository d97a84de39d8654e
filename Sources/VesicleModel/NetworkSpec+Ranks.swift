// Which projections an MPI rank builds in part (docs/DESIGN.md, Ranks): shared by the builder
// (`NetworkBuilder.build(_:part:)`) and the memory estimate per rank (`MemoryEstimate(spec:ranks:)`).

extension NetworkSpec {
    /// Why every rank builds `projection` whole (nil: each rank builds only the synapses onto the
    /// targets its partitions own). A part is exact only where every target's synapses are used by
    /// that target's partition alone, or, for Bayesian rows, where a rank can draw its own synapses'
    /// releases without the others' state (docs/DESIGN.md, Ranks, Bayesian rows):
    /// - Bayesian synapses that do not learn, with `release = mean` (no draws) or `release =
    ///   posterior` and one initial mean per projection, are built in part: a rank generates a part's
    ///   normals from its start and keeps its own synapses', computing each block of four from the
    ///   row's one posterior. Built whole: learning synapses (`synaptic_filter`, `gradient`), whose
    ///   learner steps the whole table; `gaussian` and `fixed_ratio` releases, drawn one synapse after
    ///   another from one scalar stream whose use depends on each earlier synapse's posterior; and
    ///   per-synapse initial means, where the exponential's lane-wise fallback ties a block of four
    ///   synapses' bits to the neighbours' posteriors;
    /// - a kernel projection's convolver (`KernelCurrentProjection`) is made from its whole table and
    ///   is not split by target yet;
    /// - STDP and short-term plastic synapses keep the whole table so that synapse indices (weight
    ///   samples) are the whole build's; each rank's partitions update only their own targets'
    ///   synapses and their own copies of the rows' presynaptic state.
    /// - Complexity: O(synapse types).
    public func wholeOnEveryRank(_ projection: ProjectionSpec) -> String? {
        switch synapseType(named: projection.synapseType)?.kind {
        case .bayesian(let b)?:
            if projection.kernel != nil { return "kernel projections' convolvers are made from the whole table" }
            if b.rule != .none { return "learning Bayesian synapses are stepped by a learner over the whole table" }
            switch b.release {
            case .mean:
                break
            case .posterior:
                if let m = b.initialMean, !m.isConstant {
                    return "Bayesian synapses with per-synapse initial means release in blocks tied to their neighbours' posteriors"
                }
            case .gaussian, .fixedRatio:
                return "Bayesian synapses with release = \(b.release.name) draw a part's releases from one scalar stream"
            }
        case .stdp?, .tsodyks?:
            return "STDP and short-term plastic synapses keep the whole table's synapse indices"
        case .static?, nil:
            break
        }
        if projection.kernel != nil { return "kernel projections' convolvers are made from the whole table" }
        return nil
    }
}

extension NetworkSpec {
    /// Whether each MPI rank holds and advances only its own neurons of `population`, and their
    /// Poisson drives (`lif_delta` and `lif_exp`: Neurons/OwnedNeuronMemory.swift); sources are
    /// held whole on every rank.
    /// - Complexity: O(1).
    public func neuronsHeldInParts(_ population: PopulationSpec) -> Bool {
        switch population.model {
        case .lifDelta, .lifExp: return true
        default: return false
        }
    }
}
