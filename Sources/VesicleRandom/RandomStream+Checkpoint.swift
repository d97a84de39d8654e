import VesicleModel

// The one place generator state is serialised (docs/CHECKPOINT.md, Generators). A stream is its
// four xoshiro256** words; lanes are four such states side by side. When the generators become
// counter-based (a key and a counter), only these two extensions change.

extension RandomStream {
    /// Writes the stream's state: 4 × u64.
    public func encode(into encoder: inout CheckpointEncoder) {
        encoder.u64(s0); encoder.u64(s1); encoder.u64(s2); encoder.u64(s3)
    }

    /// The stream `encode` wrote; refuses the all-zero state no stream can reach.
    public init(checkpoint decoder: inout CheckpointDecoder) throws {
        let words = (try decoder.u64(), try decoder.u64(), try decoder.u64(), try decoder.u64())
        guard words.0 | words.1 | words.2 | words.3 != 0 else {
            throw CheckpointError("a random stream's state is all zero (corrupted checkpoint)")
        }
        self.init(state: words)
    }
}

extension RandomLanes {
    /// Writes the lanes' state: for each of the 4 state words, its 4 lanes (16 × u64).
    public func encode(into encoder: inout CheckpointEncoder) {
        for word in [s0, s1, s2, s3] {
            for lane in 0..<Self.laneCount { encoder.u64(word[lane]) }
        }
    }

    public init(checkpoint decoder: inout CheckpointDecoder) throws {
        var words = [Words](repeating: .zero, count: 4)
        for w in 0..<4 {
            for lane in 0..<Self.laneCount { words[w][lane] = try decoder.u64() }
        }
        let state = (words[0], words[1], words[2], words[3])
        guard Self.noLaneIsZero(state) else { throw CheckpointError("a random lane's state is all zero (corrupted checkpoint)") }
        self.init(state: state)
    }
}
