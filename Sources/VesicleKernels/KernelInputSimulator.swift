/// Feed-forward kernel-driven input (docs/DESIGN.md, "FFT where it pays"; issue 5): each target neuron
/// receives the weighted spike train of its inputs, binned on the grid dt (`SpikeBinning`),
/// convolved with a sampled kernel into a current I_n (pA) at grid point t_n, held constant on
/// [t_n, t_n + dt), and integrated exactly by a `PiecewiseConstantLIF`.
///
/// Because the inputs do not depend on the targets, their currents are computed ahead in blocks
/// of `blockSteps` grid steps by a `KernelSignalStream` (FFT or direct by the measured crossover,
/// `ConvolutionMethod.automatic`), which is exactly causal, so block boundaries do not change
/// the result.
public final class KernelInputSimulator {
    public let kernel: SampledKernel
    public let targetCount: Int
    public let blockSteps: Int
    public private(set) var neurons: [PiecewiseConstantLIF]
    /// Grid steps simulated so far; the next step starts at `completedSteps * dt`.
    public private(set) var completedSteps = 0
    private let currents: KernelSignalStream

    /// - Parameters:
    ///   - inputs: one weighted spike train per target neuron (merge a target's input synapses with
    ///     `WeightedSpikeTrain.merged`).
    ///   - initialPotentials: V at t = 0 per target (default E_L).
    public init(
        kernel: SampledKernel, neuron: LIFParameters, inputs: [WeightedSpikeTrain],
        initialPotentials: [Double]? = nil, blockSteps: Int = 8192,
        method: ConvolutionMethod = .automatic, planCache: FFTWPlanCache = .shared
    ) throws {
        guard blockSteps > 0 else { throw ConvolutionError.invalidArgument("blockSteps must be positive") }
        if let initialPotentials, initialPotentials.count != inputs.count {
            throw ConvolutionError.shapeMismatch(
                "\(initialPotentials.count) initial potentials for \(inputs.count) targets")
        }
        self.kernel = kernel
        targetCount = inputs.count
        self.blockSteps = blockSteps
        neurons = (0..<inputs.count).map {
            PiecewiseConstantLIF(parameters: neuron, membranePotential: initialPotentials?[$0])
        }
        currents = try KernelSignalStream(kernel: kernel, trains: inputs, method: method, planCache: planCache)
    }

    /// Simulates `steps` more grid steps; returns the output spike times (ms) per target, and
    /// passes each block's input current to `recordCurrent` (target-major, one value per step).
    @discardableResult
    public func advance(steps: Int, recordCurrent: ((_ firstStep: Int, _ current: MultichannelSignal) -> Void)? = nil)
        throws -> [[Double]]
    {
        guard steps >= 0 else { throw ConvolutionError.invalidArgument("steps must be >= 0") }
        var spikes = Array(repeating: [Double](), count: targetCount)
        let dt = kernel.dt
        var done = 0
        while done < steps {
            let count = min(blockSteps, steps - done)
            let first = completedSteps
            let current = try currents.next(steps: count)
            recordCurrent?(first, current)
            for target in 0..<targetCount {
                var neuron = neurons[target]
                for n in 0..<count {
                    neuron.advance(from: Double(first + n) * dt, dt: dt, current: current[target, n], spikes: &spikes[target])
                }
                neurons[target] = neuron
            }
            completedSteps += count
            done += count
        }
        return spikes
    }
}
