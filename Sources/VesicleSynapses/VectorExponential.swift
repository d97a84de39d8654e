#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleRandom

/// e^x for four doubles at once, for log-normal releases in batches (MODEL.md §3, posterior
/// sampling: w = exp(mu + sqrt(sigma2) xi)). Within 1 ulp of libm (checked in `VectorExponentialTests`).
///
/// x = n ln2 + r with n = round(x / ln2) and |r| <= ln2/2 (+ rounding); e^r is its Taylor polynomial
/// through r^13 (truncation below 4.2e-18 relative), and 2^n is put into the exponent bits. The
/// rounding to n adds 1.5 * 2^52 instead of calling `rounded()`, which is a libm call on the
/// baseline x86-64 target; and it keeps every step a vector multiply, add or bit operation. A vector
/// with any lane outside [-708, 708] (subnormal or infinite results, NaN) is computed lane by lane by libm.
@inlinable @inline(__always)
public func vectorExponential(_ x: SIMD4<Double>) -> SIMD4<Double> {
    guard all((x .>= -708) .& (x .<= 708)) else {
        return SIMD4(exp(x[0]), exp(x[1]), exp(x[2]), exp(x[3]))
    }
    return signedVectorExponential(x, negative: false)
}

/// e^x, or -e^x when `negative`, for four doubles that all lie in [-708, 708] (the caller checks,
/// once for many vectors: a row's releases are bounded by its posterior, MODEL.md §3). Bit for bit
/// `vectorExponential(x)`, negated when `negative`; the sign costs nothing, it is set in the scale.
@inlinable @inline(__always)
public func signedVectorExponential(_ x: SIMD4<Double>, negative: Bool) -> SIMD4<Double> {
    typealias F = VectorElementaryFunctions
    let shifter = 6_755_399_441_055_744.0  // 1.5 * 2^52: adding it rounds to an integer (ties to even)
    let t = x * (1 / M_LN2) + shifter
    let n = t - shifter
    let r = (x - n * F.ln2High) - n * F.ln2Low
    var p = SIMD4<Double>(repeating: 1.0 / 6_227_020_800)  // 1/13!
    p = p * r + 1.0 / 479_001_600
    p = p * r + 1.0 / 39_916_800
    p = p * r + 1.0 / 3_628_800
    p = p * r + 1.0 / 362_880
    p = p * r + 1.0 / 40320
    p = p * r + 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    // e^r = 1 + (r + r^2 p): the small part summed first, the 1 added last.
    let expR = 1 + (r + (r * r) * p)
    // The low 12 bits of t hold n + 2^51 (mod 2^12), n in two's complement, so those of t + 1023
    // hold n + 1023, in [1, 2046] for |n| <= 1022: shifted by 52 it is the exponent of 2^n. Another
    // 2048 (bit 11) lands on bit 63, the sign: -2^n, and the product is exactly -(e^r 2^n).
    let bias: UInt64 = negative ? 1023 + 2048 : 1023
    let scale = F.double((F.bits(t) &+ bias) &<< 52)
    return expR * scale
}
