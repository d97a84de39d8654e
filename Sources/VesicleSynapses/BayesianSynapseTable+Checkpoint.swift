import VesicleModel

// What a checkpoint holds of a Bayesian table (docs/CHECKPOINT.md, Bayesian projections): every
// stored posterior as its Float32 bit pattern (the table's own precision, so restoring is exact),
// each row's time, and the shared-row fast path's state. The prior, link, release mode and row
// offsets are rebuilt from the network file and only checked.

extension BayesianSynapseTable where Scalar == Float {
    /// - Complexity: O(synapses + rows).
    public func encode(into encoder: inout CheckpointEncoder) {
        encodeLayout(into: &encoder, synapseCount: storedSynapseCount,
                     synapses: { $0.rawFloats(UnsafeBufferPointer(start: $1, count: storedSynapseCount)) },
                     rowTimes: { $0.rawDoubles(UnsafeBufferPointer(start: storedRowTime, count: storedRowCount)) },
                     rowPosteriors: { $0.rawFloats(UnsafeBufferPointer(start: storedRowPosterior, count: 2 * storedRowCount)) })
    }

    /// The one encoding both `encode` and `encodePart` write: the row count; the posterior means and
    /// the variances, each `synapseCount` then its Float32s (`synapses`, given the list); the row
    /// count again and the row times (`rowTimes`); whether rows share one posterior, then the shared
    /// posteriors' count (0 when they do not) and their Float32s (`rowPosteriors`, only when they do).
    /// The closures write the elements alone, plainly (one process) or in rank spans (a rank's part),
    /// so both write the same bytes as `floats` and `doubles` would (docs/CHECKPOINT.md).
    /// - Complexity: O(rows + what the closures write).
    private func encodeLayout(into encoder: inout CheckpointEncoder, synapseCount: Int,
                              synapses: (inout CheckpointEncoder, UnsafeMutablePointer<Float>) -> Void,
                              rowTimes: (inout CheckpointEncoder) -> Void,
                              rowPosteriors: (inout CheckpointEncoder) -> Void) {
        encoder.int(storedRowCount)
        for values in [storedMu, storedSigma2] {
            encoder.int(synapseCount)
            synapses(&encoder, values)
        }
        encoder.int(storedRowCount)
        rowTimes(&encoder)
        encoder.bool(storedRowsShareOnePosterior)
        encoder.int(storedRowsShareOnePosterior ? 2 * storedRowCount : 0)
        if storedRowsShareOnePosterior { rowPosteriors(&encoder) }
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

// A table that is an MPI rank's part of a Bayesian projection (its own targets' synapses of every
// row, docs/CHECKPOINT.md, On ranks) writes the one-process encoding above through rank spans that
// rank 0 merges: each posterior list as the rank's synapses placed at their whole-build indices
// (`rankScattered`), the row times as their largest over the ranks (a rank that holds none of a
// row's synapses never brings it up to date at a delivery), and each row's shared posterior from
// the one rank that holds the whole row's first synapse (`ownedRows`).
extension BayesianSynapseTable where Scalar == Float {
    /// Writes this rank's part: `runs` place the held synapses (in held order) in the whole build's
    /// `wholeSynapseCount`; `ownedRows` are the runs of rows whose shared posterior this rank writes.
    /// The ranks' tables must agree on sharing row posteriors (one initial mean for the whole
    /// projection: `BayesianProjection`'s caller refuses the rest).
    /// - Complexity: O(held synapses + rows + runs).
    public func encodePart(into encoder: inout CheckpointEncoder, wholeSynapseCount: Int,
                           runs: [(start: Int, length: Int)], ownedRows: [(start: Int, length: Int)]) {
        encodeLayout(into: &encoder, synapseCount: wholeSynapseCount,
                     synapses: { encoder, values in
                         encoder.rankScattered(count: wholeSynapseCount, width: 4, runs: runs) {
                             $0.rawFloats(UnsafeBufferPointer(start: values, count: storedSynapseCount))
                         }
                     },
                     rowTimes: {
                         $0.rankMaximum(width: 8) { $0.rawDoubles(UnsafeBufferPointer(start: storedRowTime, count: storedRowCount)) }
                     },
                     rowPosteriors: {
                         $0.rankScattered(count: storedRowCount, width: 8, runs: ownedRows) { encoder in
                             for run in ownedRows {
                                 encoder.rawFloats(UnsafeBufferPointer(start: storedRowPosterior + 2 * run.start, count: 2 * run.length))
                             }
                         }
                     })
    }

    /// Reads a whole table's state (any rank count's checkpoint: the one-process encoding) and keeps
    /// this rank's synapses, placed by `runs` as in `encodePart`, and every row's time and shared
    /// posterior.
    /// - Complexity: O(whole synapses + rows).
    public func restorePart(from decoder: inout CheckpointDecoder, wholeSynapseCount: Int,
                            runs: [(start: Int, length: Int)]) throws {
        try CheckpointDecoder.require(try decoder.int(), equals: storedRowCount, "Bayesian table rows")
        for (values, what) in [(storedMu, "posterior means"), (storedSigma2, "posterior variances")] {
            let whole = try decoder.floats(expected: wholeSynapseCount, what)
            var held = 0
            for run in runs {
                guard run.start >= 0, run.start + run.length <= whole.count, held + run.length <= storedSynapseCount else {
                    throw CheckpointError("a rank's synapses \(run.start) + \(run.length) outside the checkpoint's \(whole.count)")
                }
                whole.withUnsafeBufferPointer { (values + held).update(from: $0.baseAddress! + run.start, count: run.length) }
                held += run.length
            }
            try CheckpointDecoder.require(held, equals: storedSynapseCount, "a rank's Bayesian synapses")
        }
        let rowTime = try decoder.doubles(expected: storedRowCount, "posterior row times")
        let share = try decoder.bool()
        let rowPosterior = try decoder.floats(expected: share ? 2 * storedRowCount : 0, "shared row posteriors")
        if share && !storedRowsShareOnePosterior {
            throw CheckpointError("a Bayesian table shares row posteriors in the checkpoint but not on this rank")
        }
        storedRowTime.update(from: rowTime, count: rowTime.count)
        storedRowsShareOnePosterior = share
        if share { storedRowPosterior.update(from: rowPosterior, count: rowPosterior.count) }
    }
}
