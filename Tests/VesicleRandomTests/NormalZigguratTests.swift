import Foundation
import XCTest
@testable import VesicleRandom

final class NormalZigguratTests: XCTestCase {
    /// Every layer has area v: the base (rectangle to r plus the tail integral) and each strip.
    func testLayersHaveEqualArea() {
        let x = NormalZiggurat.layers, v = NormalZiggurat.v, r = NormalZiggurat.r
        let tail = (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        XCTAssertEqual(r * exp(-r * r / 2) + tail, v, accuracy: 1e-9 * v)
        for i in 1..<255 {
            XCTAssertEqual(x[i] * (exp(-x[i + 1] * x[i + 1] / 2) - exp(-x[i] * x[i] / 2)), v, accuracy: 1e-9 * v)
        }
    }

    /// Kolmogorov-Smirnov against Phi: n = 200 000, seed 13; critical value at alpha = 1e-3 is
    /// 1.949/sqrt(n). The mass beyond |x| > r (2.6e-4) is checked separately: 5-sigma bound.
    func testKolmogorovSmirnovAgainstStandardNormal() {
        var rng = RandomStream(seed: 13, purpose: .release)
        let n = 200_000
        let samples = (0..<n).map { _ in rng.normalZiggurat() }.sorted()
        var d = 0.0
        for (i, x) in samples.enumerated() {
            let phi = 0.5 * erfc(-x / 2.0.squareRoot())
            d = max(d, abs(phi - Double(i) / Double(n)), abs(Double(i + 1) / Double(n) - phi))
        }
        XCTAssertLessThan(d, 1.949 / Double(n).squareRoot())
        let tail = samples.filter { abs($0) > NormalZiggurat.r }.count
        let expected = Double(n) * erfc(NormalZiggurat.r / 2.0.squareRoot())
        XCTAssertEqual(Double(tail), expected, accuracy: 5 * expected.squareRoot())
    }
}
