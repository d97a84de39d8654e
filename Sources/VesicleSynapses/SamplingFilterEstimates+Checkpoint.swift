import VesicleModel

// The sampling Synaptic Filter's running estimates in a checkpoint (docs/CHECKPOINT.md, Synaptic
// Filter experiment): the held samples, the correlations c_i and the spread v; the retention comes
// from the network file. The samples' generator is the experiment's (`sampleStream`). Section
// "sampling_filter".

extension SamplingFilterEstimates {
    /// - Complexity: O(n).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("sampling_filter")
        encoder.doubles(samples)
        encoder.doubles(correlation)
        encoder.double(spread)
    }

    mutating func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("sampling_filter")
        samples = try decoder.doubles(expected: samples.count, "held PSP samples")
        correlation = try decoder.doubles(expected: correlation.count, "sampling correlations")
        spread = try decoder.double()
    }
}
