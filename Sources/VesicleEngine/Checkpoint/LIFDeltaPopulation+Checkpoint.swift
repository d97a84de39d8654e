import VesicleModel
import VesicleRandom

// A lif_delta population's state (docs/CHECKPOINT.md, Neurons): per neuron the scaled potential,
// the end of refractoriness, the next drive arrival (on the scaled clock when the drive is fused),
// the threshold gap and the fused drive's generator; per neuron the asymptote (current inputs move
// it); the epoch the scaled values refer to and the fused drives' closing scale; the Poisson drive
// table; escape noise's resolved times and generators. Written field by field, so the encoding does
// not depend on the struct's layout. Section "lif_delta.2": the fused drive's stream is a counter-keyed
// `DriveStream` (section "lif_delta" held xoshiro256** state).
extension LIFDeltaPopulation: CheckpointableNeurons {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("lif_delta.2")
        encoder.int(count)
        encoder.double(epoch)
        encoder.double(driveActiveScale)
        for j in 0..<count {
            let s = state[j]
            encoder.double(s.scaled)
            encoder.double(s.refractoryUntil)
            encoder.double(s.nextDrive)
            encoder.double(s.thresholdGap)
            s.driveStream.encode(into: &encoder)
        }
        encoder.doubles(UnsafeBufferPointer(start: asymptote, count: count))
        drives.encodeCheckpoint(into: &encoder)
        encoder.bool(escapeNoise != nil)
        if let escapeNoise {
            encoder.doubles(UnsafeBufferPointer(start: escapeNoise.resolvedUntil, count: count))
            // The counter-based stream's whole state: each neuron's candidate ordinal (docs/DESIGN.md, Random keys).
            for j in 0..<count { encoder.u32(escapeNoise.candidates[j]) }
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("lif_delta.2")
        try CheckpointDecoder.require(try decoder.int(), equals: count, "lif_delta neurons")
        epoch = try decoder.double()
        driveActiveScale = try decoder.double()
        for j in 0..<count {
            state[j].scaled = try decoder.double()
            state[j].refractoryUntil = try decoder.double()
            state[j].nextDrive = try decoder.double()
            state[j].thresholdGap = try decoder.double()
            state[j].driveStream = try state[j].driveStream.restored(from: &decoder)
        }
        try decoder.doubles(into: asymptote, expected: count, "lif_delta asymptotes")
        try drives.restoreCheckpoint(from: &decoder)
        guard try decoder.bool() == (escapeNoise != nil) else {
            throw CheckpointError("escape noise: the checkpoint and the network disagree on whether it is on")
        }
        if let escapeNoise {
            try decoder.doubles(into: escapeNoise.resolvedUntil, expected: count, "escape noise times")
            for j in 0..<count { escapeNoise.candidates[j] = try decoder.u32() }
        }
    }
}
