// Vectorised random bits for batch samplers (docs/DESIGN.md, Randomness): the release of a whole
// presynaptic row (docs/MODEL.md §3) draws its normals from four independent generators at once.

/// Four independent xoshiro256++ generators (Blackman & Vigna 2018) advanced together in SIMD lanes.
///
/// xoshiro256++ rather than the scalar streams' xoshiro256**: its output function is an add and a
/// rotation, which vectorise on every x86-64 (there is no 64-bit vector multiply before AVX-512),
/// and all 64 output bits are of full quality. Lane j is an ordinary xoshiro256++ stream; the lanes'
/// states are expanded by SplitMix64 from four outputs of `RandomStream(seed:purpose:index:)`, so
/// lanes of different (seed, purpose, index) are as far apart as the scalar streams are.
public struct RandomLanes: Sendable {
    public typealias Words = SIMD4<UInt64>
    public static let laneCount = Words.scalarCount

    @usableFromInline var s0: Words
    @usableFromInline var s1: Words
    @usableFromInline var s2: Words
    @usableFromInline var s3: Words

    /// Lanes from raw state words, one `Words` per state word (for reference tests). No lane may be all zero.
    public init(state: (Words, Words, Words, Words)) {
        (s0, s1, s2, s3) = state
        precondition(Self.noLaneIsZero(state), "xoshiro lane state must not be all zero")
    }

    /// The lanes for (seed, purpose, index).
    public init(seed: UInt64, purpose: StreamPurpose, index: UInt64 = 0) {
        var keys = RandomStream(seed: seed, purpose: purpose, index: index)
        var words = [Words](repeating: .zero, count: 4)
        for lane in 0..<Self.laneCount {
            var state = keys.next()
            for w in 0..<4 { words[w][lane] = splitMix64(&state) }
            if words[0][lane] | words[1][lane] | words[2][lane] | words[3][lane] == 0 { words[0][lane] = 1 }
        }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }

    /// The state as 16 words, word w of lane j at index 4 w + j, for loops written in C
    /// (`CVesicleVector`) that advance the lanes exactly as `next` does.
    @inlinable
    public mutating func withWords<R>(_ body: (UnsafeMutablePointer<UInt64>) throws -> R) rethrows -> R {
        var words = (s0, s1, s2, s3)
        defer { (s0, s1, s2, s3) = words }
        return try withUnsafeMutableBytes(of: &words) { try body($0.baseAddress!.assumingMemoryBound(to: UInt64.self)) }
    }

    static func noLaneIsZero(_ s: (Words, Words, Words, Words)) -> Bool {
        (0..<laneCount).allSatisfy { s.0[$0] | s.1[$0] | s.2[$0] | s.3[$0] != 0 }
    }

    /// The two shifted parts share no bit, so their sum is their union; written with `|`, LLVM
    /// recognises a rotation and, without a vector rotate before AVX-512, does it lane by lane in
    /// general registers (four extractions, four `rol`, four insertions per vector).
    @inlinable @inline(__always)
    static func rotateLeft(_ x: Words, _ k: UInt64) -> Words {
        (x &<< k) &+ (x &>> (64 - k))
    }

    /// The next output of one lane alone, the others left where they are (for the rare draws that only
    /// one lane needs, so that every lane stays one ordinary stream).
    @inlinable
    public mutating func next(lane: Int) -> UInt64 {
        let (a, b, c, d) = (s0[lane], s1[lane], s2[lane], s3[lane])
        let result = ((a &+ d) << 23 | (a &+ d) >> 41) &+ a
        let t = b << 17
        let c1 = c ^ a, d1 = d ^ b
        let b1 = b ^ c1, a1 = a ^ d1
        s0[lane] = a1
        s1[lane] = b1
        s2[lane] = c1 ^ t
        s3[lane] = d1 << 45 | d1 >> 19
        return result
    }

    /// The next 64-bit output of every lane.
    @inlinable @inline(__always)
    public mutating func next() -> Words {
        let result = Self.rotateLeft(s0 &+ s3, 23) &+ s0
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotateLeft(s3, 45)
        return result
    }
}
