/// Presynaptic traces of MODEL.md §5: x_i(t) = sum_{t_k <= t} eps(t - t_k) with
/// eps(s) = exp(-s/tau_eps), a unit jump per spike, on grid points t_n = n dt, n < steps.
/// Computed through the same binning and convolution path as kernel inputs; with the exponential
/// sub-step weighting of `SpikeBinning` the grid values are exact for any spike time (up to
/// rounding and the kernel's tail truncation below 1e-12). x is right-continuous: a spike at
/// t_n is already counted in x(t_n).
public enum PresynapticTraces {
    public static func compute(
        spikeTimes: [[Double]], tauEps: Double, dt: Double, steps: Int,
        method: ConvolutionMethod = .automatic, planCache: FFTWPlanCache = .shared
    ) throws -> MultichannelSignal {
        let kernel = try SampledKernel(.exponential(tau: tauEps), dt: dt)
        let trains = try spikeTimes.map { try WeightedSpikeTrain(times: $0, weight: 1) }
        return try KernelInputCurrent.compute(trains, kernel: kernel, steps: steps, method: method, planCache: planCache)
    }
}
