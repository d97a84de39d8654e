import Foundation
import XCTest
import VesicleRandom

/// Binomial variates (inversion for small means, BTRS for large) and multinomial counts against the
/// exact distributions: Pearson chi-square goodness of fit, seeded. The six binomial cases are tested
/// at alpha = 1e-4 each (family-wise 6e-4), the others at 0.001; chi-square quantiles from the
/// Wilson-Hilferty approximation, accurate to < 1 % at these degrees of freedom.
final class BinomialTests: XCTestCase {
    /// Upper alpha quantile of chi-square with `k` degrees of freedom; z = 3.0902 is alpha = 0.001,
    /// z = 3.7190 alpha = 1e-4.
    static func chiSquareQuantile999(_ k: Int, z: Double = 3.0902) -> Double {
        let d = Double(k)
        let c = 1 - 2 / (9 * d) + z * (2 / (9 * d)).squareRoot()
        return d * c * c * c
    }

    static func logPMF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        let logCoefficient: Double = lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
        let logPower: Double = Double(k) * log(p) + Double(n - k) * log1p(-p)
        return logCoefficient + logPower
    }

    /// Chi-square statistic and degrees of freedom of `draws` against Binomial(n, p), cells merged from
    /// both tails until each expects at least 5.
    static func chiSquare(_ draws: [Int], n: Int, p: Double) -> (statistic: Double, dof: Int) {
        var counts: [Int: Int] = [:]
        for k in draws { counts[k, default: 0] += 1 }
        let total = Double(draws.count)
        var cells: [(observed: Double, expected: Double)] = []
        var pendingO = 0.0, pendingE = 0.0
        // Beyond 12 sd from the mean the mass is below 1e-30: draws there join the outermost cells.
        let mean = Double(n) * p, sd = (mean * (1 - p)).squareRoot()
        let low = max(0, Int(mean - 12 * sd - 1)), high = min(n, Int(mean + 12 * sd + 1))
        pendingO = Double(draws.filter { $0 < low }.count)
        for k in low...high {
            pendingO += Double(counts[k] ?? 0) + (k == high ? Double(draws.filter { $0 > high }.count) : 0)
            pendingE += total * exp(logPMF(k, n, p))
            if pendingE >= 5 { cells.append((pendingO, pendingE)); pendingO = 0; pendingE = 0 }
        }
        if !cells.isEmpty { cells[cells.count - 1].observed += pendingO; cells[cells.count - 1].expected += pendingE }
        var statistic = 0.0
        for cell in cells { statistic += (cell.observed - cell.expected) * (cell.observed - cell.expected) / cell.expected }
        return (statistic, cells.count - 1)
    }

    func testBinomialMatchesTheExactDistribution() {
        // (n, p): inversion, BTRS, BTRS with a large n, mirrored p > 1/2, the BTRS threshold.
        let cases: [(Int, Double)] = [(20, 0.3), (1000, 0.3), (10_000_000, 0.0004), (100, 0.9), (40, 0.25), (2_000_000, 0.5)]
        for (index, (n, p)) in cases.enumerated() {
            var rng = RandomStream(seed: 41, purpose: .connectivity, index: UInt64(index))
            let draws = (0..<100_000).map { _ in rng.binomial(n, p) }
            let (statistic, dof) = Self.chiSquare(draws, n: n, p: p)
            XCTAssertLessThan(statistic, Self.chiSquareQuantile999(dof, z: 3.7190), "Binomial(\(n), \(p)): chi-square \(statistic) on \(dof) dof")
            let mean = Double(draws.reduce(0, +)) / Double(draws.count)
            // Mean within 5 standard errors.
            XCTAssertEqual(mean, Double(n) * p, accuracy: 5 * (Double(n) * p * (1 - p) / Double(draws.count)).squareRoot())
        }
    }

    func testBinomialEdges() {
        var rng = RandomStream(seed: 1, purpose: .connectivity)
        XCTAssertEqual(rng.binomial(0, 0.3), 0)
        XCTAssertEqual(rng.binomial(17, 0), 0)
        XCTAssertEqual(rng.binomial(17, 1), 17)
    }

    /// Multinomial counts sum to n exactly, and each cell is Binomial(n, w_i / W) marginally: the
    /// dispersion statistic sum (c_i - n p_i)^2 / (n p_i) over 200 equal cells lies within the
    /// two-sided alpha = 0.002 band of chi-square(199) (a chain of conditional binomials that got the
    /// conditioning wrong would be over- or under-dispersed).
    func testMultinomialTotalsAndDispersion() {
        var rng = RandomStream(seed: 7, purpose: .connectivity)
        let weights = [Double](repeating: 1, count: 200)
        let n = 1_000_000
        let counts = rng.multinomial(n, weights: weights)
        XCTAssertEqual(counts.reduce(0, +), n)
        let expected = Double(n) / 200
        var statistic = 0.0
        for c in counts { statistic += (Double(c) - expected) * (Double(c) - expected) / expected }
        // Wilson-Hilferty quantiles of chi-square(199) at 0.001 and 0.999.
        let d = 199.0
        let base: Double = 1 - 2 / (9 * d) - 3.0902 * (2 / (9 * d)).squareRoot()
        let low = d * base * base * base
        XCTAssertGreaterThan(statistic, low)
        XCTAssertLessThan(statistic, Self.chiSquareQuantile999(199))
        // Unequal weights: cell i expects n w_i / W.
        let uneven = rng.multinomial(300_000, weights: [1, 2, 3, 0, 4])
        XCTAssertEqual(uneven.reduce(0, +), 300_000)
        XCTAssertEqual(uneven[3], 0)
        for (i, w) in [1.0, 2, 3, 0, 4].enumerated() where w > 0 {
            let mean = 300_000 * w / 10
            XCTAssertEqual(Double(uneven[i]), mean, accuracy: 5 * (mean * (1 - w / 10)).squareRoot())
        }
    }
}
