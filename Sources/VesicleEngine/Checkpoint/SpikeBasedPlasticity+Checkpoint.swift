import VesicleModel

// Spike-based learning in a checkpoint (docs/CHECKPOINT.md, docs/MODEL.md §5). At a window boundary
// the learner has run every step that ends by it: it holds the step index, each plastic projection's
// exact (Double) posteriors and presynaptic traces (this step boundary's and the one before) with the
// arrivals not yet added, and each learning population's bias posteriors, last spike steps, the
// sums formed for the coming step and the spikes not yet assigned to a step. The Float32 copy the
// releases read is the Bayesian projection's (`BayesianProjection+Checkpoint.swift`). `expected`
// and `error` are not held: each step sets them before it reads them.

extension PresynapticTrace {
    /// - Complexity: O(neurons + pending arrivals).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.doubles(UnsafeBufferPointer(start: value, count: neuronCount))
        encoder.doubles(UnsafeBufferPointer(start: previous, count: neuronCount))
        encoder.doubles(Array(pendingTime[pendingHead...]))
        encoder.u32s(pendingNeuron[pendingHead...])
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder, _ what: String) throws {
        try decoder.doubles(into: value, expected: neuronCount, "\(what) traces")
        try decoder.doubles(into: previous, expected: neuronCount, "\(what) previous traces")
        pendingTime = try decoder.doubles("\(what) pending arrivals")
        pendingNeuron = try decoder.u32s(expected: pendingTime.count, "\(what) pending arrival neurons")
        pendingHead = 0
        for j in pendingNeuron where Int(j) >= neuronCount {
            throw CheckpointError("\(what): a pending arrival from neuron \(j), beyond its \(neuronCount) sources")
        }
    }
}

extension SpikeBasedPlasticity {
    /// - Complexity: O(plastic synapses + neurons + pending spikes).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("learning")
        encoder.int(stepIndex)
        encoder.int(synapseUpdates)
        encoder.int(projections.count)
        for p in projections {
            encoder.string(p.name)
            encoder.doubles(UnsafeBufferPointer(start: p.mu, count: p.synapseCount))
            encoder.doubles(UnsafeBufferPointer(start: p.sigma2, count: p.synapseCount))
            p.trace.encodeCheckpoint(into: &encoder)
        }
        encoder.int(populations.count)
        for population in populations {
            let n = population.neuronCount
            encoder.string(population.name)
            encoder.doubles(UnsafeBufferPointer(start: population.biasMu, count: n))
            encoder.doubles(UnsafeBufferPointer(start: population.biasSigma2, count: n))
            encoder.ints(Array(UnsafeBufferPointer(start: population.lastSpikeStep, count: n)))
            encoder.doubles(UnsafeBufferPointer(start: population.drive, count: n))
            encoder.doubles(UnsafeBufferPointer(start: population.spread, count: n))
            encoder.bool(population.sumsReady)
            encoder.doubles(Array(population.pendingSpikeTime[population.pendingHead...]))
            encoder.u32s(population.pendingSpikeNeuron[population.pendingHead...])
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("learning")
        stepIndex = try decoder.int()
        synapseUpdates = try decoder.int()
        guard stepIndex >= 0 else { throw CheckpointError("learning step \(stepIndex)") }
        try CheckpointDecoder.require(try decoder.int(), equals: projections.count, "plastic projections")
        for p in projections {
            let found = try decoder.string()
            guard found == p.name else { throw CheckpointError("plastic projection '\(found)' where this network has '\(p.name)'") }
            try decoder.doubles(into: p.mu, expected: p.synapseCount, "\(p.name) posterior means")
            try decoder.doubles(into: p.sigma2, expected: p.synapseCount, "\(p.name) posterior variances")
            try p.trace.restoreCheckpoint(from: &decoder, p.name)
        }
        try CheckpointDecoder.require(try decoder.int(), equals: populations.count, "learning populations")
        for population in populations {
            let n = population.neuronCount
            let found = try decoder.string()
            guard found == population.name else {
                throw CheckpointError("learning population '\(found)' where this network has '\(population.name)'")
            }
            try decoder.doubles(into: population.biasMu, expected: n, "\(found) bias means")
            try decoder.doubles(into: population.biasSigma2, expected: n, "\(found) bias variances")
            let last = try decoder.ints(expected: n, "\(found) last spike steps")
            for k in 0..<n { population.lastSpikeStep[k] = last[k] }
            try decoder.doubles(into: population.drive, expected: n, "\(found) drives")
            try decoder.doubles(into: population.spread, expected: n, "\(found) spreads")
            population.sumsReady = try decoder.bool()
            population.pendingSpikeTime = try decoder.doubles("\(found) pending spikes")
            population.pendingSpikeNeuron = try decoder.u32s(expected: population.pendingSpikeTime.count, "\(found) pending spike neurons")
            population.pendingHead = 0
            for j in population.pendingSpikeNeuron where Int(j) >= n {
                throw CheckpointError("\(found): a pending spike of neuron \(j), beyond its \(n) neurons")
            }
        }
    }
}
