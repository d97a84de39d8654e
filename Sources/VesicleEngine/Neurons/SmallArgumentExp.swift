import Foundation

/// e^x for the arguments of the scaled-potential factors, x = (t - epoch)/tau_m, which lie in
/// [0, window/tau_m] and are usually below 0.1.
///
/// For 0 <= x < 1/8: x = k/2048 + r with |r| <= 1/4096, e^x = T[k] e^r, where T[k] = e^{k/2048} is
/// tabulated with libm once and e^r comes from a degree-5 Taylor polynomial (truncation error
/// r^6/720 < 2e-23, far below one ulp). The result is within 2 ulp of libm's (tested); arguments
/// outside the table go to libm. It is inlined into the delivery loop, where a library call per
/// Poisson arrival was a fifth of the run time and a degree-13 polynomial still a sixth.
@inline(__always)
func smallArgumentExp(_ x: Double) -> Double { smallArgumentExp(x, table: SmallArgumentExpTable.values) }

/// The same with the table passed in: hot loops keep the pointer and skip the lazy global's check.
@inline(__always)
func smallArgumentExp(_ x: Double, table: UnsafePointer<Double>) -> Double {
    guard x >= 0 && x < 0.125 else { return exp(x) }
    // Adding 2^52 rounds `scaled` to the nearest integer and leaves it in the low mantissa bits: the
    // table index without a checked conversion; then |r| <= 1/4096.
    let scaled = x * 2048
    let shifted = scaled + 0x1.0p52
    let k = Int(truncatingIfNeeded: shifted.bitPattern & 0x1FF)
    let r = (scaled - (shifted - 0x1.0p52)) * (1.0 / 2048)
    let r2 = r * r
    let low = 1 + r + r2 * (0.5 + r * (1.0 / 6))
    let high = r2 * r2 * (1.0 / 24 + r * (1.0 / 120))
    return table[k] * (low + high)
}

enum SmallArgumentExpTable {
    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    nonisolated(unsafe) static let values: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        for k in 0...256 { table[k] = exp(Double(k) / 2048) }
        return UnsafePointer(table)
    }()
}

/// e^{-x} for the decay factors of `lif_exp` updates, x = s/tau for an interval s between two events
/// of one neuron or a quiet horizon's span, below 1: the same reduction as `smallArgumentExp` with the
/// table of e^{-k/2048} (2049 entries, 16 KB), e^{-x} = T[k] e^{-r}, |r| <= 1/4096, e^{-r} by its
/// degree-5 Taylor polynomial (truncation below 2e-23). Within 2 ulp of libm's exp(-x) (tested);
/// arguments outside [0, 1) go to libm. The table reaches 1 rather than 1/8 so that the horizons'
/// samples (a few ms over tau_syn) stay off libm, which took a tenth of the lif_exp CUBA run. The microcircuit's updates spent a tenth of their time in libm's exp (perf, 2026-12-02).
@inline(__always)
func smallArgumentDecay(_ x: Double) -> Double { smallArgumentDecay(x, table: SmallArgumentExpTable.decays) }

/// The same with the table passed in: reading the lazy global costs a `swift_once` call per use, which
/// was 4 % of the lif_exp CUBA run's instructions; `SynapticCurrentKernel.decays` keeps the pointer.
@inline(__always)
func smallArgumentDecay(_ x: Double, table: UnsafePointer<Double>) -> Double {
    guard x >= 0 && x < 1 else { return exp(-x) }
    let scaled = x * 2048
    let shifted = scaled + 0x1.0p52
    let k = Int(truncatingIfNeeded: shifted.bitPattern & 0xFFF)
    let r = (scaled - (shifted - 0x1.0p52)) * (1.0 / 2048)
    let r2 = r * r
    // e^{-r} - 1 as a small number, then T + T q: the values lie just below 1, where the ulp is half
    // that of 1, so forming 1 - r first would cost an ulp of the result.
    let q = -r + r2 * (0.5 - r * (1.0 / 6) + r2 * (1.0 / 24 - r * (1.0 / 120)))
    let t = table[k]
    return t + t * q
}

extension SmallArgumentExpTable {
    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    nonisolated(unsafe) static let decays: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 2049)
        for k in 0...2048 { table[k] = exp(-Double(k) / 2048) }
        return UnsafePointer(table)
    }()
}
