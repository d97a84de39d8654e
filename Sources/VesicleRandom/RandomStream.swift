// Random streams (docs/DESIGN.md, Randomness): one user seed, independent streams per purpose and index,
// so that a result never depends on iteration order, on which recorders exist, or on thread count.
//
// Generator: xoshiro256** (Blackman & Vigna 2018), seeded by SplitMix64. Both are tiny, fast and
// have published reference outputs, which the tests check.

/// What a stream is used for. Distinct purposes never share a stream, whatever the indices.
public enum StreamPurpose: UInt64, Sendable {
    case connectivity = 1
    case initialState = 2
    case externalInput = 3
    case poissonSource = 4
    case release = 5
    case teacher = 6
    case feedbackNoise = 7
    case escapeNoise = 8
    case weights = 9
    case delays = 10
    case posteriorInit = 11
    case rates = 12
    /// The sources of one target of a projection: index (projection << 32) | target, so that a
    /// partition can draw the synapses of its own targets alone (`fixed_total_number`).
    case targetSources = 13
    /// Bayesian releases drawn from counters (`CounterKey`, entity the projection, index the source
    /// row, event the row's spike ordinal; docs/DESIGN.md, Randomness). `release` remains the
    /// purpose of the xoshiro streams the synapse experiments draw releases from.
    case bayesianRelease = 14
    /// The candidates of a rate-modulated Poisson input's trains (`DriveStream`, entity the input).
    case modulatedPoisson = 15
    /// The values of a Gaussian noise current (`noise(mean, std, dt)`, NEST noise_generator): entity
    /// the input, index the input's target neuron, event and block the step pair (`NoiseCurrents`).
    case noiseCurrent = 16
}

/// SplitMix64: used only to expand seeds into generator state.
@inlinable
public func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// xoshiro256**: a 256-bit-state generator with period 2^256 - 1.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A stream from raw state words (for reference-vector tests).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
        precondition(s0 | s1 | s2 | s3 != 0, "xoshiro state must not be all zero")
    }

    /// The stream for (seed, purpose, index). Mixing each component through SplitMix64 before combining
    /// keeps nearby seeds and indices far apart in state space.
    public init(seed: UInt64, purpose: StreamPurpose, index: UInt64 = 0) {
        var mixer = seed
        var key = splitMix64(&mixer)
        var p = purpose.rawValue &* 0xD1B5_4A32_D192_ED03
        key ^= splitMix64(&p)
        var i = index &* 0xAEF1_7502_108E_F2D9 &+ 0x632B_E59B_D9B4_E019
        key ^= splitMix64(&i)
        var state = key
        s0 = splitMix64(&state)
        s1 = splitMix64(&state)
        s2 = splitMix64(&state)
        s3 = splitMix64(&state)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on (0, 1]: safe to take the logarithm of.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double {
        Double((next() >> 11) &+ 1) * 0x1.0p-53
    }

    /// Exponential with rate 1 (inversion: exact in distribution up to the 53-bit uniform grid).
    @inlinable @inline(__always)
    public mutating func exponential() -> Double {
        -log(uniformPositive())
    }

    /// Standard normal by the ziggurat method (`NormalZiggurat`): exact in distribution and several
    /// times faster than the Box-Muller transform it replaced; no state beyond the generator's.
    @inlinable
    public mutating func normal() -> Double { normalZiggurat() }

}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
