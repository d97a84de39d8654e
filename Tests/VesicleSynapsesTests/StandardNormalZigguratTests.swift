import Foundation
import VesicleRandom
import VesicleSynapses
import XCTest

final class StandardNormalZigguratTests: XCTestCase {
    /// 100 000 draws pass a Kolmogorov-Smirnov test against Phi (seed 61, alpha = 1e-3).
    func testPassesKolmogorovSmirnovAgainstTheNormal() {
        var rng = RandomStream(seed: 61, purpose: .release)
        let n = 100_000
        let x = (0..<n).map { _ in rng.zigguratNormal() }
        let d = KolmogorovSmirnov.statistic(x, cdf: KolmogorovSmirnov.normalCDF)
        XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: n), 1e-3, "D = \(d)")
    }

    /// The tail beyond r = 3.6541528853610088 (drawn by the separate tail method) has the normal's
    /// mass 2 (1 - Phi(r)) = 2.58e-4: in 10^6 draws (seed 62) the count is within 5 binomial s.d.
    /// (false-failure rate ~6e-7); and so is the count in the wedge-heavy band 1 < |x| < 2.
    func testTailAndShoulderMasses() {
        var rng = RandomStream(seed: 62, purpose: .teacher)
        let n = 1_000_000
        var tail = 0, shoulder = 0
        for _ in 0..<n {
            let x = abs(rng.zigguratNormal())
            if x > 3.6541528853610088 { tail += 1 }
            if x > 1 && x < 2 { shoulder += 1 }
        }
        for (count, p) in [(tail, erfc(3.6541528853610088 / 2.0.squareRoot())),
                           (shoulder, erfc(1 / 2.0.squareRoot()) - erfc(2 / 2.0.squareRoot()))] {
            let expected = Double(n) * p
            XCTAssertEqual(Double(count), expected, accuracy: 5 * (expected * (1 - p)).squareRoot())
        }
    }
}
