/// One-shot convolution of whole signals (the streaming convolver fed once).
public enum Convolution {
    /// y[n] = sum_k h[k] x[n-k] for n < signal.length (the causal part, as long as the input).
    public static func causal(
        _ signal: MultichannelSignal, kernel: [Double], method: ConvolutionMethod = .automatic,
        planCache: FFTWPlanCache = .shared
    ) throws -> MultichannelSignal {
        let convolver = try StreamingConvolver(
            kernel: kernel, channels: signal.channels, method: method,
            expectedSignalLength: signal.length, planCache: planCache)
        return try convolver.process(signal)
    }

    /// The full linear convolution, signal.length + K - 1 samples per channel (empty input gives
    /// empty output).
    public static func full(
        _ signal: MultichannelSignal, kernel: [Double], method: ConvolutionMethod = .automatic,
        planCache: FFTWPlanCache = .shared
    ) throws -> MultichannelSignal {
        guard signal.length > 0 else { return MultichannelSignal(zeros: signal.channels, length: 0) }
        let total = signal.length + kernel.count - 1
        var padded = MultichannelSignal(zeros: signal.channels, length: total)
        for c in 0..<signal.channels {
            for n in 0..<signal.length { padded[c, n] = signal[c, n] }
        }
        return try causal(padded, kernel: kernel, method: method, planCache: planCache)
    }
}
