import Foundation
import XCTest
@testable import VesicleEngine

final class SmallArgumentExpTests: XCTestCase {
    /// Within 2 ulp of libm's exp across [0, 1/8) (10^6 points, including every table knot) and equal
    /// to it outside.
    func testAgreesWithLibmToRounding() {
        for k in 0..<1_000_000 {
            let x = 0.125 * Double(k) / 1_000_000
            let reference = exp(x)
            XCTAssertEqual(smallArgumentExp(x), reference, accuracy: 2 * reference.ulp, "x = \(x)")
        }
        for k in 0..<256 {
            let x = Double(k) / 2048
            XCTAssertEqual(smallArgumentExp(x), exp(x), accuracy: 2 * exp(x).ulp)
        }
        for x in [-3.0, -1e-9, 0.125, 0.2, 7.0] { XCTAssertEqual(smallArgumentExp(x), exp(x)) }
    }

    /// The decay form: within 2 ulp of libm's exp(-x) across [0, 1) (10^6 points and every knot),
    /// equal to it outside.
    func testDecayAgreesWithLibmToRounding() {
        for k in 0..<1_000_000 {
            let x = Double(k) / 1_000_000
            let reference = exp(-x)
            XCTAssertEqual(smallArgumentDecay(x), reference, accuracy: 2 * reference.ulp, "x = \(x)")
        }
        for k in 0..<2048 {
            let x = Double(k) / 2048
            XCTAssertEqual(smallArgumentDecay(x), exp(-x), accuracy: 2 * exp(-x).ulp)
        }
        for x in [-3.0, -1e-9, 1.0, 1.5, 7.0] { XCTAssertEqual(smallArgumentDecay(x), exp(-x)) }
    }
}
