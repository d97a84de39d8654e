import VesicleModel
import VesicleRandom

// The particle-filter reference in a checkpoint (docs/CHECKPOINT.md, Synaptic Filter experiment):
// every particle's weights, the normalised importance weights, the resampling count and its
// generator. The resampling scratch holds nothing across steps (every resampling overwrites it
// whole). Section "particle_filter".

extension SynapticParticleFilter {
    /// - Complexity: O(particles × dimension).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("particle_filter")
        encoder.int(particleCount)
        encoder.int(dimension)
        encoder.doubles(particles)
        encoder.doubles(weights)
        encoder.int(resamplings)
        rng.encode(into: &encoder)
    }

    mutating func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("particle_filter")
        try CheckpointDecoder.require(try decoder.int(), equals: particleCount, "particles")
        try CheckpointDecoder.require(try decoder.int(), equals: dimension, "particle dimension")
        particles = try decoder.doubles(expected: particleCount * dimension, "particle weights")
        weights = try decoder.doubles(expected: particleCount, "importance weights")
        resamplings = try decoder.int()
        guard resamplings >= 0 else { throw CheckpointError("\(resamplings) resamplings") }
        rng = try RandomStream(checkpoint: &decoder)
    }
}
