import VesicleModel

// A lif_exp population's state (docs/CHECKPOINT.md, Neurons): per neuron the potential, both
// synaptic currents, the time they hold at, the end of refractoriness, the next drive arrival and
// the quiet horizon with its headroom and its predicted crossing (so that a resumed run skips and
// searches exactly where the uninterrupted one does); the asymptotes; the Poisson drive table.
extension LIFExpPopulation: CheckpointableNeurons {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("lif_exp")
        encoder.int(count)
        for j in 0..<count {
            let s = state[j]
            for v in [s.potential, s.excitatoryCurrent, s.inhibitoryCurrent, s.lastUpdate, s.refractoryUntil, s.nextDrive,
                      s.quietUntil, s.headroom, s.predictedCrossing] {
                encoder.double(v)
            }
        }
        encoder.doubles(UnsafeBufferPointer(start: asymptote, count: count))
        drives.encodeCheckpoint(into: &encoder)
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("lif_exp")
        try CheckpointDecoder.require(try decoder.int(), equals: count, "lif_exp neurons")
        for j in 0..<count {
            state[j].potential = try decoder.double()
            state[j].excitatoryCurrent = try decoder.double()
            state[j].inhibitoryCurrent = try decoder.double()
            state[j].lastUpdate = try decoder.double()
            state[j].refractoryUntil = try decoder.double()
            state[j].nextDrive = try decoder.double()
            state[j].quietUntil = try decoder.double()
            state[j].headroom = try decoder.double()
            state[j].predictedCrossing = try decoder.double()
            wake[j] = -.infinity
        }
        try decoder.doubles(into: asymptote, expected: count, "lif_exp asymptotes")
        try drives.restoreCheckpoint(from: &decoder)
    }
}
