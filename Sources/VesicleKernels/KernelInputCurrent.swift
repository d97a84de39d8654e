/// The kernel-driven input current alone: I_n = sum_k w_k' h[n - m_k] on grid points
/// n = 0 ..< steps, with spikes binned by `SpikeBinning` (one channel per train).
public enum KernelInputCurrent {
    public static func compute(
        _ trains: [WeightedSpikeTrain], kernel: SampledKernel, steps: Int,
        method: ConvolutionMethod = .automatic, planCache: FFTWPlanCache = .shared
    ) throws -> MultichannelSignal {
        guard steps >= 0 else { throw ConvolutionError.invalidArgument("steps must be >= 0") }
        var cursors = Array(repeating: 0, count: trains.count)
        let binned = SpikeBinning.bin(
            trains, dt: kernel.dt, firstStep: 0, steps: steps, exponentialTau: kernel.exponentialTau,
            cursors: &cursors)
        return try Convolution.causal(binned, kernel: kernel.values, method: method, planCache: planCache)
    }
}
