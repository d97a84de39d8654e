// Which projections an MPI rank builds in part (docs/DESIGN.md, Ranks): shared by the builder
// (`NetworkBuilder.build(_:part:)`) and the memory estimate per rank (`MemoryEstimate(spec:ranks:)`).

extension NetworkSpec {
    /// Why every rank builds `projection` whole (nil: each rank builds only the synapses onto the
    /// targets its partitions own). A part is exact only where every target's synapses are used by
    /// that target's partition alone; these classes use a row as a whole on every rank:
    /// - Bayesian synapses release from per-row, history-based streams that every rank draws in full
    ///   (docs/MODEL.md §3; docs/DESIGN.md, Random keys), so a row holding only some targets would
    ///   draw different releases;
    /// - a kernel projection's convolver (`KernelCurrentProjection`) is made from its whole table and
    ///   is not split by target yet;
    /// - STDP and short-term plastic synapses keep the whole table so that synapse indices (weight
    ///   samples) are the whole build's; each rank's partitions update only their own targets'
    ///   synapses and their own copies of the rows' presynaptic state.
    /// - Complexity: O(synapse types).
    public func wholeOnEveryRank(_ projection: ProjectionSpec) -> String? {
        switch synapseType(named: projection.synapseType)?.kind {
        case .bayesian?:
            return "Bayesian synapses release from per-row streams every rank draws in full"
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
    /// Poisson drives (`lif_delta`: Neurons/OwnedNeuronMemory.swift); every other model is held
    /// whole on every rank.
    /// - Complexity: O(1).
    public func neuronsHeldInParts(_ population: PopulationSpec) -> Bool {
        if case .lifDelta = population.model { return true }
        return false
    }
}
