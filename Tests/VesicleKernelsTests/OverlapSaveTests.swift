import CFFTW
import XCTest
@testable import VesicleKernels

/// The FFT path's in-place segments (transformed straight from the caller's input into its
/// output, last segment first) and the buffered ones, against the textbook double loop; the
/// segment layout; the bare-transform run used by the benchmark; the spectrum product kernels.
final class OverlapSaveTests: XCTestCase {
    /// Relative to max_n sum_k |h_k||x_{n-k}|, as in `ConvolutionTests`.
    let tolerance = 1e-10
    let cache = FFTWPlanCache(rigor: .estimate)

    /// Streams `signal` through `convolver` in blocks of the given lengths (cycled).
    private func stream(_ signal: MultichannelSignal, _ convolver: StreamingConvolver, blocks: [Int]) throws -> MultichannelSignal {
        var streamed = MultichannelSignal(zeros: signal.channels, length: signal.length)
        var start = 0, index = 0
        while start < signal.length {
            let m = min(blocks[index % blocks.count], signal.length - start)
            index += 1
            var block = MultichannelSignal(zeros: signal.channels, length: m)
            for c in 0..<signal.channels { for i in 0..<m { block[c, i] = signal[c, start + i] } }
            let out = try convolver.process(block)
            for c in 0..<signal.channels { for i in 0..<m { streamed[c, start + i] = out[c, i] } }
            start += m
        }
        return streamed
    }

    private func assertMatchesReference(_ output: MultichannelSignal, _ signal: MultichannelSignal, _ kernel: [Double],
                                        _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        for c in 0..<signal.channels {
            let reference = TestSignals.naiveCausal(signal.channel(c), kernel)
            let scale = TestSignals.scale(signal.channel(c), kernel)
            for n in 0..<signal.length {
                XCTAssertEqual(output[c, n], reference[n], accuracy: tolerance * scale,
                               "\(label) c=\(c) n=\(n)", file: file, line: line)
            }
        }
    }

    /// Transform length 64, kernel 13 (segments of 52, 12 inputs of history): blocks of odd and
    /// even lengths put channel starts at both FFTW alignments, blocks of 64 or more samples
    /// have in-place segments, shorter ones only buffered segments, and every block after the
    /// first needs the previous block's last inputs.
    func testInPlaceSegmentsMatchTheDoubleLoopAcrossBlocksAndAlignments() throws {
        let kernel = TestSignals.uniform(count: 13, seed: 51)
        let signal = TestSignals.signal(channels: 5, length: 1500, seed: 52)
        for blocks in [[1500], [331, 7, 64, 65, 200, 1], [63, 64, 117, 500]] {
            let convolver = try StreamingConvolver(
                kernel: kernel, channels: 5, method: .fftLength(64), expectedSignalLength: nil,
                planCache: cache, inPlaceMinimumLength: 0)
            let output = try stream(signal, convolver, blocks: blocks)
            XCTAssertGreaterThan(convolver.inPlaceSegmentsTransformed, 0, "blocks \(blocks)")
            assertMatchesReference(output, signal, kernel, "blocks \(blocks)")
        }
    }

    /// A single-sample kernel (no history) and a kernel as long as the transform (segments of
    /// one sample) are the extreme segment layouts.
    func testInPlaceSegmentsAtTheExtremeKernelLengths() throws {
        let signal = TestSignals.signal(channels: 2, length: 301, seed: 53)
        for k in [1, 32] {
            let kernel = TestSignals.uniform(count: k, seed: 54 + UInt64(k))
            let convolver = try StreamingConvolver(
                kernel: kernel, channels: 2, method: .fftLength(32), expectedSignalLength: nil,
                planCache: cache, inPlaceMinimumLength: 0)
            let output = try stream(signal, convolver, blocks: [301])
            XCTAssertGreaterThan(convolver.inPlaceSegmentsTransformed, 0, "K=\(k)")
            assertMatchesReference(output, signal, kernel, "K=\(k)")
        }
    }

    /// The in-place segments are the largest run of whole segments at the end of the block whose
    /// first input (t samples before the segment) lies in the block.
    func testInPlaceSegmentLayout() {
        for (m, l, t) in [(0, 5, 3), (7, 5, 3), (8, 5, 3), (9, 5, 3), (100, 5, 3), (100, 52, 12), (1000, 1, 0), (10, 10, 0)] {
            let start = StreamingConvolver.inPlaceStart(length: m, segmentLength: l, historyLength: t, enabled: true)
            XCTAssertEqual(StreamingConvolver.inPlaceStart(length: m, segmentLength: l, historyLength: t, enabled: false), m)
            XCTAssertTrue((0...m).contains(start), "m=\(m) L=\(l) t=\(t)")
            XCTAssertEqual((m - start) % l, 0, "whole segments, m=\(m) L=\(l) t=\(t)")
            if start < m { XCTAssertGreaterThanOrEqual(start, t, "first input inside the block, m=\(m) L=\(l) t=\(t)") }
            XCTAssertLessThan(start - l, t, "one more segment would start before the block, m=\(m) L=\(l) t=\(t)")
        }
    }

    /// The benchmark's bare run between two blocks changes neither the state nor later outputs.
    func testBareTransformsLeaveTheStateUnchanged() throws {
        let kernel = TestSignals.uniform(count: 13, seed: 61)
        let first = TestSignals.signal(channels: 3, length: 150, seed: 62)
        let second = TestSignals.signal(channels: 3, length: 201, seed: 63)
        func convolver() throws -> StreamingConvolver {
            try StreamingConvolver(kernel: kernel, channels: 3, method: .fftLength(64), expectedSignalLength: nil,
                                   planCache: cache, inPlaceMinimumLength: 0)
        }
        let plain = try convolver(), interrupted = try convolver()
        _ = try plain.process(first)
        _ = try interrupted.process(first)
        var scratch = Array(repeating: 0.0, count: second.samples.count)
        second.samples.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { y in interrupted.runBareTransforms(input: x, length: 201, output: y) }
        }
        XCTAssertEqual(interrupted.segmentsTransformed, plain.segmentsTransformed)
        XCTAssertEqual(try interrupted.process(second), try plain.process(second))
    }

    /// Both spectrum product kernels against complex multiplication written out here, on a bin
    /// count that is not a multiple of the AVX-512 width; agreement to 4 ulps of the magnitude.
    func testSpectrumProductKernels() {
        let bins = 13
        let x = TestSignals.uniform(count: 2 * bins, seed: 71)
        let h = TestSignals.uniform(count: 2 * bins, seed: 72)
        var a = [Double](), b = [Double]()
        for f in 0..<bins {
            a += [h[2 * f], h[2 * f + 1]]
            b += [-h[2 * f + 1], h[2 * f]]
        }
        var expected = [Double]()
        for f in 0..<bins {
            let (xr, xi, hr, hi) = (x[2 * f], x[2 * f + 1], h[2 * f], h[2 * f + 1])
            expected += [xr * hr - xi * hi, xr * hi + xi * hr]
        }
        var kernels: [(String, (UnsafeMutablePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, Int) -> Void)] = [
            ("scalar", { vesicle_spectrum_product($0, $1, $2, $3) })
        ]
        if vesicle_has_avx512f() != 0 {
            kernels.append(("avx512", { vesicle_spectrum_product_avx512($0, $1, $2, $3) }))
        }
        for (name, kernel) in kernels {
            var product = x
            product.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, a, b, bins) }
            for i in 0..<(2 * bins) {
                XCTAssertEqual(product[i], expected[i], accuracy: 4 * Double.ulpOfOne * 2, "\(name) \(i)")
            }
        }
    }
}
