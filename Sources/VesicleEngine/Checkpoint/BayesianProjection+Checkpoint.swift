import VesicleModel
import VesicleRandom

// A Bayesian projection's state (docs/CHECKPOINT.md, Bayesian projections): its posterior table
// and every row's release generator (four lanes per row for batched posterior release, one scalar
// stream per row otherwise). Rows are independent of the partitioning, so the state is too.
extension BayesianProjection {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("bayesian")
        table.encode(into: &encoder)
        encoder.bool(batched)
        encoder.int(rowCount)
        for row in 0..<rowCount {
            if batched { lanes[row].encode(into: &encoder) } else { streams[row].encode(into: &encoder) }
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("bayesian")
        try table.restore(from: &decoder)
        guard try decoder.bool() == batched else {
            throw CheckpointError("Bayesian release: the checkpoint's generators are of another kind than this network's")
        }
        try CheckpointDecoder.require(try decoder.int(), equals: rowCount, "Bayesian rows")
        for row in 0..<rowCount {
            if batched { lanes[row] = try RandomLanes(checkpoint: &decoder) } else { streams[row] = try RandomStream(checkpoint: &decoder) }
        }
    }
}
