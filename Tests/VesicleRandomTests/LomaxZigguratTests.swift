import Foundation
import XCTest
@testable import VesicleRandom

final class LomaxZigguratTests: XCTestCase {
    /// Every layer has area v, the base layer included (rectangle [0, r] x [0, f(r)] plus the tail
    /// integral (1 + r)^-alpha / alpha, both computed here), to 1e-9 relative; the top closes at 0.
    func testLayersHaveEqualArea() throws {
        for alpha in [1.0, 4.0, 400.0, 4000.0] {
            let z = try XCTUnwrap(LomaxZiggurat(shape: alpha))
            let f = { (y: Double) in pow(1 + y, -(alpha + 1)) }
            let base = z.r * f(z.r) + pow(1 + z.r, -alpha) / alpha
            XCTAssertEqual(base, z.v, accuracy: 1e-9 * z.v, "alpha \(alpha)")
            XCTAssertEqual(z.layers[0] * f(z.r), z.v, accuracy: 1e-9 * z.v, "alpha \(alpha)")
            for i in 1..<256 {
                let area = z.layers[i] * (f(z.layers[i + 1]) - f(z.layers[i]))
                XCTAssertEqual(area, z.v, accuracy: 1e-9 * z.v, "alpha \(alpha), layer \(i)")
            }
            XCTAssertEqual(z.layers[256], 0)
        }
    }

    /// alpha log1p(Y) is a unit exponential when Y is Lomax(alpha): Kolmogorov-Smirnov against
    /// 1 - e^{-x}, n = 200 000 per shape, seed 23; critical value at alpha_KS = 1e-3 is 1.949/sqrt(n).
    /// The tail beyond r must carry its mass (1 + r)^-alpha: count ~ Binomial, 5-sigma bound.
    func testKolmogorovSmirnovThroughTheExponential() throws {
        for (k, alpha) in [1.0, 4.0, 400.0].enumerated() {
            let z = try XCTUnwrap(LomaxZiggurat(shape: alpha))
            var rng = RandomStream(seed: 23, purpose: .externalInput, index: UInt64(k))
            let n = 200_000
            let draws = (0..<n).map { _ in rng.lomax(z) }
            let samples = draws.map { alpha * log1p($0) }.sorted()
            var d = 0.0
            for (i, x) in samples.enumerated() {
                let cdf = -expm1(-x)
                d = max(d, abs(cdf - Double(i) / Double(n)), abs(Double(i + 1) / Double(n) - cdf))
            }
            XCTAssertLessThan(d, 1.949 / Double(n).squareRoot(), "alpha \(alpha)")
            let tail = draws.filter { $0 > z.r }.count
            let expected = Double(n) * pow(1 + z.r, -alpha)
            XCTAssertEqual(Double(tail), expected, accuracy: 5 * expected.squareRoot(), "alpha \(alpha)")
            XCTAssertGreaterThan(tail, 20, "the tail must be exercised")
        }
    }

    /// Shapes the scaled clock cannot use are refused, not tabulated.
    func testRefusesShapesBelowTheMinimum() {
        XCTAssertNil(LomaxZiggurat(shape: 0.5))
        XCTAssertNil(LomaxZiggurat(shape: .nan))
        XCTAssertNil(LomaxZiggurat(shape: .infinity))
    }
}

extension LomaxZigguratTests {
    /// The wedge test's squeeze is exact only if f lies between the tangent at each layer's outer
    /// edge and the layer's chord: checked on 64 points per layer against f from pow, per shape.
    func testSqueezeBoundsHoldInEveryLayer() throws {
        for alpha in [1.0, 40.0, 400.0] {
            let z = try XCTUnwrap(LomaxZiggurat(shape: alpha))
            let f = { (y: Double) in pow(1 + y, -(alpha + 1)) }
            for i in 1..<256 {
                let outer = z.layers[i], inner = z.layers[i + 1]
                let low = z.densities[i], high = z.densities[i + 1]
                for k in 0...64 {
                    let y = inner + (outer - inner) * Double(k) / 64
                    let tangent = low + z.slopes[i] * (y - outer)
                    let chord = low + (high - low) * (outer - y) / (outer - inner)
                    XCTAssertLessThanOrEqual(tangent, f(y) * (1 + 1e-12), "alpha \(alpha), layer \(i), y \(y)")
                    XCTAssertLessThanOrEqual(f(y), chord * (1 + 1e-12), "alpha \(alpha), layer \(i), y \(y)")
                }
            }
        }
    }
}
