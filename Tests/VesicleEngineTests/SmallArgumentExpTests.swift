import Foundation
import XCTest
@testable import VesicleEngine

final class SmallArgumentExpTests: XCTestCase {
    /// Within 2 ulp of libm's exp across [-1/8, 1/8] (10^5 points) and equal to it outside.
    func testAgreesWithLibmToRounding() {
        for k in 0...100_000 {
            let x = -0.125 + 0.25 * Double(k) / 100_000
            let reference = exp(x)
            XCTAssertEqual(smallArgumentExp(x), reference, accuracy: 2 * reference.ulp, "x = \(x)")
        }
        for x in [-3.0, -0.2, 0.13, 0.5, 7.0] { XCTAssertEqual(smallArgumentExp(x), exp(x)) }
    }
}
