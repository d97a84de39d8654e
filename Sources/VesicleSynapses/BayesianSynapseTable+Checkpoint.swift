import VesicleModel

// What a checkpoint holds of a Bayesian table (docs/CHECKPOINT.md, Bayesian projections): every
// stored posterior as its Float32 bit pattern (the table's own precision, so restoring is exact),
// each row's time, and the shared-row fast path's state. The prior, link, release mode and row
// offsets are rebuilt from the network file and only checked.

extension BayesianSynapseTable where Scalar == Float {
    /// - Complexity: O(synapses + rows).
    public func encode(into encoder: inout CheckpointEncoder) {
        encoder.int(storedRowCount)
        encoder.floats(UnsafeBufferPointer(start: storedMu, count: storedSynapseCount))
        encoder.floats(UnsafeBufferPointer(start: storedSigma2, count: storedSynapseCount))
        encoder.doubles(UnsafeBufferPointer(start: storedRowTime, count: storedRowCount))
        encoder.bool(storedRowsShareOnePosterior)
        encoder.floats(UnsafeBufferPointer(start: storedRowPosterior, count: storedRowsShareOnePosterior ? 2 * storedRowCount : 0))
    }

    /// Replaces the stored state with a checkpoint's, in place; the table's structure must match.
    /// A table built from the same file starts sharing row posteriors exactly when the checkpointed
    /// one did, and can only stop sharing later, so the shared-row storage is there when needed.
    /// - Complexity: O(synapses + rows).
    public func restore(from decoder: inout CheckpointDecoder) throws {
        try CheckpointDecoder.require(try decoder.int(), equals: storedRowCount, "Bayesian table rows")
        let mu = try decoder.floats(expected: storedSynapseCount, "posterior means")
        let sigma2 = try decoder.floats(expected: storedSynapseCount, "posterior variances")
        let rowTime = try decoder.doubles(expected: storedRowCount, "posterior row times")
        let share = try decoder.bool()
        let rowPosterior = try decoder.floats(expected: share ? 2 * storedRowCount : 0, "shared row posteriors")
        if share && !storedRowsShareOnePosterior {
            throw CheckpointError("a Bayesian table shares row posteriors in the checkpoint but not in this network")
        }
        storedMu.update(from: mu, count: mu.count)
        storedSigma2.update(from: sigma2, count: sigma2.count)
        storedRowTime.update(from: rowTime, count: rowTime.count)
        storedRowsShareOnePosterior = share
        if share { storedRowPosterior.update(from: rowPosterior, count: rowPosterior.count) }
    }
}
