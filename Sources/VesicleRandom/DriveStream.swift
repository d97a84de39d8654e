/// The stream of one Poisson train (a neuron's external drive, a Poisson source neuron): arrival n of
/// the train depends only on (seed, purpose, entity, index, n), not on partitioning, thread count or
/// on how the run was cut by checkpoints (issue 13 item 3; docs/DESIGN.md, Randomness).
///
/// Arrivals come in blocks of `blockSize`. At the first arrival of block k the generator is re-keyed:
/// Philox4x32-10 of the counter (k mod 2^32, k >> 32, index, purpose << 24 | entity) under the seed
/// gives the 128-bit state of a xoroshiro128++ generator (Blackman & Vigna 2018), which supplies
/// every word of the block's arrivals, however many a rejection sampler takes. So the counter-based
/// key fixes each block, and within a block a cheap generator does the work: one Philox block per
/// `blockSize` arrivals, 1/1024 of a block per arrival.
///
/// 32 bytes (the generator, the arrival ordinal, the key's index words), so that it fits the drive's
/// slot of a `lif_delta` neuron's cache line; the seed is not stored: the owner passes it to
/// `beginArrival`, from a register, because it is the same for every stream of a run.
public struct DriveStream: RandomNumberGenerator, Sendable {
    /// log2 of the arrivals per block.
    public static let blockShift: UInt64 = 10
    public static let blockSize: UInt64 = 1 << blockShift
    @usableFromInline static let blockMask: UInt64 = blockSize - 1

    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    /// Arrivals begun so far: the next arrival's ordinal.
    public var arrivals: UInt64 { ordinal }
    @usableFromInline var ordinal: UInt64
    /// The key's counter words 2 and 3: index | (purpose << 24 | entity) << 32, one register.
    @usableFromInline let keyWords: UInt64

    /// The stream of train `index` of `entity` for `purpose`, before its first arrival.
    /// - Precondition: entity < 2^24 (the purpose fills the counter word's top byte, as in `CounterKey`).
    /// - Complexity: O(1); no block is computed until the first arrival.
    public init(purpose: StreamPurpose, entity: UInt32, index: UInt32) {
        precondition(entity < 1 << 24, "a drive stream's entity must be below 2^24")
        precondition(purpose.rawValue < 256)
        s0 = 0
        s1 = 0
        ordinal = 0
        keyWords = UInt64(index) | UInt64(UInt32(truncatingIfNeeded: purpose.rawValue) << 24 | entity) << 32
    }

    /// The same stream positioned before arrival `arrivals`, with the generator state it has there
    /// (`generatorState`): a checkpoint's restore. An ordinal inside a block needs the state it was
    /// saved with; at a block boundary the state is recomputed from the key anyway.
    /// - Complexity: O(1).
    public init(purpose: StreamPurpose, entity: UInt32, index: UInt32, arrivals: UInt64,
                generatorState: (UInt64, UInt64)) {
        self.init(purpose: purpose, entity: entity, index: index)
        ordinal = arrivals
        (s0, s1) = generatorState
    }

    /// The xoroshiro128++ state (for checkpoints).
    public var generatorState: (UInt64, UInt64) { (s0, s1) }

    /// Starts the next arrival: re-keys the generator at a block's first arrival. Every arrival's
    /// draws must follow one call, and only one.
    /// - Complexity: O(1); one Philox block every `blockSize` calls.
    /// `seed` is evaluated only at a block's first arrival, so a hot loop does not load it per arrival.
    @inlinable @inline(__always)
    public mutating func beginArrival(seed: @autoclosure () -> UInt64) {
        // One arrival in 1024: marked rare so that the hot loops keep their registers around it.
        if _slowPath(ordinal & Self.blockMask == 0) {
            (s0, s1) = Self.blockState(ordinal: ordinal, keyWords: keyWords, seed: seed())
        }
        ordinal &+= 1
    }

    /// The generator state of the block holding arrival `ordinal`. Out of line and on plain words, so
    /// that a hot loop keeps the stream in registers around the rare call.
    /// - Complexity: O(1), one Philox4x32-10 block.
    @inline(never) @usableFromInline
    static func blockState(ordinal: UInt64, keyWords: UInt64, seed: UInt64) -> (UInt64, UInt64) {
        let block = ordinal >> blockShift
        let b = Philox4x32.block(counter: (UInt32(truncatingIfNeeded: block), UInt32(truncatingIfNeeded: block >> 32),
                                           UInt32(truncatingIfNeeded: keyWords), UInt32(truncatingIfNeeded: keyWords >> 32)),
                                 key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
        let s0 = UInt64(b.0) << 32 | UInt64(b.1), s1 = UInt64(b.2) << 32 | UInt64(b.3)
        // xoroshiro's one forbidden state: probability 2^-128.
        return s0 | s1 == 0 ? (1, 0) : (s0, s1)
    }

    /// The next 64-bit word of the current arrival's block (xoroshiro128++).
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let a = s0, b = s1
        let sum = a &+ b
        let result = (sum << 17 | sum >> 47) &+ a
        let x = b ^ a
        s0 = (a << 49 | a >> 15) ^ x ^ (x << 21)
        s1 = x << 28 | x >> 36
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on (0, 1]: safe to take the logarithm of.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double { Double((next() >> 11) &+ 1) * 0x1.0p-53 }

    /// Exponential with rate 1 by the ziggurat (`ExponentialZiggurat`), the tables passed in so that a
    /// hot loop skips the lazy globals' checks; the same steps as `zigguratExponential`.
    /// - Complexity: O(1) expected, about 1.02 words.
    @inlinable @inline(__always)
    public mutating func exponential(layers x: UnsafePointer<Double>, densities f: UnsafePointer<Double>) -> Double {
        let bits = next()
        let i = Int(bits & 0xFF)
        let candidate = Double(bits >> 11) * 0x1.0p-53 * x[i]
        if candidate < x[i + 1] { return candidate }
        return zigguratExponentialRejected(candidate, layer: i, &self)
    }

    /// The interval to the next arrival of a train of mean interval `meanInterval`: begins the arrival
    /// and draws its exponential.
    /// - Complexity: O(1) expected.
    /// `begun`: the arrival has been begun already (its other draws came first).
    @inlinable @inline(__always)
    public mutating func interval(meanInterval: Double, seed: UInt64, begun: Bool = false) -> Double {
        if !begun { beginArrival(seed: seed) }
        return exponential(layers: ExponentialZiggurat.layers, densities: ExponentialZiggurat.densities) * meanInterval
    }

    /// A Lomax variate from `z` (the fused drive's step on the scaled clock): the same steps as
    /// `RandomStream.lomax`, the rejections out of line.
    /// - Complexity: O(1) expected.
    @inlinable @inline(__always)
    public mutating func lomax(_ z: LomaxZigguratTables) -> Double {
        let bits = next()
        let layer = Int(bits & 0xFF)
        let y = Double(bits >> 11) * 0x1.0p-53 * z.layers[layer]
        if y < z.layers[layer + 1] { return y }
        let (draw, after) = z.rejected(y, layer: layer, from: self)
        self = after
        return draw
    }
}

/// The exponential ziggurat's slow path after a first candidate failed the fast test: the tail
/// (memorylessness: r plus a fresh exponential) or the wedge test, then fresh draws. Out of line.
@inline(never) @usableFromInline
func zigguratExponentialRejected(_ first: Double, layer firstLayer: Int, _ g: inout DriveStream) -> Double {
    let x = ExponentialZiggurat.layers, f = ExponentialZiggurat.densities
    var offset = 0.0, candidate = first, i = firstLayer
    while true {
        if i == 0 {
            offset += ExponentialZiggurat.r
        } else if f[i] + g.uniform() * (f[i + 1] - f[i]) < exp(-candidate) {
            return offset + candidate
        }
        let bits = g.next()
        i = Int(bits & 0xFF)
        candidate = Double(bits >> 11) * 0x1.0p-53 * x[i]
        if candidate < x[i + 1] { return offset + candidate }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
