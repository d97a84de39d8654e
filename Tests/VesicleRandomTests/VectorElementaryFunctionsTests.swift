import Foundation
import XCTest
@testable import VesicleRandom

/// Accuracy of the vector logarithm, square root, sine and cosine against libm, in units in the last
/// place of the libm result (libm's own error, below 1 ulp in glibc, is inside the bound).
final class VectorElementaryFunctionsTests: XCTestCase {
    typealias F = VectorElementaryFunctions

    static func ulpError(_ value: Double, _ reference: Double) -> Double {
        if value == reference { return 0 }
        return abs(value - reference) / reference.ulp
    }

    /// Apply `f` to `inputs` four at a time and return the largest ulp error against `reference`.
    static func worstError(_ inputs: [Double], _ f: (SIMD4<Double>) -> SIMD4<Double>,
                           _ reference: (Double) -> Double) -> (error: Double, at: Double) {
        var worst = (error: 0.0, at: 0.0)
        var k = 0
        while k + 4 <= inputs.count {
            let x = SIMD4(inputs[k], inputs[k + 1], inputs[k + 2], inputs[k + 3])
            let y = f(x)
            for j in 0..<4 {
                let e = ulpError(y[j], reference(x[j]))
                if e > worst.error { worst = (e, x[j]) }
            }
            k += 4
        }
        return worst
    }

    /// Inputs 2^e m for every exponent in `exponents`, 24 random mantissas each (seed 5), plus the
    /// mantissa edges 1, 2 - ulp and the branch point sqrt(2) with its neighbours.
    static func samples(exponents: ClosedRange<Int>) -> [Double] {
        var rng = RandomStream(seed: 5, purpose: .rates)
        let root2 = 2.0.squareRoot()
        var xs: [Double] = []
        for e in exponents {
            let scale = Double(sign: .plus, exponent: e, significand: 1)
            xs += [1, 2.0.nextDown, root2.nextDown, root2, root2.nextUp].map { $0 * scale }
            for _ in 0..<24 { xs.append((1 + rng.uniform()) * scale) }
        }
        while xs.count % 4 != 0 { xs.append(1) }
        return xs
    }

    /// ln over every binade of the positive normal doubles: within 1 ulp of libm; ln 1 = 0 exactly.
    func testLogarithmWithinOneUlpOverPositiveNormals() {
        let worst = Self.worstError(Self.samples(exponents: -1022...1023), F.logarithm, log)
        XCTAssertLessThanOrEqual(worst.error, 1, "worst at \(worst.at)")
        XCTAssertEqual(F.logarithm(SIMD4(repeating: 1)), .zero)
    }

    /// ln on the Box-Muller uniforms' grid near 1 (u = 1 - k 2^-52, small k) and at its smallest point
    /// 2^-52, where the radius is largest: within 1 ulp.
    func testLogarithmOnTheUniformGrid() {
        var xs = (1...4000).map { 1 - Double($0) * 0x1p-52 }
        xs += (0..<52).map { Double(sign: .plus, exponent: -$0 - 1, significand: 1) }
        while xs.count % 4 != 0 { xs.append(0.5) }
        let worst = Self.worstError(xs, F.logarithm, log)
        XCTAssertLessThanOrEqual(worst.error, 1, "worst at \(worst.at)")
    }

    /// sqrt over [2^-1020, 2^1020] (the domain stated in its doc): within 1 ulp; sqrt(0) = 0.
    func testSquareRootWithinOneUlp() {
        let worst = Self.worstError(Self.samples(exponents: -1020...1019), F.squareRoot) { $0.squareRoot() }
        XCTAssertLessThanOrEqual(worst.error, 1, "worst at \(worst.at)")
        XCTAssertEqual(F.squareRoot(SIMD4(0, 4, 0, 9)), SIMD4(0, 2, 0, 3))
    }

    /// cos and sin of phi = y pi/2 for y on a fine grid of [-1/2, 1/2) (8192 points plus 4000 random,
    /// seed 9) against libm at the same phi, rotated to each quadrant by the exact identities:
    /// within 1 ulp of the libm value (whose own magnitude is at least sin(pi/4) or 0).
    func testCosineSineWithinOneUlpInEveryQuadrant() {
        var rng = RandomStream(seed: 9, purpose: .rates)
        var ys = (0..<8192).map { Double($0) / 8192 - 0.5 }
        ys += (0..<4000).map { _ in rng.uniform() - 0.5 }
        var worst = 0.0
        for q in UInt64(0)..<4 {
            var k = 0
            while k + 4 <= ys.count {
                let y = SIMD4(ys[k], ys[k + 1], ys[k + 2], ys[k + 3])
                let (c, s) = F.cosineSine(quadrant: SIMD4(repeating: q), fraction: y)
                for j in 0..<4 {
                    let phi = y[j] * (Double.pi / 2)
                    let (cp, sp) = (cos(phi), sin(phi))
                    let expected: (Double, Double) = [(cp, sp), (-sp, cp), (-cp, -sp), (sp, -cp)][Int(q)]
                    // Absolute error in ulps of 1/2 for |sin phi| below 1/2 (sin phi -> 0 at phi = 0 is exact).
                    let refC = expected.0, refS = expected.1
                    worst = max(worst, Self.ulpError(c[j], refC), Self.ulpError(s[j], refS))
                }
                k += 4
            }
        }
        XCTAssertLessThanOrEqual(worst, 1)
    }
}
