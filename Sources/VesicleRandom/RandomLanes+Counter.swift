// Release lanes keyed by counters (issue 13 item 3; docs/DESIGN.md, Randomness, Bayesian releases): a
// row's lanes at a presynaptic spike are a pure function of (seed, purpose, projection, row, the
// row's spike ordinal, the part of the row), so a release depends on no earlier draw.

extension RandomLanes {
    /// Philox4x32-10 blocks one keyed start of the lanes consumes: two per lane, 256 bits, the lane's
    /// whole xoshiro256++ state.
    public static let blocksPerStart: UInt32 = 8

    /// The lanes of `key` at event `event` for the part of a row whose first synapse is `offset`
    /// synapses into the row: lane j's state words are blocks 8 offset + 2 j and 8 offset + 2 j + 1
    /// of (key, event), high word first (`CounterKey.block`). Distinct (key, event, offset) give
    /// distinct counters, so the lanes of different rows, spikes and row parts never share a
    /// Philox block; a lane that came out all zero (probability 2^-256) gets word 0 = 1, as
    /// `init(seed:purpose:index:)` does.
    /// - Precondition: offset < 2^29 (the block number is 32 bits).
    /// - Complexity: O(1): eight Philox4x32-10 blocks.
    @inlinable
    public init(key: CounterKey, event: UInt32, offset: Int) {
        precondition(offset >= 0 && offset < 1 << 29, "a row part's offset must be below 2^29")
        let first = UInt32(truncatingIfNeeded: offset) &* Self.blocksPerStart
        var w0 = Words.zero, w1 = Words.zero, w2 = Words.zero, w3 = Words.zero
        for lane in 0..<Self.laneCount {
            let a = key.block(event: event, block: first &+ 2 &* UInt32(lane))
            let b = key.block(event: event, block: first &+ 2 &* UInt32(lane) &+ 1)
            w0[lane] = UInt64(a.0) << 32 | UInt64(a.1)
            w1[lane] = UInt64(a.2) << 32 | UInt64(a.3)
            w2[lane] = UInt64(b.0) << 32 | UInt64(b.1)
            w3[lane] = UInt64(b.2) << 32 | UInt64(b.3)
            if w0[lane] | w1[lane] | w2[lane] | w3[lane] == 0 { w0[lane] = 1 }
        }
        self.init(unchecked: (w0, w1, w2, w3))
    }

    /// Lanes from 16 state words in `withWords`' layout (word w of lane j at `words[4 w + j]`), for
    /// builds in C that seed them (`ReleaseKernel.lanes`).
    /// - Precondition: no lane is all zero (not checked).
    @inlinable
    public init(words: UnsafePointer<UInt64>) {
        let raw = UnsafeRawPointer(words)
        self.init(unchecked: (raw.loadUnaligned(as: Words.self), raw.loadUnaligned(fromByteOffset: 32, as: Words.self),
                              raw.loadUnaligned(fromByteOffset: 64, as: Words.self),
                              raw.loadUnaligned(fromByteOffset: 96, as: Words.self)))
    }

    /// Lanes from state words the caller has made nonzero in every lane.
    @inlinable
    init(unchecked state: (Words, Words, Words, Words)) {
        (s0, s1, s2, s3) = state
    }
}

extension RandomStream {
    /// The scalar stream of `key` at event `event` for the part of a row that starts `offset`
    /// synapses into it: its four state words are blocks 2 offset and 2 offset + 1 of (key, event)
    /// (the releases that are not drawn in lanes; docs/DESIGN.md, Randomness).
    /// - Precondition: offset < 2^31.
    /// - Complexity: O(1): two Philox4x32-10 blocks.
    @inlinable
    public init(key: CounterKey, event: UInt32, offset: Int) {
        precondition(offset >= 0 && offset < 1 << 31, "a row part's offset must be below 2^31")
        let first = UInt32(truncatingIfNeeded: offset) &* 2
        let a = key.block(event: event, block: first), b = key.block(event: event, block: first &+ 1)
        var words = (UInt64(a.0) << 32 | UInt64(a.1), UInt64(a.2) << 32 | UInt64(a.3),
                     UInt64(b.0) << 32 | UInt64(b.1), UInt64(b.2) << 32 | UInt64(b.3))
        if words.0 | words.1 | words.2 | words.3 == 0 { words.0 = 1 }
        self.init(state: words)
    }
}
