#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a counter-based draw belongs to (issue 13 item 3; docs/DESIGN.md, Randomness): the run's
/// seed, the purpose, the entity (a projection or population) and the index within it (a neuron or
/// a synapse row). With the event ordinal and a block number they make Philox's 128-bit counter, so a
/// draw depends only on these numbers: not on partitioning, thread count, iteration order or on
/// what was drawn before.
///
/// Layout, collision-free by construction (no hashing):
/// - key (64 bits) = the seed;
/// - counter = (block, event, index, purpose << 24 | entity): block counts the 128-bit blocks one
///   event consumes, so an event has 2^32 blocks, and a (purpose, entity, index) 2^32 events.
public struct CounterKey: Hashable, Sendable {
    public let seed: UInt64
    public let purpose: StreamPurpose
    public let entity: UInt32
    public let index: UInt32

    /// - Precondition: entity < 2^24 (purposes fill the counter word's top byte).
    public init(seed: UInt64, purpose: StreamPurpose, entity: UInt32 = 0, index: UInt32 = 0) {
        precondition(entity < 1 << 24, "a counter key's entity must be below 2^24")
        precondition(purpose.rawValue < 256)
        self.seed = seed
        self.purpose = purpose
        self.entity = entity
        self.index = index
    }

    /// The key with another index (the next neuron or row).
    /// - Complexity: O(1).
    @inlinable
    public func with(index: UInt32) -> CounterKey {
        CounterKey(seed: seed, purpose: purpose, entity: entity, index: index)
    }

    @inlinable
    var philoxKey: (UInt32, UInt32) { (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)) }

    @inlinable
    var counterHigh: UInt32 { UInt32(truncatingIfNeeded: purpose.rawValue) << 24 | entity }

    /// The draws of event `event` as a stream (a generator that walks the event's blocks).
    /// - Complexity: O(1); no block is computed until the first draw.
    @inlinable
    public func stream(event: UInt32) -> CounterStream {
        CounterStream(key: philoxKey, event: event, index: index, high: counterHigh)
    }

    /// The first block of an event: 128 random bits, computed directly.
    /// - Complexity: O(1), one Philox4x32-10 block.
    @inlinable @inline(__always)
    public func block(event: UInt32, block: UInt32 = 0) -> Philox4x32.Block {
        Philox4x32.block(counter: (block, event, index, counterHigh), key: philoxKey)
    }

    /// Two uniforms on [0, 1) with 53 bits each for one event: a single block.
    /// - Complexity: O(1), one block.
    @inlinable @inline(__always)
    public func uniforms(event: UInt32) -> (Double, Double) {
        let b = block(event: event)
        return (CounterStream.unit(UInt64(b.0) << 32 | UInt64(b.1)), CounterStream.unit(UInt64(b.2) << 32 | UInt64(b.3)))
    }
}

/// The draws of one event of a `CounterKey`: Philox4x32-10 blocks (block 0, 1, ...) consumed as
/// 64-bit words, two per block. A value type: copying it copies the position, never a history.
public struct CounterStream: RandomNumberGenerator, Sendable {
    @usableFromInline let key: (UInt32, UInt32)
    @usableFromInline let event: UInt32
    @usableFromInline let index: UInt32
    @usableFromInline let high: UInt32
    @usableFromInline var nextBlock: UInt32 = 0
    @usableFromInline var spare: UInt64 = 0
    @usableFromInline var hasSpare = false

    @inlinable
    init(key: (UInt32, UInt32), event: UInt32, index: UInt32, high: UInt32) {
        self.key = key
        self.event = event
        self.index = index
        self.high = high
    }

    /// How many blocks the stream has computed.
    public var blocksUsed: UInt32 { nextBlock }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        if hasSpare {
            hasSpare = false
            return spare
        }
        precondition(nextBlock != .max, "an event's counter stream is exhausted (2^32 blocks)")
        let b = Philox4x32.block(counter: (nextBlock, event, index, high), key: key)
        nextBlock &+= 1
        spare = UInt64(b.2) << 32 | UInt64(b.3)
        hasSpare = true
        return UInt64(b.0) << 32 | UInt64(b.1)
    }

    @inlinable @inline(__always)
    static func unit(_ bits: UInt64) -> Double { Double(bits >> 11) * 0x1.0p-53 }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double { Self.unit(next()) }

    /// Uniform on (0, 1]: safe to take the logarithm of.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double { Double((next() >> 11) &+ 1) * 0x1.0p-53 }

    /// Standard normal by the ziggurat (`NormalZiggurat` tables, `zigguratNormal`).
    @inlinable
    public mutating func normal() -> Double { zigguratNormal(&self) }

    /// Exponential with rate 1 by the ziggurat (`ExponentialZiggurat` tables, `zigguratExponential`).
    @inlinable
    public mutating func exponential() -> Double { zigguratExponential(&self) }

}
