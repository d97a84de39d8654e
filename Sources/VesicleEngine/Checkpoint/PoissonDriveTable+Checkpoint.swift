import VesicleModel
import VesicleRandom

// A Poisson drive's state is its stream's counters and its next arrival (docs/CHECKPOINT.md, Drives);
// its key, rate, weight and window come from the network file. Section "drives.2": the counter-keyed
// streams (`DriveStream`) replaced the xoshiro256** state of section "drives". On MPI ranks each rank
// writes the drives of the neurons it advances (`rankPart`, their count a `rankSum`): the table is in
// neuron order and the ranks own consecutive blocks, so the merged list is the one-process list.
extension PoissonDriveTable {
    /// Bytes of one drive's record: the stream's three words and the next arrival.
    static let checkpointRecordBytes = 32

    /// Writes the drives of local neurons `neurons` (all of them on one process).
    /// - Complexity: O(drives of `neurons`).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder, neurons: Range<Int>) {
        encoder.section("drives.2")
        let held = driveIndices(ofNeurons: neurons)
        encoder.rankSum(held.count)
        encoder.rankPart { encoder in
            for k in held {
                drives[k].stream.encode(into: &encoder)
                encoder.double(drives[k].next)
            }
        }
    }

    func encodeCheckpoint(into encoder: inout CheckpointEncoder) {
        encodeCheckpoint(into: &encoder, neurons: 0..<neuronCount)
    }

    /// Reads a list of `whole` drives of which this table holds drives `first ..< first + driveCount`
    /// (a rank's own neurons' drives; on one process all, from 0) and skips the others.
    /// - Complexity: O(whole).
    func restoreCheckpoint(from decoder: inout CheckpointDecoder, whole: Int? = nil, first: Int = 0) throws {
        try decoder.section("drives.2")
        try CheckpointDecoder.require(try decoder.int(), equals: whole ?? driveCount, "Poisson drives")
        let held = first..<(first + driveCount)
        for k in 0..<(whole ?? driveCount) {
            guard held.contains(k) else {
                try decoder.skip(Self.checkpointRecordBytes)
                continue
            }
            drives[k - first].stream = try drives[k - first].stream.restored(from: &decoder)
            drives[k - first].next = try decoder.double()
        }
    }
}
