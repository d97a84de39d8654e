/// Which path a convolution takes. Both compute the same causal sum
/// y[n] = sum_{k=0}^{K-1} h[k] x[n-k] and agree to rounding.
public enum ConvolutionMethod: Sendable, Equatable {
    /// Direct below the measured crossover kernel length (`ConvolutionCrossover.processDefault`),
    /// FFT (overlap-save) from it on.
    case automatic
    /// Direct for kernels shorter than this many samples, FFT otherwise.
    case crossover(Int)
    case direct
    /// FFT (overlap-save) with the default transform length (`FFTLength.overlapAdd`).
    case fft
    /// FFT (overlap-save) with this transform length (at least the kernel length).
    case fftLength(Int)
}

/// Transform lengths for block FFT convolution (overlap-save segments of N - K + 1 outputs; the
/// name `overlapAdd` is kept for callers: the segment arithmetic is the same).
public enum FFTLength {
    /// True when n has no prime factor above 7 (FFTW has fast codelets for 2, 3, 5, 7).
    public static func isFast(_ n: Int) -> Bool {
        var m = n
        guard m > 0 else { return false }
        for p in [2, 3, 5, 7] { while m % p == 0 { m /= p } }
        return m == 1
    }

    public static func nextFast(_ n: Int) -> Int {
        var m = max(n, 1)
        while !isFast(m) { m += 1 }
        return m
    }

    /// Streaming transform length for a kernel of K samples: the power of two >= 8K (segment
    /// length N - K + 1 >= 7N/8, within a few percent of the minimum of N log N / (N - K + 1)),
    /// at least 8192 so that per-segment costs (copies, tail, calls) are amortised. When the whole
    /// signal (n samples) fits a shorter fast length, that single transform is used instead.
    public static func overlapAdd(kernelLength k: Int, signalLength n: Int? = nil) -> Int {
        var streaming = 8192
        while streaming < 8 * k { streaming *= 2 }
        if let n, n > 0 {
            let single = nextFast(n + k - 1)
            if single < streaming { return single }
        }
        return streaming
    }
}
