import VesicleModel
import VesicleRandom

// A lif_delta population's state (docs/CHECKPOINT.md, Neurons): per neuron the scaled potential,
// the end of refractoriness, the next drive arrival (on the scaled clock when the drive is fused),
// the threshold gap and the fused drive's generator; per neuron the asymptote (current inputs move
// it); the epoch the scaled values refer to and the fused drives' closing scale; the Poisson drive
// table; escape noise's resolved times and generators. Written field by field, so the encoding does
// not depend on the struct's layout. Section "lif_delta.2": the fused drive's stream is a counter-keyed
// `DriveStream` (section "lif_delta" held xoshiro256** state). On MPI ranks each rank writes the
// neurons it advances as its part of each per-neuron list (docs/CHECKPOINT.md, On ranks) and restores
// the neurons it holds (`owned`) from the whole list.
extension LIFDeltaPopulation: CheckpointableNeurons {
    /// Bytes of one neuron's record: four doubles and the fused drive stream's three words.
    static let checkpointRecordBytes = 56

    func encodeCheckpoint(into encoder: inout CheckpointEncoder, held: Range<Int>) {
        precondition(held.clamped(to: owned) == held || held.isEmpty, "lif_delta neurons \(held) not held (\(owned))")
        encoder.section("lif_delta.2")
        encoder.int(count)
        encoder.double(epoch)
        encoder.double(driveActiveScale)
        encoder.rankPart { encoder in
            for j in held {
                let s = state[j]
                encoder.double(s.scaled)
                encoder.double(s.refractoryUntil)
                encoder.double(s.nextDrive)
                encoder.double(s.thresholdGap)
                s.driveStream.encode(into: &encoder)
            }
        }
        encoder.int(count)
        encoder.rankPart { $0.rawDoubles(UnsafeBufferPointer(start: asymptote + held.lowerBound, count: held.count)) }
        drives.encodeCheckpoint(into: &encoder, neurons: held)
        encoder.bool(escapeNoise != nil)
        if let escapeNoise {
            encoder.int(count)
            encoder.rankPart { $0.rawDoubles(UnsafeBufferPointer(start: escapeNoise.resolvedUntil + held.lowerBound, count: held.count)) }
            // The counter-based stream's whole state: each neuron's candidate ordinal (docs/DESIGN.md, Random keys).
            encoder.rankPart { encoder in for j in held { encoder.u32(escapeNoise.candidates[j]) } }
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("lif_delta.2")
        try CheckpointDecoder.require(try decoder.int(), equals: count, "lif_delta neurons")
        epoch = try decoder.double()
        driveActiveScale = try decoder.double()
        for j in 0..<count {
            guard owned.contains(j) else {
                try decoder.skip(Self.checkpointRecordBytes)
                continue
            }
            state[j].scaled = try decoder.double()
            state[j].refractoryUntil = try decoder.double()
            state[j].nextDrive = try decoder.double()
            state[j].thresholdGap = try decoder.double()
            state[j].driveStream = try state[j].driveStream.restored(from: &decoder)
        }
        try decoder.doubles(into: asymptote, expected: count, keeping: owned, "lif_delta asymptotes")
        try drives.restoreCheckpoint(from: &decoder)
        guard try decoder.bool() == (escapeNoise != nil) else {
            throw CheckpointError("escape noise: the checkpoint and the network disagree on whether it is on")
        }
        if let escapeNoise {
            try decoder.doubles(into: escapeNoise.resolvedUntil, expected: count, keeping: owned, "escape noise times")
            for j in 0..<count {
                let v = try decoder.u32()
                if owned.contains(j) { escapeNoise.candidates[j] = v }
            }
        }
    }
}
