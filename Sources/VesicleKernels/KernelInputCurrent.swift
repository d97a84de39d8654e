/// The kernel-driven input current alone: I_n = sum_k w_k' h[n - m_k] on grid points
/// n = 0 ..< steps, with spikes binned by `SpikeBinning` (one channel per train). For long runs,
/// produce it in blocks with `KernelSignalStream`.
public enum KernelInputCurrent {
    public static func compute(
        _ trains: [WeightedSpikeTrain], kernel: SampledKernel, steps: Int,
        method: ConvolutionMethod = .automatic, planCache: FFTWPlanCache = .shared
    ) throws -> MultichannelSignal {
        let stream = try KernelSignalStream(
            kernel: kernel, trains: trains, expectedSteps: steps, method: method, planCache: planCache)
        return try stream.next(steps: steps)
    }
}
