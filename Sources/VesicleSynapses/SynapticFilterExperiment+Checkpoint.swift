import VesicleModel
import VesicleRandom

// The single-neuron Synaptic Filter experiment in a checkpoint (docs/CHECKPOINT.md, docs/MODEL.md §5):
// at a step boundary it holds the step index, the output spike count, the metrics so far, the
// posteriors, the teacher's weights, the traces, each input's next spike and every generator (inputs,
// teacher, output, samples); then, when the experiment has them, the full-covariance posterior
// (`FullCovariancePosterior+Checkpoint.swift`), the particle-filter reference
// (`SynapticParticleFilter+Checkpoint.swift`) and the sampling filter's estimates
// (`SamplingFilterEstimates+Checkpoint.swift`), in that order. The parameters say which are there, so
// the diagonal filter's bytes are those of before.

extension SynapticFilterExperiment {
    /// Why this experiment cannot be checkpointed yet (nil: it can): every variant can.
    public var checkpointRefusal: String? { nil }

    /// - Complexity: O(inputs), plus O(inputs^2) with the full covariance and O(particles x inputs)
    ///   with the particle reference.
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
        fullPosterior?.encodeCheckpoint(into: &encoder)
        particleFilter?.encodeCheckpoint(into: &encoder)
        sampling?.encodeCheckpoint(into: &encoder)
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
        try fullPosterior?.restoreCheckpoint(from: &decoder)
        try particleFilter?.restoreCheckpoint(from: &decoder)
        try sampling?.restoreCheckpoint(from: &decoder)
    }
}
