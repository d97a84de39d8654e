import Foundation
import XCTest
@testable import VesicleKernels

final class KernelShapeTests: XCTestCase {
    /// exp(-j dt/tau) at grid points; stops at the first sample below 1e-12 (j > tau ln(1e12)/dt).
    func testExponentialSamplesAndTruncation() throws {
        let tau = 5.0, dt = 0.1
        let kernel = try SampledKernel(.exponential(tau: tau), dt: dt)
        let expectedCount = Int((tau * log(1e12) / dt).rounded(.up))
        XCTAssertEqual(kernel.count, expectedCount)
        for (j, v) in kernel.values.enumerated() { XCTAssertEqual(v, exp(-Double(j) * dt / tau), accuracy: 1e-15) }
        XCTAssertGreaterThanOrEqual(kernel.values.last!, 1e-12)
        XCTAssertLessThan(exp(-Double(kernel.count) * dt / tau), 1e-12)
        XCTAssertEqual(kernel.exponentialTau, tau)
    }

    /// Alpha peaks at s = tau with value 1; truncation happens after the peak.
    func testAlphaPeakAndPeakNormalisation() throws {
        let kernel = try SampledKernel(.alpha(tau: 2), dt: 0.5, normalisation: .peak)
        XCTAssertEqual(kernel.values[0], 0)
        XCTAssertEqual(kernel.values[4], 1, accuracy: 1e-15)  // s = 2 ms = tau
        XCTAssertEqual(kernel.values.map(abs).max()!, 1, accuracy: 1e-15)
        XCTAssertLessThan(kernel.values.last!, 1e-11)
    }

    /// Integral normalisation makes dt * sum h = 1 on the grid (unit charge per unit weight).
    func testIntegralNormalisation() throws {
        let dt = 0.1
        for shape in [KernelShape.exponential(tau: 3), .alpha(tau: 1.5), .differenceOfExponentials(tauRise: 1, tauDecay: 4)] {
            let kernel = try SampledKernel(shape, dt: dt, normalisation: .integral)
            XCTAssertEqual(kernel.values.reduce(0, +) * dt, 1, accuracy: 1e-12, "\(shape)")
        }
    }

    /// Difference of exponentials: closed-form values and peak time tr td/(td - tr) ln(td/tr).
    func testDifferenceOfExponentials() throws {
        let tr = 1.0, td = 4.0, dt = 0.01
        let kernel = try SampledKernel(.differenceOfExponentials(tauRise: tr, tauDecay: td), dt: dt, truncation: .length(1000))
        XCTAssertEqual(kernel.count, 1000)
        for j in [0, 1, 17, 999] {
            let s = Double(j) * dt
            XCTAssertEqual(kernel.values[j], exp(-s / td) - exp(-s / tr), accuracy: 1e-15)
        }
        let peakTime = tr * td / (td - tr) * log(td / tr)
        let argmax = kernel.values.indices.max { kernel.values[$0] < kernel.values[$1] }!
        XCTAssertEqual(Double(argmax) * dt, peakTime, accuracy: dt)
        XCTAssertNil(kernel.exponentialTau)
    }

    func testInvalidShapesThrow() {
        XCTAssertThrowsError(try SampledKernel(.exponential(tau: 0), dt: 0.1))
        XCTAssertThrowsError(try SampledKernel(.alpha(tau: .nan), dt: 0.1))
        XCTAssertThrowsError(try SampledKernel(.differenceOfExponentials(tauRise: 3, tauDecay: 3), dt: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("alpha"), "\(error)")
        }
        XCTAssertThrowsError(try SampledKernel(.exponential(tau: 1), dt: -1))
        XCTAssertThrowsError(try SampledKernel(.alpha(tau: 1e300), dt: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("coarser dt"), "\(error)")
        }
        XCTAssertThrowsError(try SampledKernel(.exponential(tau: 1), dt: 0.1, truncation: .relativeTail(0)))
    }
}
