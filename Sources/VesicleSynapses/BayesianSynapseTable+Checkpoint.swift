import VesicleModel

// What a checkpoint holds of a Bayesian table (docs/CHECKPOINT.md, Bayesian projections): every
// stored posterior as its Float32 bit pattern (the table's own precision, so restoring is exact),
// each row's time, and the shared-row fast path's state. The prior, link, release mode and row
// offsets are rebuilt from the network file and only checked.

extension BayesianSynapseTable where Scalar == Float {
    /// - Complexity: O(synapses + rows).
    public func encode(into encoder: inout CheckpointEncoder) {
        encoder.int(rowOffsets.count - 1)
        encoder.floats(storedMu)
        encoder.floats(storedSigma2)
        encoder.doubles(storedRowTime)
        encoder.bool(storedRowsShareOnePosterior)
        encoder.floats(storedRowPosterior)
    }

    /// Replaces the stored state with a checkpoint's; the table's structure must match.
    /// - Complexity: O(synapses + rows).
    public mutating func restore(from decoder: inout CheckpointDecoder) throws {
        try CheckpointDecoder.require(try decoder.int(), equals: rowCount, "Bayesian table rows")
        storedMu = try decoder.floats(expected: synapseCount, "posterior means")
        storedSigma2 = try decoder.floats(expected: synapseCount, "posterior variances")
        storedRowTime = try decoder.doubles(expected: rowCount, "posterior row times")
        storedRowsShareOnePosterior = try decoder.bool()
        storedRowPosterior = try decoder.floats(expected: storedRowsShareOnePosterior ? 2 * rowCount : 0, "shared row posteriors")
    }
}
