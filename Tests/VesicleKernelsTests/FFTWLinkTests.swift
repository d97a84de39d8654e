import CFFTW
import Foundation
import XCTest
@testable import VesicleKernels

/// Proves the C dependency path: a real FFTW r2c transform of a known signal.
final class FFTWLinkTests: XCTestCase {
    func testVersionStringNamesFFTW3() {
        XCTAssertTrue(fftwVersion.hasPrefix("fftw-3"), fftwVersion)
    }

    /// DFT of cos(2 pi 3 n / N): X[3] = N/2, every other bin 0 (closed form), to 1e-12.
    func testRealToComplexTransformOfACosine() {
        let n = 64
        let input = fftw_alloc_real(n)!
        let output = fftw_alloc_complex(n / 2 + 1)!
        defer { fftw_free(input); fftw_free(output) }
        let plan = fftw_plan_dft_r2c_1d(Int32(n), input, output, UInt32(FFTW_ESTIMATE))!
        defer { fftw_destroy_plan(plan) }
        for i in 0..<n { input[i] = cos(2 * Double.pi * 3 * Double(i) / Double(n)) }
        fftw_execute(plan)
        for k in 0...(n / 2) {
            let re = output[k].0, im = output[k].1
            let expected = k == 3 ? Double(n) / 2 : 0
            XCTAssertEqual(re, expected, accuracy: 1e-12, "bin \(k)")
            XCTAssertEqual(im, 0, accuracy: 1e-12, "bin \(k)")
        }
    }
}
