#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// e^x within 2 ulp of libm for |x| < 700, without a library call: every log-normal release of a
/// Bayesian synapse (docs/MODEL.md §3, posterior sampling) costs one exponential, and in a recurrent network
/// that is hundreds of millions a second.
///
/// x = (64k + j) ln2/64 + r with |r| <= ln2/128, so e^x = 2^k 2^{j/64} e^r; 2^{j/64} is tabulated
/// with libm once, e^r is a degree-6 Taylor polynomial (|r| <= 0.0055: truncation below 4e-19 relative), and 2^k is
/// put into the exponent bits directly. Outside |x| < 700 it defers to libm (overflow, subnormals).
@inlinable @inline(__always)
public func fastExponential(_ x: Double) -> Double {
    guard abs(x) < 700 else { return exp(x) }
    let n = (x * (64 / M_LN2)).rounded()
    // ln2/64 split into a high part with trailing zero bits and a small correction, so n * high is exact.
    let r = (x - n * 0.01083042468962958) - n * 6.619564634077006e-12
    let ni = Int(n)
    let j = ni & 63
    let k = (ni - j) >> 6
    let r2 = r * r
    // e^r - 1, summed small terms first; adding the table value last keeps the rounding at the end.
    let small = r + r2 * (0.5 + r * (1.0 / 6) + r2 * (1.0 / 24 + r * (1.0 / 120) + r2 * (1.0 / 720)))
    let twoToK = Double(bitPattern: UInt64(1023 + k) << 52)
    let t = FastExponentialTable.values[j]
    return twoToK * (t + t * small)
}

public enum FastExponentialTable {
    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    nonisolated(unsafe) public static let values: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        for j in 0..<64 { table[j] = exp2(Double(j) / 64) }
        return UnsafePointer(table)
    }()
}
