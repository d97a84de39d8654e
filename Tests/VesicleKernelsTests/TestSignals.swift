@testable import VesicleKernels

/// Seeded test inputs and an independent reference convolution.
enum TestSignals {
    /// Uniform samples in [-1, 1) from SplitMix64 with the given seed.
    static func uniform(count: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in 2 * generator.nextUnit() - 1 }
    }

    static func signal(channels: Int, length: Int, seed: UInt64) -> MultichannelSignal {
        try! MultichannelSignal(channels: channels, length: length, samples: uniform(count: channels * length, seed: seed))
    }

    /// The textbook double loop y[n] = sum_k h[k] x[n-k], n < x.count.
    static func naiveCausal(_ x: ArraySlice<Double>, _ h: [Double]) -> [Double] {
        let x = Array(x)
        return (0..<x.count).map { n in
            var sum = 0.0
            for k in 0..<min(h.count, n + 1) { sum += h[k] * x[n - k] }
            return sum
        }
    }

    /// max_n sum_k |h[k]| |x[n-k]|: the magnitude against which rounding is relative.
    static func scale(_ x: ArraySlice<Double>, _ h: [Double]) -> Double {
        let absolute = naiveCausal(ArraySlice(x.map(abs)), h.map(abs))
        return max(absolute.max() ?? 0, .leastNormalMagnitude)
    }
}
