import VesicleModel
import VesicleRandom

// A Poisson drive's state is its stream's counters and its next arrival (docs/CHECKPOINT.md, Drives);
// its key, rate, weight and window come from the network file. Section "drives.2": the counter-keyed
// streams (`DriveStream`) replaced the xoshiro256** state of section "drives".
extension PoissonDriveTable {
    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encoder.section("drives.2")
        encoder.int(driveCount)
        for k in 0..<driveCount {
            drives[k].stream.encode(into: &encoder)
            encoder.double(drives[k].next)
        }
    }

    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try decoder.section("drives.2")
        try CheckpointDecoder.require(try decoder.int(), equals: driveCount, "Poisson drives")
        for k in 0..<driveCount {
            drives[k].stream = try drives[k].stream.restored(from: &decoder)
            drives[k].next = try decoder.double()
        }
    }
}
