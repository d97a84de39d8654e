import CRandom123

/// The counter-based block functions of Random123 (Salmon et al., "Parallel random numbers: as easy
/// as 1, 2, 3", SC'11), through the header-only C library (Debian librandom123-dev): a keyed
/// bijection of a 128-bit counter, so draw number n of any stream is computed directly, with no
/// state and no history (docs/DESIGN.md, Randomness). Round counts are the authors' recommended
/// ones; the known-answer tests pin them to the library's published vectors.
public enum Philox4x32 {
    public typealias Block = (UInt32, UInt32, UInt32, UInt32)

    /// Philox4x32-10 of `counter` under `key`.
    /// - Complexity: O(1): ten rounds of two 32x32->64-bit multiplies.
    @inlinable @inline(__always)
    public static func block(counter: Block, key: (UInt32, UInt32)) -> Block {
        var c = philox4x32_ctr_t()
        c.v = counter
        var k = philox4x32_key_t()
        k.v = key
        return vesicle_philox4x32_10(c, k).v
    }
}

public enum Threefry4x32 {
    public typealias Block = (UInt32, UInt32, UInt32, UInt32)

    /// Threefry4x32-20 of `counter` under a 128-bit `key`.
    /// - Complexity: O(1): twenty add-rotate-xor rounds.
    @inlinable @inline(__always)
    public static func block(counter: Block, key: Block) -> Block {
        var c = threefry4x32_ctr_t()
        c.v = counter
        var k = threefry4x32_key_t()
        k.v = key
        return vesicle_threefry4x32_20(c, k).v
    }
}
