import VesicleModel
import VesicleRandom

// The single-neuron Synaptic Filter experiment in a checkpoint (docs/CHECKPOINT.md, docs/MODEL.md §5):
// at a step boundary it holds the step index, the output spike count, the metrics so far, the
// posteriors, the teacher's weights, the traces, each input's next spike and every generator (inputs,
// teacher, output, samples). The full-covariance posterior, the particle-filter reference and the
// sampling filter's estimates are not held yet, and such runs are refused by name.

extension SynapticFilterExperiment {
    /// Why this experiment cannot be checkpointed yet (nil: it can).
    public var checkpointRefusal: String? {
        if fullPosterior != nil { return "the full-covariance Synaptic Filter (covariance = full)" }
        if particleFilter != nil { return "the particle-filter reference (particle_reference)" }
        if sampling != nil { return "the sampling Synaptic Filter (sampling_tau)" }
        return nil
    }

    /// - Complexity: O(inputs).
    public func encodeCheckpoint(into encoder: inout CheckpointEncoder) throws {
        if let refusal = checkpointRefusal { throw CheckpointError("this experiment cannot be checkpointed yet: \(refusal)") }
        encoder.section("synaptic_filter")
        encoder.int(stepIndex)
        encoder.int(outputSpikes)
        for m in [metrics, particleMetrics] {
            encoder.int(m.pairCount)
            encoder.double(m.squaredErrorSum)
            encoder.int(m.withinTwoSDCount)
            encoder.double(m.priorSquaredErrorSum)
        }
        encoder.int(calibration.sampleCount)
        encoder.double(calibration.sum)
        encoder.int(calibration.undefinedCount)
        encoder.doubles(mu)
        encoder.doubles(sigma2)
        encoder.doubles(target)
        encoder.doubles(trace)
        encoder.doubles(nextSpike)
        encoder.int(inputStreams.count)
        for stream in inputStreams { stream.encode(into: &encoder) }
        teacherStream.encode(into: &encoder)
        outputStream.encode(into: &encoder)
        sampleStream.encode(into: &encoder)
    }

    /// Replaces the state of an experiment freshly made from the same parameters with a checkpoint's.
    public mutating func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        if let refusal = checkpointRefusal { throw CheckpointError("this experiment cannot be resumed yet: \(refusal)") }
        try decoder.section("synaptic_filter")
        stepIndex = try decoder.int()
        outputSpikes = try decoder.int()
        guard stepIndex >= 0, outputSpikes >= 0 else { throw CheckpointError("step \(stepIndex), \(outputSpikes) output spikes") }
        var restored: [TrackingMetrics] = []
        for _ in 0..<2 {
            var m = TrackingMetrics()
            m.pairCount = try decoder.int()
            m.squaredErrorSum = try decoder.double()
            m.withinTwoSDCount = try decoder.int()
            m.priorSquaredErrorSum = try decoder.double()
            restored.append(m)
        }
        metrics = restored[0]
        particleMetrics = restored[1]
        calibration.sampleCount = try decoder.int()
        calibration.sum = try decoder.double()
        calibration.undefinedCount = try decoder.int()
        let n = mu.count
        mu = try decoder.doubles(expected: n, "posterior means")
        sigma2 = try decoder.doubles(expected: n, "posterior variances")
        target = try decoder.doubles(expected: n, "teacher weights")
        trace = try decoder.doubles(expected: n, "traces")
        nextSpike = try decoder.doubles(expected: inputStreams.count, "next input spikes")
        try CheckpointDecoder.require(try decoder.int(), equals: inputStreams.count, "input streams")
        for i in inputStreams.indices { inputStreams[i] = try RandomStream(checkpoint: &decoder) }
        teacherStream = try RandomStream(checkpoint: &decoder)
        outputStream = try RandomStream(checkpoint: &decoder)
        sampleStream = try RandomStream(checkpoint: &decoder)
    }
}
