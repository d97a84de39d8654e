// Memory a network will need once built, estimated from its spec before anything is allocated
// (DESIGN.md, "Memory"): structure-of-arrays neurons, and per synapse a target index plus whatever is
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
/// spikes (MODEL.md §5) `plasticBytesPerSynapse` more for its learner.
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
    switch projection.rule {
    case .allToAll: return sources * targets
    case .oneToOne: return min(sources, targets)
    case .fixedIndegree(let k): return targets * Double(k)
    case .fixedOutdegree(let k): return sources * Double(k)
    case .pairwiseBernoulli(let p): return p * sources * targets
    case .fixedTotalNumber(let n): return Double(n)
    case .fromList(let list): return Double(list.count)
    }
}
