import CFFTW

/// Causal convolution of many channels with one kernel, fed in blocks of any size:
/// y[n] = sum_{k=0}^{K-1} h[k] x[n-k], with x[n] = 0 for n < 0.
///
/// Each call to `process` takes the next `m` input samples of every channel and returns the next
/// `m` output samples: output n depends on inputs 0...n only (exact causality), and the result does
/// not depend on how the input was cut into blocks. The state between calls is the last K - 1
/// inputs of every channel (both paths).
///
/// FFT path (overlap-save): the outputs are cut into segments of at most L = N - K + 1 samples;
/// the N inputs a segment depends on (its own and the K - 1 before) go through an r2c transform,
/// are multiplied by the kernel spectrum (prescaled by 1/N for FFTW's unnormalised c2r) and
/// transformed back; the last L samples of the circular convolution are the linear one. Segments
/// whose N inputs and N outputs lie inside the caller's block ("in place" segments) are
/// transformed straight from the input array into the output array through FFTW's new-array
/// interface, one channel at a time, with no copy: the c2r also writes K - 1 samples of garbage
/// just before the segment, which belong to the previous segment, so a channel's segments run
/// from last to first and each overwrites its successor's garbage. The other segments (those
/// that need the previous block's inputs, or a short final one; all of them when N is below
/// `inPlaceMinimumLength`) are copied into FFTW's aligned buffers and run in channel batches
/// (`fftw_plan_many_dft_r2c/c2r`) of about 2^16 samples, so the working set (real and complex
/// arrays, 1 MiB) stays in L2.
///
/// A convolver owns its buffers and is not shared between threads; several convolvers may run on
/// several threads at once (their plans come from a thread-safe `FFTWPlanCache`).
public final class StreamingConvolver {
    public enum Path: Sendable, Equatable {
        case direct
        case fft(length: Int)
    }

    public let kernel: [Double]
    public let channels: Int
    public let path: Path
    /// Largest number of outputs computed per transform (FFT path); the direct path works in
    /// chunks of this many outputs.
    public let segmentLength: Int
    /// Segments transformed since creation (FFT path), counted once for all channels.
    public private(set) var segmentsTransformed = 0
    /// Of those, the segments of one channel transformed straight from the caller's arrays,
    /// counted per channel (for tests of that path).
    private(set) var inPlaceSegmentsTransformed = 0

    private let historyLength: Int
    /// The last K - 1 inputs of every channel, channel-major.
    private var history: [Double]
    private let batch: Int
    private let fullBatchPlans: FFTWPlanPair?
    private let remainderPlans: FFTWPlanPair?
    private let real: FFTWRealBuffer?
    private let spectrum: FFTWComplexBuffer?
    /// The kernel spectrum H / N as two factors for the complex product
    /// X H = re(X) (re H, im H) + im(X) (-im H, re H), which vectorises as SIMD arithmetic.
    private let spectrumReal: UnsafeMutableBufferPointer<SIMD2<Double>>
    private let spectrumImaginary: UnsafeMutableBufferPointer<SIMD2<Double>>
    private var window: [Double] = []
    private let planCache: FFTWPlanCache
    /// Single-channel plans for in-place segments, by the alignment of the caller's arrays
    /// (`fftw_alignment_of / 8`): FFTW runs a plan on new arrays only if they are aligned like
    /// the arrays it was planned on (FFTW manual §4.6).
    private var inPlacePlans: [Int: FFTWPlanPair] = [:]
    /// Transform length from which segments inside the caller's block skip the copies; below it
    /// the per-call cost of single-channel transforms outweighs the copies.
    let inPlaceMinimumLength: Int

    /// Samples per FFTW batch call (real array size), chosen to keep the batch in cache.
    static let batchSampleBudget = 1 << 16
    static let directChunk = 16_384
    static let defaultInPlaceMinimumLength = 8192
    /// Whether the spectrum product can use AVX-512 (checked once, at run time).
    static let hasAVX512 = vesicle_has_avx512f() != 0

    /// - Parameters:
    ///   - expectedSignalLength: when the whole signal length is known, a single shorter transform
    ///     is used if it covers signal and kernel (`FFTLength.overlapAdd`).
    public convenience init(
        kernel: [Double], channels: Int, method: ConvolutionMethod = .automatic,
        expectedSignalLength: Int? = nil, planCache: FFTWPlanCache = .shared
    ) throws {
        try self.init(kernel: kernel, channels: channels, method: method, expectedSignalLength: expectedSignalLength,
                      planCache: planCache, inPlaceMinimumLength: Self.defaultInPlaceMinimumLength)
    }

    /// `inPlaceMinimumLength` lets tests run in-place segments at small sizes.
    init(
        kernel: [Double], channels: Int, method: ConvolutionMethod, expectedSignalLength: Int?,
        planCache: FFTWPlanCache, inPlaceMinimumLength: Int
    ) throws {
        guard !kernel.isEmpty else { throw ConvolutionError.invalidArgument("empty kernel") }
        guard kernel.allSatisfy(\.isFinite) else { throw ConvolutionError.invalidArgument("kernel samples must be finite") }
        guard channels >= 0 else { throw ConvolutionError.invalidArgument("negative channel count") }
        let k = kernel.count
        self.kernel = kernel
        self.channels = channels
        historyLength = k - 1
        history = Array(repeating: 0, count: channels * (k - 1))
        self.planCache = planCache
        self.inPlaceMinimumLength = inPlaceMinimumLength

        let resolved: Path
        switch method {
        case .direct:
            resolved = .direct
        case .fft:
            resolved = .fft(length: FFTLength.overlapAdd(kernelLength: k, signalLength: expectedSignalLength))
        case .fftLength(let n):
            guard n >= k else {
                throw ConvolutionError.invalidArgument("transform length \(n) is shorter than the kernel (\(k))")
            }
            resolved = .fft(length: n)
        case .crossover(let limit):
            resolved = k < limit
                ? .direct : .fft(length: FFTLength.overlapAdd(kernelLength: k, signalLength: expectedSignalLength))
        case .automatic:
            resolved = k < ConvolutionCrossover.processDefault
                ? .direct : .fft(length: FFTLength.overlapAdd(kernelLength: k, signalLength: expectedSignalLength))
        }
        path = resolved

        switch resolved {
        case .direct:
            segmentLength = Self.directChunk
            batch = 0
            fullBatchPlans = nil
            remainderPlans = nil
            real = nil
            spectrum = nil
            spectrumReal = .allocate(capacity: 0)
            spectrumImaginary = .allocate(capacity: 0)
        case .fft(let n):
            segmentLength = n - k + 1
            let b = max(1, min(channels, Self.batchSampleBudget / n))
            batch = b
            let spectrumLength = n / 2 + 1
            let full = planCache.plans(length: n, batch: b)
            fullBatchPlans = full
            let remainder = channels % b
            remainderPlans = remainder == 0 || channels < b ? nil : planCache.plans(length: n, batch: remainder)
            real = FFTWRealBuffer(count: n * b)
            spectrum = FFTWComplexBuffer(count: spectrumLength * b)
            let single = planCache.plans(length: n, batch: 1)
            let padded = FFTWRealBuffer(count: n)
            for j in 0..<k { padded.pointer[j] = kernel[j] }
            let h = FFTWComplexBuffer(count: spectrumLength)
            single.forward(padded.pointer, h.pointer)
            let scale = 1 / Double(n)
            spectrumReal = .allocate(capacity: spectrumLength)
            spectrumImaginary = .allocate(capacity: spectrumLength)
            for f in 0..<spectrumLength {
                let (re, im) = h.pointer[f]
                spectrumReal[f] = SIMD2(re, im) * scale
                spectrumImaginary[f] = SIMD2(-im, re) * scale
            }
        }
    }

    deinit {
        spectrumReal.deallocate()
        spectrumImaginary.deallocate()
    }

    /// The state between blocks, for a checkpoint: the last K - 1 inputs of every channel
    /// (channel-major) and the segment counts.
    public var checkpointState: (history: [Double], segments: Int, inPlaceSegments: Int) {
        (history, segmentsTransformed, inPlaceSegmentsTransformed)
    }

    /// Restores `checkpointState`; false (nothing changed) when `history` does not fit this convolver.
    public func restore(history: [Double], segments: Int, inPlaceSegments: Int) -> Bool {
        guard history.count == self.history.count else { return false }
        self.history = history
        segmentsTransformed = segments
        inPlaceSegmentsTransformed = inPlaceSegments
        return true
    }

    /// Forgets all past input (as if the signal started again at n = 0).
    public func reset() {
        for i in history.indices { history[i] = 0 }
    }

    /// The next block: `block.length` samples of every channel in, as many out.
    public func process(_ block: MultichannelSignal) throws -> MultichannelSignal {
        guard block.channels == channels else {
            throw ConvolutionError.shapeMismatch("block has \(block.channels) channels, convolver \(channels)")
        }
        var output = MultichannelSignal(zeros: channels, length: block.length)
        block.samples.withUnsafeBufferPointer { input in
            output.samples.withUnsafeMutableBufferPointer { out in
                process(input: input, length: block.length, output: out)
            }
        }
        return output
    }

    /// The next block, channel-major: `input` and `output` hold `channels * length` samples and
    /// do not overlap.
    public func process(input: UnsafeBufferPointer<Double>, length: Int, output: UnsafeMutableBufferPointer<Double>) {
        precondition(input.count >= channels * length && output.count >= channels * length,
                     "internal: buffers smaller than channels * length")
        guard length > 0, channels > 0 else { return }
        switch path {
        case .direct:
            processDirect(input.baseAddress!, length, output.baseAddress!)
        case .fft(let n):
            runFFT(input.baseAddress!, length, output.baseAddress!, n, transformsOnly: false)
            updateHistory(input.baseAddress!, length)
        }
    }

    /// Runs exactly the FFTW calls that `process` makes on a block of `length` samples (the same
    /// plans, the same number of calls, in the same order, on the same arrays: the caller's input
    /// and output for in-place segments, this convolver's buffers for the others), without the
    /// copies into and out of the buffers, the spectrum products and the history update. The
    /// benchmark times it as the bare transforms. It overwrites `output` and leaves the state as
    /// it was.
    public func runBareTransforms(input: UnsafeBufferPointer<Double>, length: Int, output: UnsafeMutableBufferPointer<Double>) {
        precondition(input.count >= channels * length && output.count >= channels * length,
                     "internal: buffers smaller than channels * length")
        guard case .fft(let n) = path, length > 0, channels > 0 else { return }
        // Zeros stay zeros through both transforms, so repeated runs never overflow.
        real!.pointer.update(repeating: 0, count: real!.count)
        runFFT(input.baseAddress!, length, output.baseAddress!, n, transformsOnly: true)
    }

    /// Where the in-place segments of a block of m outputs start: the segments
    /// [m - (j + 1) L, m - j L), j = 0, 1, ..., are in place while their first input
    /// m - (j + 1) L - t lies in the block; outputs before the returned index go through the
    /// buffers (m itself when no segment is in place).
    static func inPlaceStart(length m: Int, segmentLength l: Int, historyLength t: Int, enabled: Bool) -> Int {
        guard enabled else { return m }
        // Segments [m - (j + 1) L, m - j L) for j = 0, 1, ... while their first input
        // m - (j + 1) L - t lies in the block.
        guard m >= l + t else { return m }
        let count = (m - t) / l
        return m - count * l
    }

    private func runFFT(
        _ input: UnsafePointer<Double>, _ length: Int, _ output: UnsafeMutablePointer<Double>, _ n: Int,
        transformsOnly: Bool
    ) {
        let t = historyLength
        let l = segmentLength
        let spectrumLength = n / 2 + 1
        let inPlaceStart = Self.inPlaceStart(length: length, segmentLength: l, historyLength: t,
                                             enabled: n >= inPlaceMinimumLength)
        var segments = 0
        if inPlaceStart < length {
            let spectrum = self.spectrum!.pointer
            for c in 0..<channels {
                var o = length - l
                while o >= inPlaceStart {
                    let x = UnsafeMutablePointer(mutating: input + c * length + o - t)
                    let y = output + c * length + o - t
                    let forward = inPlacePlans(for: x, n)
                    let inverse = inPlacePlans(for: y, n)
                    forward.forward(x, spectrum)
                    if !transformsOnly { multiply(spectrum, spectrumLength, spectrumLength) }
                    inverse.inverse(spectrum, y)
                    o -= l
                }
            }
            segments += (length - inPlaceStart) / l
            if !transformsOnly { inPlaceSegmentsTransformed += channels * (length - inPlaceStart) / l }
        }
        if inPlaceStart > 0 {
            segments += runBuffered(input, length, output, n, end: inPlaceStart, transformsOnly: transformsOnly)
        }
        if !transformsOnly { segmentsTransformed += segments }
    }

    /// Outputs [0, end) of every channel through the buffers, in channel batches; returns the
    /// number of segments.
    private func runBuffered(
        _ input: UnsafePointer<Double>, _ length: Int, _ output: UnsafeMutablePointer<Double>, _ n: Int,
        end: Int, transformsOnly: Bool
    ) -> Int {
        let real = self.real!.pointer
        let spectrum = self.spectrum!.pointer
        let spectrumLength = n / 2 + 1
        let t = historyLength
        let l = segmentLength
        history.withUnsafeBufferPointer { historyBuffer in
            let past = historyBuffer.baseAddress
            var c0 = 0
            while c0 < channels {
                let b = min(batch, channels - c0)
                let plans = b == batch ? fullBatchPlans! : remainderPlans!
                var o = 0
                while o < end {
                    let s = min(l, end - o)
                    if !transformsOnly {
                        for c in 0..<b {
                            Self.gather(real + c * n, n, input + (c0 + c) * length, o, s, past.map { $0 + (c0 + c) * t }, t)
                        }
                    }
                    plans.forward(real, spectrum)
                    if !transformsOnly { multiply(spectrum, b * spectrumLength, spectrumLength) }
                    plans.inverse(spectrum, real)
                    if !transformsOnly {
                        for c in 0..<b {
                            (output + (c0 + c) * length + o).update(from: real + c * n + t, count: s)
                        }
                    }
                    o += s
                }
                c0 += b
            }
        }
        return (end + l - 1) / l
    }

    /// Fills one channel's transform input for the outputs [o, o + s): inputs o - t ..< o + s,
    /// those before the block from the history, then zeros up to n (they reach only outputs past
    /// o + s, which are discarded).
    @inline(__always)
    static func gather(
        _ destination: UnsafeMutablePointer<Double>, _ n: Int, _ input: UnsafePointer<Double>, _ o: Int, _ s: Int,
        _ past: UnsafePointer<Double>?, _ t: Int
    ) {
        // Inputs with index o - t + i for i < t + s; index < 0 comes from the history.
        let fromHistory = max(0, t - o)
        if fromHistory > 0, let past {
            destination.update(from: past + (t - fromHistory), count: fromHistory)
        }
        (destination + fromHistory).update(from: input + (o - t + fromHistory), count: t + s - fromHistory)
        (destination + t + s).update(repeating: 0, count: n - t - s)
    }

    /// The history after a block: the last K - 1 inputs of each channel.
    private func updateHistory(_ input: UnsafePointer<Double>, _ length: Int) {
        let t = historyLength
        guard t > 0 else { return }
        history.withUnsafeMutableBufferPointer { buffer in
            let past = buffer.baseAddress!
            for c in 0..<channels {
                let h = past + c * t
                let x = input + c * length
                if length >= t {
                    h.update(from: x + length - t, count: t)
                } else {
                    h.update(from: h + length, count: t - length)
                    (h + t - length).update(from: x, count: length)
                }
            }
        }
    }

    private func inPlacePlans(for pointer: UnsafeMutablePointer<Double>, _ n: Int) -> FFTWPlanPair {
        let offset = Int(fftw_alignment_of(pointer)) / MemoryLayout<Double>.size
        if let plans = inPlacePlans[offset] { return plans }
        let plans = planCache.plans(length: n, batch: 1, realOffset: offset)
        inPlacePlans[offset] = plans
        return plans
    }

    /// Multiplies each of `count / bins` spectra of `bins` values by the kernel spectrum, in place.
    private func multiply(_ spectrum: UnsafeMutablePointer<fftw_complex>, _ count: Int, _ bins: Int) {
        let x = UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: Double.self)
        let a = UnsafeRawPointer(spectrumReal.baseAddress!).assumingMemoryBound(to: Double.self)
        let b = UnsafeRawPointer(spectrumImaginary.baseAddress!).assumingMemoryBound(to: Double.self)
        var start = 0
        while start < count {
            if Self.hasAVX512 {
                vesicle_spectrum_product_avx512(x + 2 * start, a, b, bins)
            } else {
                vesicle_spectrum_product(x + 2 * start, a, b, bins)
            }
            start += bins
        }
    }

    private func processDirect(_ input: UnsafePointer<Double>, _ length: Int, _ output: UnsafeMutablePointer<Double>) {
        let k = kernel.count
        let t = historyLength
        for c in 0..<channels {
            var offset = 0
            while offset < length {
                let m = min(Self.directChunk, length - offset)
                if window.count < t + m { window = Array(repeating: 0, count: t + m) }
                window.withUnsafeMutableBufferPointer { w in
                    let w = w.baseAddress!
                    history.withUnsafeMutableBufferPointer { tails in
                        if t > 0 { w.update(from: tails.baseAddress! + c * t, count: t) }
                        (w + t).update(from: input + c * length + offset, count: m)
                        kernel.withUnsafeBufferPointer { h in
                            Self.directSum(h.baseAddress!, k, w, m, output + c * length + offset)
                        }
                        if t > 0 { (tails.baseAddress! + c * t).update(from: w + m, count: t) }
                    }
                }
                offset += m
            }
        }
    }

    /// out[i] = sum_k h[k] w[K - 1 + i - k], i < m, where w holds K - 1 past inputs then m new ones.
    /// Written as a sum of scaled shifted rows over blocks of 512 outputs, which the compiler
    /// vectorises and which keeps the block in L1.
    static func directSum(
        _ h: UnsafePointer<Double>, _ k: Int, _ w: UnsafePointer<Double>, _ m: Int, _ out: UnsafeMutablePointer<Double>
    ) {
        let blockSize = 512
        var start = 0
        while start < m {
            let count = min(blockSize, m - start)
            let o = out + start
            o.update(repeating: 0, count: count)
            for j in 0..<k {
                let hj = h[j]
                let source = w + (k - 1 + start - j)
                for i in 0..<count { o[i] += hj * source[i] }
            }
            start += count
        }
    }

}
