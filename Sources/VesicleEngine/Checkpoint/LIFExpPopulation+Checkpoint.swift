import VesicleModel

// A lif_exp population's state (docs/CHECKPOINT.md, Neurons): per neuron the potential, both
// synaptic currents, the time they hold at, the end of refractoriness, the next drive arrival and
// the quiet horizon with its headroom and its predicted crossing (so that a resumed run skips and
// searches exactly where the uninterrupted one does); the asymptotes; the Poisson drive table.
// On MPI ranks every rank holds the whole population but advances only its own block (`held`),
// which it writes as its part of each per-neuron list (docs/CHECKPOINT.md, On ranks); a restore
// takes every neuron.
extension LIFExpPopulation: CheckpointableNeurons {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder, held: Range<Int>) {
        encoder.section("lif_exp")
        encoder.int(count)
        encoder.rankPart { encoder in
            for j in held {
                let s = state[j]
                for v in [s.potential, s.excitatoryCurrent, s.inhibitoryCurrent, s.lastUpdate, s.refractoryUntil, s.nextDrive,
                          s.quietUntil, s.headroom, s.predictedCrossing] {
                    encoder.double(v)
                }
            }
        }
        encoder.int(count)
        encoder.rankPart { $0.rawDoubles(UnsafeBufferPointer(start: asymptote + held.lowerBound, count: held.count)) }
        drives.encodeCheckpoint(into: &encoder, neurons: held)
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
