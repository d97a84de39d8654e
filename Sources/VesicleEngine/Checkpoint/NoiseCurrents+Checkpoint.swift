import VesicleModel

// Noise currents in a checkpoint (docs/CHECKPOINT.md): at a window boundary every partition has
// applied the same changes, and a value is a function of (seed, input, target, step) alone
// (Inputs/NoiseCurrents.swift), so the state is each input's next change and nothing else: no
// generator, no partition. The levels the targets carry are recomputed from it on restore (the
// neurons' bias currents themselves are in their populations' sections).

extension NoiseCurrents {
    /// - Complexity: O(noise inputs).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("noise")
        encoder.int(inputs.count)
        for (i, input) in inputs.enumerated() {
            encoder.int(Int(input.entity))
            encoder.int(position[i])
        }
    }

    /// - Complexity: O(noise targets): each target's level is computed again from its key.
    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("noise")
        try CheckpointDecoder.require(try decoder.int(), equals: inputs.count, "noise inputs")
        for (i, input) in inputs.enumerated() {
            try CheckpointDecoder.require(try decoder.int(), equals: Int(input.entity), "noise input index")
            let next = try decoder.int()
            guard (0...input.changeCount).contains(next) else {
                throw CheckpointError("noise input \(input.entity): change \(next) outside 0...\(input.changeCount)")
            }
            position[i] = next
        }
        recomputeLevels()
    }
}
