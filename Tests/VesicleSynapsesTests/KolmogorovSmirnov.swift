// The one-sample Kolmogorov-Smirnov test, written here so the release tests depend on nothing else.

import Foundation

enum KolmogorovSmirnov {
    /// D_n = sup_x |F_n(x) - F(x)| for the empirical distribution of `samples`.
    static func statistic(_ samples: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = samples.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// Asymptotic p-value P(D_n >= d) from Kolmogorov's limit law,
    /// Q(t) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 t^2), with Stephens' finite-n correction
    /// t = (sqrt n + 0.12 + 0.11/sqrt n) d.
    static func pValue(statistic d: Double, count: Int) -> Double {
        let rn = Double(count).squareRoot()
        let t = (rn + 0.12 + 0.11 / rn) * d
        if t < 0.2 { return 1 }
        var q = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * t * t)
            q += (k % 2 == 1 ? 2 : -2) * term
            if term < 1e-17 { break }
        }
        return min(1, max(0, q))
    }

    /// Standard normal distribution function.
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
}
