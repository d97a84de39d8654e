import Foundation
import XCTest
@testable import VesicleKernels

/// Path selection, calibration bookkeeping and plan lifetime
/// (no timing thresholds: only how measured times are turned into decisions and output).
final class ConvolutionSelectionTests: XCTestCase {
    func testCrossoverMethodPicksDirectBelowAndFFTFromTheLimit() throws {
        let cache = FFTWPlanCache(rigor: .estimate)
        let short = try StreamingConvolver(kernel: Array(repeating: 1, count: 99), channels: 1, method: .crossover(100), planCache: cache)
        XCTAssertEqual(short.path, .direct)
        let long = try StreamingConvolver(kernel: Array(repeating: 1, count: 100), channels: 1, method: .crossover(100), planCache: cache)
        XCTAssertEqual(long.path, .fft(length: FFTLength.overlapAdd(kernelLength: 100)))
    }

    /// The crossover is the smallest measured length from which every measured FFT time beat the
    /// direct time, recomputed here from the returned measurements.
    func testCalibrationCrossoverFollowsItsMeasurements() {
        let lengths = [2, 16, 64]
        let calibration = ConvolutionCrossover.calibrate(kernelLengths: lengths, signalLength: 2048,
                                                         planCache: FFTWPlanCache(rigor: .estimate))
        XCTAssertEqual(calibration.measurements.map(\.kernelLength), lengths)
        var expected = 65
        for m in calibration.measurements.reversed() {
            if m.fftSeconds < m.directSeconds { expected = m.kernelLength } else { break }
        }
        XCTAssertEqual(calibration.crossover, expected)
        XCTAssertTrue(calibration.measurements.allSatisfy { $0.fftSeconds > 0 && $0.directSeconds > 0 })
    }

    /// Plans stay valid after the cache that made them is gone (the convolver holds them).
    func testConvolverOutlivesItsPlanCache() throws {
        let kernel = TestSignals.uniform(count: 12, seed: 400)
        let signal = TestSignals.signal(channels: 2, length: 300, seed: 401)
        let convolver = try StreamingConvolver(kernel: kernel, channels: 2, method: .fftLength(64),
                                               planCache: FFTWPlanCache(rigor: .estimate))
        let out = try convolver.process(signal)
        for c in 0..<2 {
            let reference = TestSignals.naiveCausal(signal.channel(c), kernel)
            let scale = TestSignals.scale(signal.channel(c), kernel)
            for n in 0..<300 { XCTAssertEqual(out[c, n], reference[n], accuracy: 1e-10 * scale) }
        }
    }
}
