import Foundation
import XCTest
import VesicleSynapses

final class FastExponentialTests: XCTestCase {
    /// Within 2 ulp of libm on a dense grid over [-700, 700] and on [-5, 5] (where release arguments
    /// lie), and identical to libm beyond.
    func testAgreesWithLibmToTwoUlp() {
        for k in 0...200_000 {
            let x = -700 + 1400 * Double(k) / 200_000
            XCTAssertEqual(fastExponential(x), exp(x), accuracy: 2 * exp(x).ulp, "x = \(x)")
        }
        for k in 0...200_000 {
            let x = -5 + 10 * Double(k) / 200_000 + 1e-7
            XCTAssertEqual(fastExponential(x), exp(x), accuracy: 2 * exp(x).ulp, "x = \(x)")
        }
        for x in [-800.0, -700.5, 701, 750, .infinity, -.infinity] { XCTAssertEqual(fastExponential(x), exp(x)) }
        XCTAssertTrue(fastExponential(.nan).isNaN)
    }
}
