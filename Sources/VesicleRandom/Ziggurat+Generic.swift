#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The normal and exponential ziggurats of `NormalZiggurat` and `ExponentialZiggurat` written for any
// generator, with the same tables and the same acceptance steps as `RandomStream`'s, so a counter
// stream and the xoshiro stream sample the same way (the counter stream's callers use these; the
// xoshiro stream keeps its own copies, whose draw order the release kernels pin).

/// Standard normal by the ziggurat method (Marsaglia & Tsang 2000), exact in distribution.
/// - Complexity: O(1) expected; 1.02 words per draw on average.
@inlinable
public func zigguratNormal<G: RandomNumberGenerator>(_ g: inout G) -> Double {
    let x = NormalZiggurat.layers, f = NormalZiggurat.densities
    while true {
        let bits = g.next()
        let i = Int(bits & 0xFF)
        let sign: Double = bits & 0x100 == 0 ? 1 : -1
        let u = Double(bits >> 11) * 0x1.0p-53
        let candidate = u * x[i]
        if candidate < x[i + 1] { return sign * candidate }
        if i == 0 {
            // Tail beyond r (Marsaglia 1964): exact.
            while true {
                let a = -log(Double((g.next() >> 11) &+ 1) * 0x1.0p-53) / NormalZiggurat.r
                let b = -log(Double((g.next() >> 11) &+ 1) * 0x1.0p-53)
                if 2 * b > a * a { return sign * (NormalZiggurat.r + a) }
            }
        }
        let v = Double(g.next() >> 11) * 0x1.0p-53
        if f[i] + v * (f[i + 1] - f[i]) < exp(-candidate * candidate / 2) { return sign * candidate }
    }
}

/// Exponential with rate 1 by the ziggurat method, exact in distribution.
/// - Complexity: O(1) expected.
@inlinable
public func zigguratExponential<G: RandomNumberGenerator>(_ g: inout G) -> Double {
    let x = ExponentialZiggurat.layers, f = ExponentialZiggurat.densities
    var offset = 0.0
    while true {
        let bits = g.next()
        let i = Int(bits & 0xFF)
        let u = Double(bits >> 11) * 0x1.0p-53
        let candidate = u * x[i]
        if candidate < x[i + 1] { return offset + candidate }
        if i == 0 {
            // The tail beyond r is r plus a fresh exponential (memorylessness).
            offset += ExponentialZiggurat.r
            continue
        }
        let v = Double(g.next() >> 11) * 0x1.0p-53
        if f[i] + v * (f[i + 1] - f[i]) < exp(-candidate) { return offset + candidate }
    }
}
