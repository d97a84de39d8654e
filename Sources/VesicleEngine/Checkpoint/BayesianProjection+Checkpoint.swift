import VesicleModel
import VesicleRandom

// A Bayesian projection's state (docs/CHECKPOINT.md, Bayesian projections): its posterior table and
// every row's spike ordinal per delay (the releases are drawn from counters, docs/DESIGN.md,
// Randomness, so the ordinals are all the random state there is). Rows are independent of the
// partitioning, so the state is too.
extension BayesianProjection {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("bayesian")
        table.encode(into: &encoder)
        encoder.int(rowCount)
        encoder.int(delaySlots)
        for i in 0..<rowCount * delaySlots { encoder.u32(ordinals[i]) }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("bayesian")
        try table.restore(from: &decoder)
        try CheckpointDecoder.require(try decoder.int(), equals: rowCount, "Bayesian rows")
        try CheckpointDecoder.require(try decoder.int(), equals: delaySlots, "Bayesian delays per row")
        for i in 0..<rowCount * delaySlots { ordinals[i] = try decoder.u32() }
    }
}
