import VesicleModel

// A lif_exp population's state (docs/CHECKPOINT.md, Neurons): per neuron the potential, both
// synaptic currents, the time they hold at, the end of refractoriness, the next drive arrival and
// the quiet horizon with its headroom and its predicted crossing (so that a resumed run skips and
// searches exactly where the uninterrupted one does); the asymptotes; the Poisson drive table.
// On MPI ranks a rank holds only the neurons its partitions own (`owned`, memory for these alone:
// `OwnedNeuronMemory`); it writes the block it advances (`held`) as its part of each per-neuron list
// (docs/CHECKPOINT.md, On ranks), and a restore reads the whole list and keeps its own neurons'
// records, skipping the others' (touching a neuron it does not hold would write outside its memory).
extension LIFExpPopulation: CheckpointableNeurons {
    /// Bytes of one neuron's record: the nine doubles of `LIFExpState` as written below.
    static let checkpointRecordBytes = 72

    func encodeCheckpoint(into encoder: inout CheckpointEncoder, held: Range<Int>) {
        precondition(held.clamped(to: owned) == held || held.isEmpty, "lif_exp neurons \(held) not held (\(owned))")
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
            guard owned.contains(j) else {
                try decoder.skip(Self.checkpointRecordBytes)
                continue
            }
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
        try decoder.doubles(into: asymptote, expected: count, keeping: owned, "lif_exp asymptotes")
        try drives.restoreCheckpoint(from: &decoder)
    }
}
