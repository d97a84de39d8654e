import VesicleModel

// The whole state of a run at a window boundary (docs/CHECKPOINT.md): the run loop's invariant
// (`Simulator.run`) says that there every neuron is at `time`, every earlier spike is queued, and
// the posteriors, generators and learners are those of `time`, so nothing of a window in progress
// needs to be held. Partitions hold nothing across windows (their outputs are drained at every
// window end), so the state, and the checkpoint, do not depend on the thread count.
extension Simulator {
    /// Why this run's state cannot be checkpointed yet (nil: it can). Asked before a run starts, so
    /// that `--checkpoint-every` is refused up front rather than a class of state silently dropped.
    public var checkpointRefusal: String? {
        if !(queue is BinaryHeapQueue) { return "the \(type(of: queue)) event queue (only the default binary heap is checkpointed)" }
        for (p, dynamics) in network.dynamics.enumerated() {
            if case .neurons(let pop) = dynamics, !(pop is CheckpointableNeurons) {
                return "population '\(network.populationNames[p])': its neuron model is not checkpointed yet"
            }
        }
        if exchange != nil, let held = network.projections.first(where: {
            guard let b = $0.bayesian, b.layout != nil, let mean = b.spec.initialMean else { return false }
            return !mean.isConstant
        }) {
            // Whether every row's synapses share one posterior (a table's fast path, in the
            // checkpoint) is then a property of the whole build's initial means, which no rank holds.
            return "Bayesian synapses held per rank with per-synapse initial means on MPI ranks (projection '\(held.name)': whether each row's synapses share one posterior depends on every rank's initial means): run it on one process with --threads"
        }
        return nil
    }

    /// The neurons of population p whose state this process writes: all of them on one process; on
    /// an MPI rank the consecutive block its partitions own (docs/CHECKPOINT.md, On ranks).
    /// - Complexity: O(1).
    func checkpointHeld(population p: Int) -> Range<Int> {
        let n = network.populationSizes[p]
        guard exchange != nil else { return 0..<n }
        let plan = partitions.plan, local = partitions.local
        return plan.partition(local.lowerBound, of: p).lowerBound..<plan.partition(local.upperBound - 1, of: p).upperBound
    }

    /// The whole build's delay steps of projection q, ascending (empty with a uniform delay): on a
    /// rank the steps united over the ranks, which the delay classes hold.
    /// - Complexity: O(delay classes of its source).
    func wholeDelaySteps(of q: Int) -> [UInt16] {
        let classes = network.delayClasses[network.projections[q].sourcePopulation]
        return Array(Set(classes.flatMap { $0.members.filter { $0.projection == q }.compactMap(\.steps) })).sorted()
    }

    /// Writes the state. Call only at a window boundary (between `run` calls, or from `run`'s
    /// `progress`), with no failure.
    /// - Complexity: O(neurons + drives + Bayesian, STDP and plastic synapses + queued spikes).
    public func encodeCheckpoint(into encoder: inout CheckpointEncoder) throws {
        if let refusal = checkpointRefusal { throw CheckpointError("this run cannot be checkpointed: \(refusal)") }
        if let failure { throw CheckpointError("a failed run is not checkpointed: \(failure)") }
        encoder.section("simulator")
        encoder.double(time)
        encoder.int(counters.windows)
        // On ranks each rank counted its own neurons' events since `run` started (rank 0 adds the
        // counts from before): the checkpoint holds their sum, the one-process count.
        let root = (exchange?.rank ?? 0) == 0
        encoder.rankSum(counters.recurrentEvents - (root ? 0 : runStartCounts.recurrent))
        encoder.rankSum(counters.externalEvents - (root ? 0 : runStartCounts.external)
                        + (exchange == nil ? 0 : ownArrivalsBeforePartitions))
        encoder.int(counters.kernelEvents)
        encoder.int(counters.spikes)
        encoder.double(counters.simulatedTime)
        encoder.int(nextBiasChange)
        encoder.int(network.dynamics.count)
        for (p, dynamics) in network.dynamics.enumerated() {
            switch dynamics {
            case .neurons(let pop): (pop as! CheckpointableNeurons).encodeCheckpoint(into: &encoder, held: checkpointHeld(population: p))
            case .source(let source): source.encodeCheckpoint(into: &encoder)
            }
        }
        encoder.int(network.projections.count)
        for (q, projection) in network.projections.enumerated() {
            encoder.bool(projection.bayesian != nil)
            guard let bayesian = projection.bayesian else { continue }
            if bayesian.layout != nil {
                // A rank's part: merged per synapse on rank 0 (BayesianProjection+Checkpoint.swift).
                bayesian.encodePartCheckpoint(into: &encoder, synapses: projection.synapses, wholeSteps: wholeDelaySteps(of: q),
                                              isRoot: root)
            } else {
                bayesian.encodeCheckpoint(into: &encoder)
            }
        }
        encoder.bool(network.synapticDynamics != nil)
        // On ranks each rank writes its own targets' synapses and post state (SynapticDynamics+Checkpoint.swift).
        network.synapticDynamics?.encodeCheckpoint(into: &encoder, onRanks: exchange != nil, isRoot: root)
        encoder.bool(network.plasticity != nil)
        network.plasticity?.encodeCheckpoint(into: &encoder)
        encoder.bool(network.kernelCurrents != nil)
        network.kernelCurrents?.encodeCheckpoint(into: &encoder)
        encoder.bool(network.noiseCurrents != nil)
        network.noiseCurrents?.encodeCheckpoint(into: &encoder)
        (queue as! BinaryHeapQueue).encodeCheckpoint(into: &encoder)
        encoder.section("end")
    }

    /// Replaces the state of a freshly built run (same network file, same seed) with a checkpoint's.
    /// On a throw the simulator is unusable: build it again.
    public func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        if let refusal = checkpointRefusal { throw CheckpointError("this run cannot be resumed: \(refusal)") }
        try decoder.section("simulator")
        time = try decoder.double()
        counters.windows = try decoder.int()
        counters.recurrentEvents = try decoder.int()
        counters.externalEvents = try decoder.int()
        counters.kernelEvents = try decoder.int()
        counters.spikes = try decoder.int()
        counters.simulatedTime = try decoder.double()
        // The counts are the run's (every rank's): those of the build are in them.
        ownArrivalsBeforePartitions = 0
        nextBiasChange = try decoder.int()
        guard (0...network.biasChanges.count).contains(nextBiasChange) else {
            throw CheckpointError("current change \(nextBiasChange) outside 0...\(network.biasChanges.count)")
        }
        try CheckpointDecoder.require(try decoder.int(), equals: network.dynamics.count, "populations")
        for dynamics in network.dynamics {
            switch dynamics {
            case .neurons(let pop): try (pop as! CheckpointableNeurons).restoreCheckpoint(from: &decoder)
            case .source(let source): try source.restoreCheckpoint(from: &decoder)
            }
        }
        try CheckpointDecoder.require(try decoder.int(), equals: network.projections.count, "projections")
        for (q, projection) in network.projections.enumerated() {
            guard try decoder.bool() == (projection.bayesian != nil) else {
                throw CheckpointError("projection '\(projection.name)': Bayesian in one of the checkpoint and the network only")
            }
            guard let bayesian = projection.bayesian else { continue }
            if bayesian.layout != nil {
                try bayesian.restorePartCheckpoint(from: &decoder, synapses: projection.synapses, wholeSteps: wholeDelaySteps(of: q))
            } else {
                try bayesian.restoreCheckpoint(from: &decoder)
            }
        }
        guard try decoder.bool() == (network.synapticDynamics != nil) else {
            throw CheckpointError("STDP or short-term plasticity in one of the checkpoint and the network only")
        }
        try network.synapticDynamics?.restoreCheckpoint(from: &decoder)
        guard try decoder.bool() == (network.plasticity != nil) else {
            throw CheckpointError("spike-based learning in one of the checkpoint and the network only")
        }
        try network.plasticity?.restoreCheckpoint(from: &decoder)
        guard try decoder.bool() == (network.kernelCurrents != nil) else {
            throw CheckpointError("kernel-driven projections in one of the checkpoint and the network only")
        }
        try network.kernelCurrents?.restoreCheckpoint(from: &decoder)
        guard try decoder.bool() == (network.noiseCurrents != nil) else {
            throw CheckpointError("noise currents in one of the checkpoint and the network only")
        }
        try network.noiseCurrents?.restoreCheckpoint(from: &decoder)
        let network = self.network
        queue = try BinaryHeapQueue.restoredFromCheckpoint(
            &decoder, neurons: network.neuronCount,
            delayClasses: { network.delayClasses[Int(network.populationOfNeuron[$0])].count })
        try decoder.section("end")
        // The spikes a fresh build emitted at time 0 (neurons starting above threshold) were queued
        // and recorded by the run that wrote the checkpoint.
        network.spikes.removeAll()
    }
}
