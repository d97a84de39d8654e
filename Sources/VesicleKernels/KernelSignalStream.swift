/// Weighted spike trains (one per channel), binned on the grid (`SpikeBinning`) and convolved
/// with a sampled kernel, produced block by block: s_n = sum_k w_k' h[n - m_k] for the grid
/// points of each block in turn. The streaming convolver is exactly causal, so the values do not
/// depend on the block sizes; feed-forward inputs can thus be convolved ahead in long blocks.
public final class KernelSignalStream {
    public let kernel: SampledKernel
    public let trains: [WeightedSpikeTrain]
    /// Grid points produced so far; the next block starts at t = completedSteps * dt.
    public private(set) var completedSteps = 0
    private let convolver: StreamingConvolver
    private var cursors: [Int]

    /// - Parameter expectedSteps: the total number of steps, when known, lets a short signal use
    ///   one transform (`FFTLength.overlapAdd`).
    public init(
        kernel: SampledKernel, trains: [WeightedSpikeTrain], expectedSteps: Int? = nil,
        method: ConvolutionMethod = .automatic, planCache: FFTWPlanCache = .shared
    ) throws {
        self.kernel = kernel
        self.trains = trains
        cursors = Array(repeating: 0, count: trains.count)
        convolver = try StreamingConvolver(
            kernel: kernel.values, channels: trains.count, method: method,
            expectedSignalLength: expectedSteps, planCache: planCache)
    }

    public var channels: Int { trains.count }

    /// The signal at the next `steps` grid points, one channel per train.
    public func next(steps: Int) throws -> MultichannelSignal {
        guard steps >= 0 else { throw ConvolutionError.invalidArgument("steps must be >= 0, got \(steps)") }
        let binned = SpikeBinning.bin(
            trains, dt: kernel.dt, firstStep: completedSteps, steps: steps,
            exponentialTau: kernel.exponentialTau, cursors: &cursors)
        completedSteps += steps
        return try convolver.process(binned)
    }
}
