import VesicleModel
import VesicleRandom

// A Poisson drive's state is its generator and its next arrival (docs/CHECKPOINT.md, Drives); its
// rate, weight and window come from the network file.
extension PoissonDriveTable {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("drives")
        encoder.int(driveCount)
        for k in 0..<driveCount {
            drives[k].stream.encode(into: &encoder)
            encoder.double(drives[k].next)
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("drives")
        try CheckpointDecoder.require(try decoder.int(), equals: driveCount, "Poisson drives")
        for k in 0..<driveCount {
            drives[k].stream = try RandomStream(checkpoint: &decoder)
            drives[k].next = try decoder.double()
        }
    }
}
