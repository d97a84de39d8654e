import Foundation
import VesicleRandom
import VesicleSynapses
import XCTest

final class VectorExponentialTests: XCTestCase {
    static func ulpError(_ value: Double, _ reference: Double) -> Double {
        value == reference ? 0 : abs(value - reference) / reference.ulp
    }

    /// Over its whole vector domain [-708, 708]: every multiple of ln 2 / 64 with its two neighbours
    /// (the reduction's rounding boundaries, at ln 2 (n + 1/2), among them) and 200 000 uniform points
    /// (seed 31); within 1 ulp of libm's exp.
    func testWithinOneUlpOfLibmOverTheDomain() {
        var rng = RandomStream(seed: 31, purpose: .rates)
        var xs = (0..<200_000).map { _ in -708 + 1416 * rng.uniform() }
        var k = -708.0
        while k <= 708 { xs += [k, k.nextUp, k.nextDown]; k += M_LN2 / 64 }
        xs += [-708, 708, 0, -0.0, 1e-300, -1e-300, M_LN2 / 2, -M_LN2 / 2]
        while xs.count % 4 != 0 { xs.append(0) }
        var worst = (error: 0.0, at: 0.0)
        var i = 0
        while i < xs.count {
            let x = SIMD4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3])
            let y = vectorExponential(x)
            for j in 0..<4 {
                let e = Self.ulpError(y[j], exp(x[j]))
                if e > worst.error { worst = (e, x[j]) }
            }
            i += 4
        }
        XCTAssertLessThanOrEqual(worst.error, 1, "worst at \(worst.at)")
    }

    /// `signedVectorExponential` (the release rows' unchecked form, the sign set in the scale) is bit
    /// for bit `vectorExponential` and its negation, over [-708, 708] (200 000 uniform points, seed 32,
    /// and the ends, zero and the reduction's boundaries near ln 2 (n + 1/2) for |n| <= 1021).
    func testSignedFormIsTheCheckedOneBitForBit() {
        var rng = RandomStream(seed: 32, purpose: .rates)
        var xs = (0..<200_000).map { _ in -708 + 1416 * rng.uniform() }
        for n in -1021...1021 {
            let boundary = M_LN2 * (Double(n) + 0.5)
            if abs(boundary) <= 708 { xs += [boundary, boundary.nextUp, boundary.nextDown] }
        }
        xs += [-708, 708, 0, -0.0, 1e-300]
        while xs.count % 4 != 0 { xs.append(1) }
        var i = 0
        while i < xs.count {
            let x = SIMD4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3])
            let y = vectorExponential(x)
            let positive = signedVectorExponential(x, negative: false, table: ExponentialTable.values)
            let negative = signedVectorExponential(x, negative: true, table: ExponentialTable.values)
            for j in 0..<4 {
                XCTAssertEqual(positive[j].bitPattern, y[j].bitPattern, "at \(x[j])")
                XCTAssertEqual(negative[j].bitPattern, (-y[j]).bitPattern, "at \(x[j])")
            }
            i += 4
        }
    }

    #if arch(x86_64) && !os(Windows)
    /// Each table entry high + low is 2^(j/32): its 32nd power, by five squarings in Float80 (64-bit
    /// significand, relative error below 6e-19 per operation), is 2^j within 1e-17 relative, and high
    /// is that value rounded to a double.
    func testTableHoldsTheThirtySecondRootsOfTwo() {
        let table = ExponentialTable.values
        for j in 0..<32 {
            let high = table[2 * j], low = table[2 * j + 1]
            var power = Float80(high) + Float80(low)
            for _ in 0..<5 { power *= power }
            XCTAssertEqual(Double(power / Float80(sign: .plus, exponent: j, significand: 1) - 1), 0, accuracy: 1e-17, "j = \(j)")
            XCTAssertEqual(high, Double(Float80(high) + Float80(low)), "j = \(j)")
            XCTAssertLessThanOrEqual(abs(low), high.ulp / 2, "j = \(j)")
        }
    }
    #endif

    /// Lanes outside [-708, 708] (subnormal and infinite results, NaN) take libm's value exactly, and
    /// the ordinary lanes of the same vector stay right.
    func testOutsideTheDomainDefersToLibm() {
        let y = vectorExponential(SIMD4(-745, 709.5, 1, -720))
        XCTAssertEqual(y[0], exp(-745))
        XCTAssertEqual(y[1], exp(709.5))
        XCTAssertEqual(y[2], M_E, accuracy: M_E.ulp)
        XCTAssertEqual(y[3], exp(-720))
        XCTAssertTrue(vectorExponential(SIMD4(.nan, 0, 0, 0))[0].isNaN)
        XCTAssertEqual(vectorExponential(SIMD4(.infinity, -.infinity, 0, 0)), SIMD4(.infinity, 0, 1, 1))
    }
}
