import VesicleModel
import VesicleRandom

// The feedback experiment (linear readout, docs/MODEL.md §4, §6) in a checkpoint (docs/CHECKPOINT.md):
// at a bin boundary it holds the bin index, the metrics, the variability statistics and the trace
// samples so far, the synapse-update count, every synapse (posterior, target, last bin touched, its
// spike probability and its two generators), the release and noise generators, and the spike queue
// (each bucket's head and each input's due bin and successor, so the inputs due at a bin come out in
// the same order).

extension FeedbackExperiment {
    /// - Complexity: O(inputs + trace samples + 4096 buckets).
    public func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("feedback")
        encoder.int(binIndex)
        encoder.int(synapseUpdates)
        encoder.int(metrics.pairCount)
        encoder.double(metrics.squaredErrorSum)
        encoder.int(metrics.withinTwoSDCount)
        encoder.double(metrics.priorSquaredErrorSum)
        encoder.int(variability.count)
        for v in variability {
            encoder.double(v.rate)
            encoder.double(v.normalizedVariabilitySum)
            encoder.int(v.sampleCount)
            encoder.double(v.relativeChangeSum)
            encoder.int(v.spikeCount)
        }
        encoder.int(traces.count)
        for t in traces {
            encoder.double(t.time)
            encoder.int(t.synapse)
            encoder.double(t.mu)
            encoder.double(t.sigma2)
            encoder.double(t.target)
            encoder.double(t.weightMean)
            encoder.double(t.weightSD)
        }
        encoder.int(synapses.count)
        for s in synapses {
            encoder.double(s.mu)
            encoder.double(s.sigma2)
            encoder.double(s.target)
            encoder.int(s.lastBin)
            encoder.double(s.spikeProbability)
            encoder.double(s.logNoSpike)
            s.teacherStream.encode(into: &encoder)
            s.spikeStream.encode(into: &encoder)
        }
        releaseStream.encode(into: &encoder)
        encoder.int(queue.head.count)
        for h in queue.head { encoder.u32(UInt32(bitPattern: h)) }
        encoder.int(queue.links.count)
        for link in queue.links {
            encoder.int(link.due)
            encoder.u32(UInt32(bitPattern: link.next))
        }
    }

    /// Replaces the state of an experiment freshly made from the same spec with a checkpoint's.
    public mutating func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("feedback")
        binIndex = try decoder.int()
        synapseUpdates = try decoder.int()
        guard binIndex >= 0 else { throw CheckpointError("feedback bin \(binIndex)") }
        metrics.pairCount = try decoder.int()
        metrics.squaredErrorSum = try decoder.double()
        metrics.withinTwoSDCount = try decoder.int()
        metrics.priorSquaredErrorSum = try decoder.double()
        try CheckpointDecoder.require(try decoder.int(), equals: variability.count, "variability statistics")
        for i in variability.indices {
            variability[i].rate = try decoder.double()
            variability[i].normalizedVariabilitySum = try decoder.double()
            variability[i].sampleCount = try decoder.int()
            variability[i].relativeChangeSum = try decoder.double()
            variability[i].spikeCount = try decoder.int()
        }
        let n = try decoder.int()
        guard n >= 0, n <= decoder.bytes.count / 56 else { throw CheckpointError("\(n) trace samples") }
        var samples: [SynapseTraceSample] = []
        samples.reserveCapacity(n)
        for _ in 0..<n {
            samples.append(SynapseTraceSample(time: try decoder.double(), synapse: try decoder.int(), mu: try decoder.double(),
                                              sigma2: try decoder.double(), target: try decoder.double(),
                                              weightMean: try decoder.double(), weightSD: try decoder.double()))
        }
        traces = samples
        try CheckpointDecoder.require(try decoder.int(), equals: synapses.count, "feedback synapses")
        for i in synapses.indices {
            synapses[i].mu = try decoder.double()
            synapses[i].sigma2 = try decoder.double()
            synapses[i].target = try decoder.double()
            synapses[i].lastBin = try decoder.int()
            synapses[i].spikeProbability = try decoder.double()
            synapses[i].logNoSpike = try decoder.double()
            synapses[i].teacherStream = try RandomStream(checkpoint: &decoder)
            synapses[i].spikeStream = try RandomStream(checkpoint: &decoder)
        }
        releaseStream = try RandomStream(checkpoint: &decoder)
        try CheckpointDecoder.require(try decoder.int(), equals: queue.head.count, "spike queue buckets")
        let inputs = synapses.count
        for b in queue.head.indices {
            let h = Int32(bitPattern: try decoder.u32())
            guard h >= -1, Int(h) < inputs else { throw CheckpointError("spike queue bucket \(b) starts at input \(h)") }
            queue.head[b] = h
        }
        try CheckpointDecoder.require(try decoder.int(), equals: queue.links.count, "spike queue inputs")
        for i in queue.links.indices {
            let due = try decoder.int()
            let next = Int32(bitPattern: try decoder.u32())
            guard next >= -1, Int(next) < inputs else { throw CheckpointError("spike queue input \(i) links to \(next)") }
            queue.links[i] = SpikeBinQueue.Link(due: due, next: next)
        }
    }
}
