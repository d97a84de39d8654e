import XCTest
@testable import VesicleKernels

/// FFT (overlap-save) against direct convolution and an independent double loop, to 1e-10 relative
/// to max_n sum_k |h_k||x_{n-k}| (the sum's own magnitude; both paths round at ~1e-15 of it).
final class ConvolutionTests: XCTestCase {
    let tolerance = 1e-10
    let cache = FFTWPlanCache(rigor: .estimate)

    private func assertPathsAgree(length: Int, kernelLength: Int, channels: Int, seed: UInt64,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let signal = TestSignals.signal(channels: channels, length: length, seed: seed)
        let kernel = TestSignals.uniform(count: kernelLength, seed: seed &+ 1)
        let fft = try Convolution.causal(signal, kernel: kernel, method: .fft, planCache: cache)
        let direct = try Convolution.causal(signal, kernel: kernel, method: .direct, planCache: cache)
        for c in 0..<channels {
            let reference = TestSignals.naiveCausal(signal.channel(c), kernel)
            let scale = TestSignals.scale(signal.channel(c), kernel)
            for n in 0..<length {
                XCTAssertEqual(fft[c, n], reference[n], accuracy: tolerance * scale,
                               "fft n=\(n) c=\(c) N=\(length) K=\(kernelLength)", file: file, line: line)
                XCTAssertEqual(direct[c, n], reference[n], accuracy: tolerance * scale,
                               "direct n=\(n) c=\(c) N=\(length) K=\(kernelLength)", file: file, line: line)
            }
        }
    }

    func testPowerOfTwoLengthsOneChannel() throws {
        for (n, k) in [(64, 8), (1024, 128), (4096, 1024)] {
            try assertPathsAgree(length: n, kernelLength: k, channels: 1, seed: UInt64(n + k))
        }
    }

    func testPrimeLengthsManyChannels() throws {
        for (n, k) in [(1, 1), (2, 1), (97, 13), (1009, 31), (4099, 257)] {
            try assertPathsAgree(length: n, kernelLength: k, channels: 7, seed: UInt64(3 * n + k))
        }
    }

    func testKernelLongerThanSignal() throws {
        try assertPathsAgree(length: 101, kernelLength: 1031, channels: 3, seed: 11)
    }

    /// Enough channels that the FFT path runs full batches and a remainder batch.
    func testChannelBatchesAndRemainder() throws {
        let n = 257, k = 40
        let length = FFTLength.overlapAdd(kernelLength: k, signalLength: n)
        let batch = StreamingConvolver.batchSampleBudget / length
        try assertPathsAgree(length: n, kernelLength: k, channels: batch + 3, seed: 5)
    }

    func testEmptySpikeTrainsGiveZeroCurrent() throws {
        let kernel = try SampledKernel(.alpha(tau: 2), dt: 0.1)
        for method in [ConvolutionMethod.fft, .direct] {
            let current = try KernelInputCurrent.compute(
                [.empty, .empty, .empty], kernel: kernel, steps: 500, method: method, planCache: cache)
            XCTAssertEqual(current.channels, 3)
            XCTAssertEqual(current.length, 500)
            XCTAssertTrue(current.samples.allSatisfy { $0 == 0 })
        }
        let none = try Convolution.causal(MultichannelSignal(zeros: 4, length: 0), kernel: [1, 2], method: .fft, planCache: cache)
        XCTAssertEqual(none.length, 0)
    }

    func testFullConvolutionHasSignalPlusKernelMinusOneSamples() throws {
        let x = TestSignals.signal(channels: 2, length: 50, seed: 21)
        let h = TestSignals.uniform(count: 9, seed: 22)
        let full = try Convolution.full(x, kernel: h, method: .fft, planCache: cache)
        XCTAssertEqual(full.length, 58)
        for c in 0..<2 {
            let padded = Array(x.channel(c)) + Array(repeating: 0, count: 8)
            let reference = TestSignals.naiveCausal(ArraySlice(padded), h)
            let scale = TestSignals.scale(ArraySlice(padded), h)
            for n in 0..<58 { XCTAssertEqual(full[c, n], reference[n], accuracy: tolerance * scale) }
        }
    }

    /// Streaming in blocks of several sizes, across FFT segment boundaries (transform
    /// length 64, kernel 20, so segments of 45), equals the one-shot reference, for both paths.
    func testStreamingBlocksEqualOneShot() throws {
        let length = 1000, k = 20, channels = 3
        let signal = TestSignals.signal(channels: channels, length: length, seed: 31)
        let kernel = TestSignals.uniform(count: k, seed: 32)
        for method in [ConvolutionMethod.fftLength(64), .direct] {
            for blockSize in [1, 7, 44, 45, 46, 100, 333, 1000] {
                let convolver = try StreamingConvolver(kernel: kernel, channels: channels, method: method, planCache: cache)
                var streamed = MultichannelSignal(zeros: channels, length: length)
                var start = 0
                while start < length {
                    let m = min(blockSize, length - start)
                    var block = MultichannelSignal(zeros: channels, length: m)
                    for c in 0..<channels { for i in 0..<m { block[c, i] = signal[c, start + i] } }
                    let out = try convolver.process(block)
                    XCTAssertEqual(out.length, m)
                    for c in 0..<channels { for i in 0..<m { streamed[c, start + i] = out[c, i] } }
                    start += m
                }
                for c in 0..<channels {
                    let reference = TestSignals.naiveCausal(signal.channel(c), kernel)
                    let scale = TestSignals.scale(signal.channel(c), kernel)
                    for n in 0..<length {
                        XCTAssertEqual(streamed[c, n], reference[n], accuracy: tolerance * scale,
                                       "\(method) block \(blockSize) n=\(n)")
                    }
                }
            }
        }
    }

    /// Output n depends on inputs 0...n only: a block's output is fixed before later input is
    /// seen, and an impulse at n = 4 leaves outputs 0...3 at zero up to FFT rounding (1e-15).
    func testStreamingIsCausal() throws {
        let kernel = TestSignals.uniform(count: 30, seed: 41)
        let first = TestSignals.signal(channels: 1, length: 50, seed: 42)
        let convolver = try StreamingConvolver(kernel: kernel, channels: 1, method: .fftLength(64), planCache: cache)
        let firstOutput = try convolver.process(first)
        let reference = TestSignals.naiveCausal(first.channel(0), kernel)
        let scale = TestSignals.scale(first.channel(0), kernel)
        for n in 0..<50 { XCTAssertEqual(firstOutput[0, n], reference[n], accuracy: tolerance * scale) }

        convolver.reset()
        var impulse = MultichannelSignal(zeros: 1, length: 5)
        impulse[0, 4] = 1
        let out = try convolver.process(impulse)
        for n in 0..<4 { XCTAssertEqual(out[0, n], 0, accuracy: 1e-15) }
        XCTAssertEqual(out[0, 4], kernel[0], accuracy: 1e-15)
    }

    func testPlanCacheReusesPlansBySize() throws {
        let cache = FFTWPlanCache(rigor: .estimate)
        let kernel = TestSignals.uniform(count: 16, seed: 51)
        _ = try StreamingConvolver(kernel: kernel, channels: 4, method: .fftLength(128), planCache: cache)
        let afterFirst = cache.planCount
        XCTAssertEqual(afterFirst, 2, "one batched plan pair for 4 channels, one single-channel pair for the kernel")
        _ = try StreamingConvolver(kernel: kernel, channels: 4, method: .fftLength(128), planCache: cache)
        XCTAssertEqual(cache.planCount, afterFirst, "same sizes reuse the cached plans")
        _ = try StreamingConvolver(kernel: kernel, channels: 4, method: .fftLength(256), planCache: cache)
        XCTAssertEqual(cache.planCount, afterFirst + 2)
    }

    /// Convolvers on several threads share one cache; plan creation is serialised by the cache.
    func testConcurrentConvolversShareTheCache() throws {
        let cache = FFTWPlanCache(rigor: .estimate)
        let kernel = TestSignals.uniform(count: 33, seed: 61)
        let signal = TestSignals.signal(channels: 2, length: 700, seed: 62)
        let reference = try Convolution.causal(signal, kernel: kernel, method: .direct)
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let out = try! Convolution.causal(signal, kernel: kernel, method: .fftLength(128 << (i % 4)), planCache: cache)
            results.store(i, out)
        }
        for out in results.all() {
            for i in 0..<signal.samples.count {
                XCTAssertEqual(out.samples[i], reference.samples[i], accuracy: 1e-12 * 33)
            }
        }
        XCTAssertEqual(cache.planCount, 8, "4 lengths x (2-channel batch + kernel) plans")
    }

    func testShapeErrorsThrow() throws {
        let convolver = try StreamingConvolver(kernel: [1, 2, 3], channels: 2, method: .direct)
        XCTAssertThrowsError(try convolver.process(MultichannelSignal(zeros: 3, length: 4)))
        XCTAssertThrowsError(try StreamingConvolver(kernel: [], channels: 1))
        XCTAssertThrowsError(try StreamingConvolver(kernel: [1, 2, 3], channels: 1, method: .fftLength(2)))
    }

    func testFastLengths() {
        XCTAssertEqual(FFTLength.nextFast(11), 12)
        XCTAssertEqual(FFTLength.nextFast(97), 98)
        XCTAssertTrue(FFTLength.isFast(2 * 3 * 5 * 7 * 64))
        XCTAssertFalse(FFTLength.isFast(11 * 64))
    }
}

import Foundation
import Synchronization

/// Thread-safe collection of per-iteration results for the concurrency test.
final class ConcurrentResults: Sendable {
    private let storage = Mutex<[Int: MultichannelSignal]>([:])
    func store(_ i: Int, _ value: MultichannelSignal) { storage.withLock { $0[i] = value } }
    func all() -> [MultichannelSignal] { storage.withLock { Array($0.values) } }
}
