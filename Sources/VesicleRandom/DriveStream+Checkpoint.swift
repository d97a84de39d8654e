import VesicleModel

// A drive stream's checkpointed state (docs/CHECKPOINT.md, Generators): its arrival ordinal, the
// counter of its key, and the xoroshiro128++ words of the block it is in. The key's purpose,
// entity and index come from the network file, so a restore keeps the stream's own.

extension DriveStream {
    /// Writes the stream's state: arrivals, then the generator's 2 × u64.
    public func encode(into encoder: inout CheckpointEncoder) {
        encoder.u64(arrivals)
        encoder.u64(s0)
        encoder.u64(s1)
    }

    /// This stream's key with the state `encode` wrote; refuses a block in progress with the all-zero
    /// generator state no block can have.
    public func restored(from decoder: inout CheckpointDecoder) throws -> DriveStream {
        let arrivals = try decoder.u64()
        let state = (try decoder.u64(), try decoder.u64())
        if arrivals & Self.blockMask != 0 && state.0 | state.1 == 0 {
            throw CheckpointError("a drive stream's state is all zero inside a block (corrupted checkpoint)")
        }
        var copy = self
        copy.ordinal = arrivals
        (copy.s0, copy.s1) = state
        return copy
    }
}
