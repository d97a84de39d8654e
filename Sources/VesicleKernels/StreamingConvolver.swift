import CFFTW

/// Causal convolution of many channels with one kernel, fed in blocks of any size:
/// y[n] = sum_{k=0}^{K-1} h[k] x[n-k], with x[n] = 0 for n < 0.
///
/// Each call to `process` takes the next `m` input samples of every channel and returns the next
/// `m` output samples: output n depends on inputs 0...n only (exact causality), and the result does
/// not depend on how the input was cut into blocks. The state between calls is K - 1 samples per
/// channel: for the FFT path the not-yet-emitted overlap-add tail, for the direct path the last
/// K - 1 inputs.
///
/// FFT path (overlap-add): the input is cut into segments of at most L = N - K + 1 samples; each
/// segment, zero-padded to N, goes through a batched r2c transform, is multiplied by the kernel
/// spectrum (prescaled by 1/N for FFTW's unnormalised c2r), transformed back, and its N samples
/// of linear convolution are added to the running tail. Channels go through FFTW in batches
/// (`fftw_plan_many_dft_r2c/c2r`) of about 2^16 samples, so the working set (real and complex
/// arrays, 1 MiB) stays in a 2 MiB L2 cache.
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
    /// Largest number of input samples transformed at once (FFT path); the direct path works in
    /// chunks of this many outputs.
    public let segmentLength: Int
    /// Segments transformed since creation; each runs one r2c and one c2r per channel batch.
    public private(set) var segmentsTransformed = 0

    private let tailLength: Int
    private var tail: [Double]
    private let batch: Int
    private let fullBatchPlans: FFTWPlanPair?
    private let remainderPlans: FFTWPlanPair?
    private let real: FFTWRealBuffer?
    private let spectrum: FFTWComplexBuffer?
    /// The kernel spectrum H / N as two factors for the complex product
    /// X H = re(X) (re H, im H) + im(X) (-im H, re H), which vectorises as SIMD2 arithmetic.
    private let spectrumReal: UnsafeMutableBufferPointer<SIMD2<Double>>
    private let spectrumImaginary: UnsafeMutableBufferPointer<SIMD2<Double>>
    private var window: [Double] = []
    /// True while the tail holds only zeros (after creation or `reset`): the first segment then
    /// writes its tail instead of reading and adding the old one.
    private var tailIsZero = true

    /// Samples per FFTW batch call (real array size), chosen to keep the batch in cache.
    static let batchSampleBudget = 1 << 16
    static let directChunk = 16_384

    /// - Parameters:
    ///   - expectedSignalLength: when the whole signal length is known, a single shorter transform
    ///     is used if it covers signal and kernel (`FFTLength.overlapAdd`).
    public init(
        kernel: [Double], channels: Int, method: ConvolutionMethod = .automatic,
        expectedSignalLength: Int? = nil, planCache: FFTWPlanCache = .shared
    ) throws {
        guard !kernel.isEmpty else { throw ConvolutionError.invalidArgument("empty kernel") }
        guard kernel.allSatisfy(\.isFinite) else { throw ConvolutionError.invalidArgument("kernel samples must be finite") }
        guard channels >= 0 else { throw ConvolutionError.invalidArgument("negative channel count") }
        let k = kernel.count
        self.kernel = kernel
        self.channels = channels
        tailLength = k - 1
        tail = Array(repeating: 0, count: channels * (k - 1))

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

    /// Forgets all past input (as if the signal started again at n = 0).
    public func reset() {
        for i in tail.indices { tail[i] = 0 }
        tailIsZero = true
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

    /// The next block, channel-major: `input` and `output` hold `channels * length` samples.
    public func process(input: UnsafeBufferPointer<Double>, length: Int, output: UnsafeMutableBufferPointer<Double>) {
        precondition(input.count >= channels * length && output.count >= channels * length,
                     "internal: buffers smaller than channels * length")
        guard length > 0, channels > 0 else { return }
        switch path {
        case .direct:
            processDirect(input.baseAddress!, length, output.baseAddress!)
        case .fft(let n):
            processFFT(input.baseAddress!, length, output.baseAddress!, n)
        }
    }

    private func processFFT(
        _ input: UnsafePointer<Double>, _ length: Int, _ output: UnsafeMutablePointer<Double>, _ n: Int
    ) {
        let real = self.real!.pointer
        let spectrum = self.spectrum!.pointer
        let spectrumLength = n / 2 + 1
        let t = tailLength
        let hReal = spectrumReal.baseAddress!, hImaginary = spectrumImaginary.baseAddress!
        let tailWasZero = tailIsZero
        tail.withUnsafeMutableBufferPointer { tailBuffer in
            let tails = tailBuffer.baseAddress
            // Channel batches outermost: a batch's K - 1 tail samples stay in cache from one
            // segment to the next instead of being streamed from memory once per segment.
            var c0 = 0
            while c0 < channels {
                let b = min(batch, channels - c0)
                let plans = b == batch ? fullBatchPlans! : remainderPlans!
                var offset = 0
                while offset < length {
                    let s = min(segmentLength, length - offset)
                    for c in 0..<b {
                        let destination = real + c * n
                        destination.update(from: input + (c0 + c) * length + offset, count: s)
                        (destination + s).update(repeating: 0, count: n - s)
                    }
                    plans.forward(real, spectrum)
                    (spectrum + 0).withMemoryRebound(to: SIMD2<Double>.self, capacity: b * spectrumLength) { bins in
                        for c in 0..<b {
                            let x = bins + c * spectrumLength
                            for f in 0..<spectrumLength {
                                let value = x[f]
                                x[f] = value.x * hReal[f] + value.y * hImaginary[f]
                            }
                        }
                    }
                    plans.inverse(spectrum, real)
                    let pendingIsZero = tailWasZero && offset == 0
                    for c in 0..<b {
                        Self.overlapAdd(
                            real + c * n, s, output + (c0 + c) * length + offset,
                            tails.map { $0 + (c0 + c) * t }, t, pendingIsZero: pendingIsZero)
                    }
                    offset += s
                }
                c0 += b
            }
        }
        segmentsTransformed += (length + segmentLength - 1) / segmentLength
        tailIsZero = false
    }

    /// Emits the first s samples of one segment's linear convolution (plus the pending tail) and
    /// keeps its last t samples (plus what remains of the pending tail) as the new tail.
    @inline(__always)
    static func overlapAdd(
        _ convolved: UnsafePointer<Double>, _ s: Int, _ out: UnsafeMutablePointer<Double>,
        _ pending: UnsafeMutablePointer<Double>?, _ t: Int, pendingIsZero: Bool
    ) {
        let overlap = min(s, t)
        if let pending {
            if pendingIsZero {
                out.update(from: convolved, count: overlap)
                pending.update(from: convolved + s, count: t)
                if overlap < s { (out + overlap).update(from: convolved + overlap, count: s - overlap) }
                return
            }
            for i in 0..<overlap { out[i] = convolved[i] + pending[i] }
            if s < t {
                for j in 0..<(t - s) { pending[j] = convolved[s + j] + pending[s + j] }
            }
            (pending + max(0, t - s)).update(from: convolved + s + max(0, t - s), count: min(s, t))
        }
        if overlap < s { (out + overlap).update(from: convolved + overlap, count: s - overlap) }
    }

    private func processDirect(_ input: UnsafePointer<Double>, _ length: Int, _ output: UnsafeMutablePointer<Double>) {
        let k = kernel.count
        let t = tailLength
        for c in 0..<channels {
            var offset = 0
            while offset < length {
                let m = min(Self.directChunk, length - offset)
                if window.count < t + m { window = Array(repeating: 0, count: t + m) }
                window.withUnsafeMutableBufferPointer { w in
                    let w = w.baseAddress!
                    tail.withUnsafeMutableBufferPointer { tails in
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

    /// Runs exactly the FFTW calls that `segments` segments of `process` make (one r2c and one c2r
    /// per channel batch per segment) on this convolver's buffers, without the copies, the
    /// spectrum products and the tail additions. The benchmark times it as the bare transforms.
    public func runBareTransforms(segments: Int) {
        guard case .fft = path, channels > 0 else { return }
        let real = self.real!.pointer
        let spectrum = self.spectrum!.pointer
        // Zeros stay zeros through both transforms, so repeated runs never overflow.
        real.update(repeating: 0, count: self.real!.count)
        for _ in 0..<segments {
            var c0 = 0
            while c0 < channels {
                let b = min(batch, channels - c0)
                let plans = b == batch ? fullBatchPlans! : remainderPlans!
                plans.forward(real, spectrum)
                plans.inverse(spectrum, real)
                c0 += b
            }
        }
    }
}
