import Foundation
import XCTest
@testable import VesicleRandom

final class ExponentialZigguratTests: XCTestCase {
    /// Every layer has area v (the defining property of the ziggurat), to 1e-12 relative.
    func testLayersHaveEqualArea() {
        let x = ExponentialZiggurat.layers, v = ExponentialZiggurat.v
        // Base: rectangle [0, r] x [0, f(r)] plus the tail integral f(r).
        let base = ExponentialZiggurat.r * exp(-ExponentialZiggurat.r) + exp(-ExponentialZiggurat.r)
        XCTAssertEqual(base, v, accuracy: 1e-9 * v)
        for i in 1..<255 {
            let area = x[i] * (exp(-x[i + 1]) - exp(-x[i]))
            XCTAssertEqual(area, v, accuracy: 1e-9 * v, "layer \(i)")
        }
    }

    /// Kolmogorov-Smirnov against F(x) = 1 - e^{-x}: n = 200 000, seed 11. The critical value at
    /// alpha = 1e-3 is sqrt(-ln(alpha/2)/2)/sqrt(n) = 1.949/sqrt(n).
    func testKolmogorovSmirnovAgainstExponential() {
        var rng = RandomStream(seed: 11, purpose: .externalInput)
        let n = 200_000
        let samples = (0..<n).map { _ in rng.exponentialZiggurat() }.sorted()
        var d = 0.0
        for (i, x) in samples.enumerated() {
            let f = -expm1(-x)
            d = max(d, abs(f - Double(i) / Double(n)), abs(Double(i + 1) / Double(n) - f))
        }
        XCTAssertLessThan(d, 1.949 / Double(n).squareRoot())
        // The tail beyond r is reached about e^{-r} n = 90 times; its mass must be right too:
        // count ~ Binomial(n, e^{-r}); 5-sigma bound.
        let tail = samples.filter { $0 > ExponentialZiggurat.r }.count
        let expected = Double(n) * exp(-ExponentialZiggurat.r)
        XCTAssertEqual(Double(tail), expected, accuracy: 5 * expected.squareRoot())
    }
}
