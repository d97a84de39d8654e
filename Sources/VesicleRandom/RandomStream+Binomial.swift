// Exact binomial variates, for multinomial synapse counts (`fixed_total_number`, docs/LANGUAGE.md).
//
// Small means (n min(p, 1-p) < 10) use inversion by sequential search from 0; larger ones use BTRS,
// the transformed rejection with squeeze of Hörmann (1993), "The generation of binomial random
// variates", J. Statist. Comput. Simul. 46:101-110, whose acceptance test compares against the exact
// log-probability (log-gamma), so the variates are exact in distribution. Expected cost O(1) per
// variate for large means, O(n p) for small.

import Foundation

extension RandomStream {
    /// One draw of Binomial(n, p).
    /// - Complexity: O(1) expected when n min(p, 1-p) >= 10, O(n min(p, 1-p)) otherwise.
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        precondition(n >= 0 && p >= 0 && p <= 1, "binomial(\(n), \(p))")
        if n == 0 || p == 0 { return 0 }
        if p == 1 { return n }
        if p > 0.5 { return n - binomial(n, 1 - p) }
        if Double(n) * p < 10 { return binomialInversion(n, p) }
        return binomialBTRS(n, p)
    }

    /// Inversion: walk the cumulative distribution from k = 0 with the pmf recurrence.
    private mutating func binomialInversion(_ n: Int, _ p: Double) -> Int {
        let q = 1 - p
        let ratio = p / q
        while true {
            var u = uniform()
            var k = 0
            var pmf = Foundation.exp(Double(n) * Foundation.log1p(-p))
            while u > pmf {
                u -= pmf
                k += 1
                if k > n { break }  // rounding left u above the total mass: draw again
                pmf *= ratio * Double(n - k + 1) / Double(k)
            }
            if k <= n { return k }
        }
    }

    /// BTRS (p <= 1/2, n p >= 10).
    private mutating func binomialBTRS(_ n: Int, _ p: Double) -> Int {
        let q = 1 - p
        let nd = Double(n)
        let spq = (nd * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = nd * p + 0.5
        let vr = 0.92 - 4.2 / b
        let alpha = (2.83 + 5.1 / b) * spq
        let lpq = Foundation.log(p / q)
        let m = ((nd + 1) * p).rounded(.down)
        let h = Foundation.lgamma(m + 1) + Foundation.lgamma(nd - m + 1)
        while true {
            let u = uniform() - 0.5
            var v = uniform()
            let us = 0.5 - abs(u)
            let kd = ((2 * a / us + b) * u + c).rounded(.down)
            if kd < 0 || kd > nd { continue }
            if us >= 0.07 && v <= vr { return Int(kd) }
            v = Foundation.log(v * alpha / (a / (us * us) + b))
            if v <= h - Foundation.lgamma(kd + 1) - Foundation.lgamma(nd - kd + 1) + (kd - m) * lpq {
                return Int(kd)
            }
        }
    }

    /// Multinomial counts of `n` items over cells with the given weights (not necessarily normalised),
    /// drawn as a chain of conditional binomials: cell i gets Binomial(remaining, w_i / W_remaining).
    /// - Complexity: O(cells) binomial draws.
    public mutating func multinomial(_ n: Int, weights: [Double]) -> [Int] {
        var remainingWeight = weights.reduce(0, +)
        var remaining = n
        var counts = [Int](repeating: 0, count: weights.count)
        for i in weights.indices {
            if remaining == 0 { break }
            let w = weights[i]
            if i == weights.count - 1 || w >= remainingWeight {
                counts[i] = remaining
                remaining = 0
                break
            }
            let c = w <= 0 ? 0 : binomial(remaining, min(1, w / remainingWeight))
            counts[i] = c
            remaining -= c
            remainingWeight -= w
        }
        return counts
    }
}
