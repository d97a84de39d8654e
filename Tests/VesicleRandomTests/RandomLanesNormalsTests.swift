import Foundation
import XCTest
@testable import VesicleRandom

final class RandomLanesNormalsTests: XCTestCase {
    static func draw(_ pairs: Int, seed: UInt64) -> (first: [Double], second: [Double]) {
        var lanes = RandomLanes(seed: seed, purpose: .release)
        var first: [Double] = [], second: [Double] = []
        first.reserveCapacity(4 * pairs)
        second.reserveCapacity(4 * pairs)
        for _ in 0..<pairs {
            let (a, b) = lanes.nextNormals()
            for j in 0..<4 { first.append(a[j]); second.append(b[j]) }
        }
        return (first, second)
    }

    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Kolmogorov-Smirnov against Phi, n = 200 000 (seed 17): D below the alpha = 1e-3 critical value
    /// 1.9495 / sqrt(n) (asymptotic Kolmogorov quantile).
    func testKolmogorovSmirnovAgainstStandardNormal() {
        let (a, b) = Self.draw(25_000, seed: 17)
        let samples = (a + b).sorted()
        let n = Double(samples.count)
        var d = 0.0
        for (i, x) in samples.enumerated() {
            let phi = Self.normalCDF(x)
            d = max(d, phi - Double(i) / n, Double(i + 1) / n - phi)
        }
        XCTAssertLessThan(d, 1.9495 / n.squareRoot())
    }

    /// Tails: the counts of |x| > 3 and |x| > 4 among n = 1 600 000 normals (seed 19) against
    /// n erfc(k / sqrt 2), to 5 binomial standard deviations (false-failure rate ~6e-7 each); no
    /// sample beyond the stated truncation 8.49.
    func testTailMassesMatchClosedForm() {
        let (a, b) = Self.draw(200_000, seed: 19)
        let samples = a + b
        let n = Double(samples.count)
        for k in [3.0, 4.0] {
            let p = erfc(k / 2.0.squareRoot())
            let count = Double(samples.count(where: { abs($0) > k }))
            XCTAssertEqual(count, n * p, accuracy: 5 * (n * p * (1 - p)).squareRoot(), "beyond \(k) sd")
        }
        XCTAssertLessThanOrEqual(samples.map(abs).max()!, RandomLanes.normalTruncation)
        XCTAssertEqual(RandomLanes.normalTruncation, (-2 * log(0x1p-52)).squareRoot(), accuracy: 1e-12)
    }

    /// The two halves of a pair (r cos theta, r sin theta) are uncorrelated, and so are neighbouring
    /// lanes: sample correlations below 5 / sqrt(n) (n = 100 000, seed 23; the estimator's sd under
    /// independence is 1/sqrt(n)).
    func testPairHalvesAndLanesUncorrelated() {
        let (a, b) = Self.draw(25_000, seed: 23)
        let n = Double(a.count)
        let cross = zip(a, b).map { $0 * $1 }.reduce(0, +) / n
        XCTAssertLessThan(abs(cross), 5 / n.squareRoot())
        let neighbours = zip(a, a.dropFirst()).map { $0 * $1 }.reduce(0, +) / n
        XCTAssertLessThan(abs(neighbours), 5 / n.squareRoot())
    }
}
