// A row part's counter-seeded release lanes (docs/DESIGN.md, Randomness, Bayesian releases), their
// eight Philox4x32-10 blocks computed by a kernel's build: 8 at once with AVX-512, 4 with AVX2, one by
// one in Swift. Integer arithmetic, so every build gives the same lanes.

import CVesicleVector
import VesicleRandom

extension ReleaseKernel {
    /// `RandomLanes(key:event:offset:)`, computed by this kernel's build.
    /// - Precondition: offset < 2^29.
    /// - Complexity: O(1): eight Philox4x32-10 blocks (about 130 instructions with AVX-512).
    @inlinable
    public func lanes(key: CounterKey, event: UInt32, offset: Int) -> RandomLanes {
        if self == .portable { return RandomLanes(key: key, event: event, offset: offset) }
        precondition(offset >= 0 && offset < 1 << 29, "a row part's offset must be below 2^29")
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { words in
            let first = UInt32(truncatingIfNeeded: offset) &* RandomLanes.blocksPerStart
            let high = UInt32(truncatingIfNeeded: key.purpose.rawValue) << 24 | key.entity
            vesicle_philox_lanes(Int32(rawValue), UInt32(truncatingIfNeeded: key.seed),
                                 UInt32(truncatingIfNeeded: key.seed >> 32), first, event, key.index, high,
                                 words.baseAddress!)
            return RandomLanes(words: words.baseAddress!)
        }
    }
}
