#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleRandom

/// e^x for four doubles at once, for log-normal releases in batches (docs/MODEL.md §3, posterior
/// sampling: w = exp(mu + sqrt(sigma2) xi)). Within 1 ulp of libm (checked in `VectorExponentialTests`).
/// A vector with any lane outside [-708, 708] (subnormal or infinite results, NaN) is computed lane by
/// lane by libm; the others by `signedVectorExponential`.
@inlinable @inline(__always)
public func vectorExponential(_ x: SIMD4<Double>) -> SIMD4<Double> {
    guard all((x .>= -708) .& (x .<= 708)) else {
        return SIMD4(exp(x[0]), exp(x[1]), exp(x[2]), exp(x[3]))
    }
    return signedVectorExponential(x, negative: false, table: ExponentialTable.values)
}

/// e^x, or -e^x when `negative`, for four doubles that all lie in [-708, 708] (the caller checks,
/// once for many vectors: a row's releases are bounded by its posterior, docs/MODEL.md §3); `table` is
/// `ExponentialTable.values`, read once by the caller. Bit for bit `vectorExponential(x)`, negated
/// when `negative`: the sign is set in the scale.
///
/// x = (32 n + j) ln2/32 + r with 32 n + j = round(32 x / ln2), 0 <= j < 32 and |r| <= ln2/64
/// (+ rounding); e^x = 2^n 2^(j/32) e^r, with 2^(j/32) from the table as a sum of two doubles and
/// e^r - 1 its Taylor polynomial through r^6 (truncation below 3.5e-18 relative). The rounding
/// adds 1.5 * 2^52 instead of calling `rounded()`, a libm call on the baseline x86-64 target, so
/// every step is a vector multiply, add or bit operation, but for the four table reads.
@inlinable @inline(__always)
public func signedVectorExponential(_ x: SIMD4<Double>, negative: Bool,
                                    table: UnsafePointer<Double>) -> SIMD4<Double> {
    typealias F = VectorElementaryFunctions
    let shifter = 6_755_399_441_055_744.0  // 1.5 * 2^52: adding it rounds to an integer (ties to even)
    let t = x * ExponentialTable.thirtyTwoOverLn2 + shifter
    let k = t - shifter
    let r = (x - k * ExponentialTable.ln2Over32High) - k * ExponentialTable.ln2Over32Low
    // The low bits of t hold k + 2^51: j = k mod 32 is its low five bits.
    let j = (F.bits(t) & 31) &<< 1
    let j0 = Int(truncatingIfNeeded: j[0]), j1 = Int(truncatingIfNeeded: j[1])
    let j2 = Int(truncatingIfNeeded: j[2]), j3 = Int(truncatingIfNeeded: j[3])
    let high = SIMD4(table[j0], table[j1], table[j2], table[j3])
    let low = SIMD4(table[j0 + 1], table[j1 + 1], table[j2 + 1], table[j3 + 1])
    var p = SIMD4<Double>(repeating: 1.0 / 720)
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    // e^r - 1 = r + r^2 p; 2^(j/32) e^r = high + (low + high (e^r - 1)), the small parts first.
    let expRMinusOne = r + (r * r) * p
    let mantissa = high + (low + high * expRMinusOne)
    // t >> 5 holds floor(k / 32) + 2^46 in its low bits, so the low 12 bits of (t >> 5) + 1023 hold
    // n + 1023, in [1, 2046] for |x| <= 708: shifted by 52 it is the exponent of 2^n. Another 2048
    // (bit 11) lands on bit 63, the sign: -2^n, and the product is exactly -(mantissa 2^n).
    let bias: UInt64 = negative ? 1023 + 2048 : 1023
    let scale = F.double(((F.bits(t) &>> 5) &+ bias) &<< 52)
    return mantissa * scale
}

/// The table and constants of `signedVectorExponential`.
public enum ExponentialTable {
    /// 32 / ln 2, rounded.
    public static var thirtyTwoOverLn2: Double {
        @inlinable @inline(__always) get { 0x1.71547652b82fep+5 }
    }
    /// ln2/32 = ln2Over32High + ln2Over32Low: the high part has 38 significant bits, so k times it is
    /// exact for |k| < 2^15 (|x| <= 708 gives |k| <= 32 686); the low part is the rest, rounded.
    public static var ln2Over32High: Double {
        @inlinable @inline(__always) get { 0x1.62e42fefa0000p-6 }
    }
    public static var ln2Over32Low: Double {
        @inlinable @inline(__always) get { 0x1.cf79abc9e3b3ap-45 }
    }

    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    /// 2^(j/32) for j = 0 ..< 32 as (high, low) pairs: high is 2^(j/32) rounded to a double and low
    /// the rest rounded, from 200-bit values (mpmath); checked against Float80 in the tests.
    nonisolated(unsafe) public static let values: UnsafePointer<Double> = {
        let pairs: [Double] = [
            0x1.0000000000000p+0, 0x0.0p+0, 0x1.059b0d3158574p+0, 0x1.d73e2a475b465p-55,
            0x1.0b5586cf9890fp+0, 0x1.8a62e4adc610bp-54, 0x1.11301d0125b51p+0, -0x1.6c51039449b3ap-54,
            0x1.172b83c7d517bp+0, -0x1.19041b9d78a76p-55, 0x1.1d4873168b9aap+0, 0x1.e016e00a2643cp-54,
            0x1.2387a6e756238p+0, 0x1.9b07eb6c70573p-54, 0x1.29e9df51fdee1p+0, 0x1.612e8afad1255p-55,
            0x1.306fe0a31b715p+0, 0x1.6f46ad23182e4p-55, 0x1.371a7373aa9cbp+0, -0x1.63aeabf42eae2p-54,
            0x1.3dea64c123422p+0, 0x1.ada0911f09ebcp-55, 0x1.44e086061892dp+0, 0x1.89b7a04ef80d0p-59,
            0x1.4bfdad5362a27p+0, 0x1.d4397afec42e2p-56, 0x1.5342b569d4f82p+0, -0x1.07abe1db13cadp-55,
            0x1.5ab07dd485429p+0, 0x1.6324c054647adp-54, 0x1.6247eb03a5585p+0, -0x1.383c17e40b497p-54,
            0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54, 0x1.71f75e8ec5f74p+0, -0x1.16e4786887a99p-55,
            0x1.7a11473eb0187p+0, -0x1.41577ee04992fp-55, 0x1.82589994cce13p+0, -0x1.d4c1dd41532d8p-54,
            0x1.8ace5422aa0dbp+0, 0x1.6e9f156864b27p-54, 0x1.93737b0cdc5e5p+0, -0x1.75fc781b57ebcp-57,
            0x1.9c49182a3f090p+0, 0x1.c7c46b071f2bep-56, 0x1.a5503b23e255dp+0, -0x1.d2f6edb8d41e1p-54,
            0x1.ae89f995ad3adp+0, 0x1.7a1cd345dcc81p-54, 0x1.b7f76f2fb5e47p+0, -0x1.5584f7e54ac3bp-56,
            0x1.c199bdd85529cp+0, 0x1.11065895048ddp-55, 0x1.cb720dcef9069p+0, 0x1.503cbd1e949dbp-56,
            0x1.d5818dcfba487p+0, 0x1.2ed02d75b3707p-55, 0x1.dfc97337b9b5fp+0, -0x1.1a5cd4f184b5cp-54,
            0x1.ea4afa2a490dap+0, -0x1.e9c23179c2893p-54, 0x1.f50765b6e4540p+0, 0x1.9d3e12dd8a18bp-54,
        ]
        let table = UnsafeMutablePointer<Double>.allocate(capacity: pairs.count)
        table.initialize(from: pairs, count: pairs.count)
        return UnsafePointer(table)
    }()
}
