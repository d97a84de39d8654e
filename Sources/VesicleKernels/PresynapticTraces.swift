/// Presynaptic traces of docs/MODEL.md §5: x_i(t) = sum_{t_k <= t} eps(t - t_k) with
/// eps(s) = exp(-s/tau_eps), a unit jump per spike, on grid points t_n = n dt.
/// Computed through the same binning and convolution path as kernel inputs; with the exponential
/// sub-step weighting of `SpikeBinning` the grid values are exact for any spike time (up to
/// rounding and the kernel's tail truncation below 1e-12). x is right-continuous: a spike at
/// t_n is already counted in x(t_n).
public enum PresynapticTraces {
    /// x_i at grid points n < steps, one channel per spike train.
    public static func compute(
        spikeTimes: [[Double]], tauEps: Double, dt: Double, steps: Int,
        method: ConvolutionMethod = .automatic, planCache: FFTWPlanCache = .shared
    ) throws -> MultichannelSignal {
        try stream(spikeTimes: spikeTimes, tauEps: tauEps, dt: dt, expectedSteps: steps, method: method, planCache: planCache)
            .next(steps: steps)
    }

    /// The same traces block by block, for long runs.
    public static func stream(
        spikeTimes: [[Double]], tauEps: Double, dt: Double, expectedSteps: Int? = nil,
        method: ConvolutionMethod = .automatic, planCache: FFTWPlanCache = .shared
    ) throws -> KernelSignalStream {
        let kernel = try SampledKernel(.exponential(tau: tauEps), dt: dt)
        let trains = try spikeTimes.map { try WeightedSpikeTrain(times: $0, weight: 1) }
        return try KernelSignalStream(
            kernel: kernel, trains: trains, expectedSteps: expectedSteps, method: method, planCache: planCache)
    }
}
