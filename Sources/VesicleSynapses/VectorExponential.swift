#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleRandom

/// e^x for four doubles at once, for log-normal releases in batches (MODEL.md §3, posterior
/// sampling: w = exp(mu + sqrt(sigma2) xi)). Within 1 ulp of libm (checked in `VectorExponentialTests`).
///
/// x = (64 k + j) ln2/64 + r with |r| <= ln2/128 (+ rounding), so e^x = 2^k 2^(j/64) e^r; 2^(j/64) is
/// read from `table` (`FastExponentialTable.values`, read once per batch), e^r - 1 is its Taylor
/// polynomial through r^6 (truncation below 3e-20 relative), and 2^k goes into the exponent bits. The
/// rounding of 64 x / ln2 adds 1.5 * 2^52 instead of calling `rounded()` (a libm call on the baseline
/// x86-64 target), and k comes from the integer bits by a logical shift after a bias (SSE2 has no
/// 64-bit arithmetic shift). A vector with any lane outside [-708, 708] (subnormal or infinite
/// results, NaN) is computed lane by lane by libm.
@inlinable @inline(__always)
public func vectorExponential(_ x: SIMD4<Double>, table: UnsafePointer<Double>) -> SIMD4<Double> {
    typealias F = VectorElementaryFunctions
    guard all((x .>= -708) .& (x .<= 708)) else {
        return SIMD4(exp(x[0]), exp(x[1]), exp(x[2]), exp(x[3]))
    }
    let shifter = 6_755_399_441_055_744.0  // 1.5 * 2^52: adding it rounds to an integer (ties to even)
    let t = x * (64 / M_LN2) + shifter
    let n = t - shifter
    // ln2/64 in two parts; the high part has 21 significant bits, so n times it is exact.
    let r = (x - n * (F.ln2High / 64)) - n * (F.ln2Low / 64)
    // The low bits of t hold n in two's complement: n = 64 k + j with 0 <= j < 64, |n| < 65 536.
    let integer = F.bits(t) &- F.bits(SIMD4(repeating: shifter))
    let j = integer & 63
    let kPlus1024 = (integer &+ 65_536) &>> 6
    let scale = F.double((kPlus1024 &+ 1023 &- 1024) &<< 52)
    let tj = SIMD4(table[Int(truncatingIfNeeded: j[0])], table[Int(truncatingIfNeeded: j[1])],
                   table[Int(truncatingIfNeeded: j[2])], table[Int(truncatingIfNeeded: j[3])])
    let r2 = r * r
    // e^r - 1, small terms first; the table value is added last so the rounding comes at the end.
    let high: SIMD4<Double> = 1.0 / 24 + r * (1.0 / 120) + r2 * (1.0 / 720)
    let low: SIMD4<Double> = 0.5 + r * (1.0 / 6)
    let small: SIMD4<Double> = r + r2 * (low + r2 * high)
    return scale * (tj + tj * small)
}
