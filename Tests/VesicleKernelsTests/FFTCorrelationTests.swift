import XCTest
@testable import VesicleKernels

final class FFTCorrelationTests: XCTestCase {
    /// Integer count sequences: the FFT correlation equals the double loop
    /// c[l] = sum_n a[n] b[n + l] and every value lies within 1e-6 of that integer.
    func testIntegerCountsCorrelateToIntegers() throws {
        let a = TestSignals.uniform(count: 1000, seed: 300).map { ($0 > 0.6 ? 1.0 : 0) + ($0 > 0.9 ? 1 : 0) }
        let b = TestSignals.uniform(count: 997, seed: 301).map { $0 > 0.7 ? 1.0 : 0 }
        let maxLag = 120
        let c = try FFTCorrelation.crossCorrelation(a, b, maxLag: maxLag)
        for lag in -maxLag...maxLag {
            var expected = 0.0
            for n in 0..<a.count where n + lag >= 0 && n + lag < b.count { expected += a[n] * b[n + lag] }
            XCTAssertEqual(c[lag + maxLag], expected, accuracy: 1e-6, "lag \(lag)")
            XCTAssertEqual(c[lag + maxLag], c[lag + maxLag].rounded(), accuracy: 1e-6)
        }
        XCTAssertGreaterThan(c.max()!, 10, "the data must produce pairs")
    }

    func testNegativeMaxLagThrows() {
        XCTAssertThrowsError(try FFTCorrelation.crossCorrelation([1], [1], maxLag: -1))
    }
}
