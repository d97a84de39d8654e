import Foundation
import XCTest
@testable import VesicleRandom

/// Accuracy of the vector square root against libm's (correctly rounded) square root, in units in the
/// last place.
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
    /// mantissa edges 1, 2 - ulp and sqrt(2) with its neighbours.
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

    /// sqrt over [2^-1020, 2^1020] (the domain stated in its doc): within 1 ulp; sqrt(0) = 0.
    func testSquareRootWithinOneUlp() {
        let worst = Self.worstError(Self.samples(exponents: -1020...1019), F.squareRoot) { $0.squareRoot() }
        XCTAssertLessThanOrEqual(worst.error, 1, "worst at \(worst.at)")
        XCTAssertEqual(F.squareRoot(SIMD4(0, 4, 0, 9)), SIMD4(0, 2, 0, 3))
    }
}
