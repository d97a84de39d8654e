import Foundation

/// The exponential PSP traces of one plastic projection's presynaptic neurons (docs/MODEL.md §5):
/// `x_j(t) = sum_k e^(-(t - a_k)/tau_eps)` over the arrivals `a_k <= t` (emission plus the
/// projection's delay) of neuron j's spikes. Every synapse of row j shares it, since the delay is
/// uniform over the projection.
///
/// The filter reads every trace at every step, so the trace is carried from step boundary to step
/// boundary: decayed by `e^(-h/tau_eps)` and increased by `e^(-(t_end - a)/tau_eps)` for each arrival
/// `a <= t_end` at its real time, not the grid. This is exact and is the same arithmetic, in the same
/// order, as the single-neuron experiment (`SynapticFilterExperiment`), so the two agree bitwise.
final class PresynapticTrace {
    let tauEpsilon: Double
    let delay: Double
    private let decayPerStep: Double
    let neuronCount: Int
    /// x_j at the current step boundary.
    private(set) var value: UnsafeMutablePointer<Double>
    /// x_j at the step boundary before it (what the step just ended used).
    private(set) var previous: UnsafeMutablePointer<Double>
    /// Arrivals not yet added, ascending in (time, neuron).
    /// Internal: `SpikeBasedPlasticity+Checkpoint.swift` restores them.
    var pendingTime: [Double] = []
    var pendingNeuron: [UInt32] = []
    var pendingHead = 0

    init(neuronCount: Int, tauEpsilon: Double, delay: Double, step: Double) {
        self.tauEpsilon = tauEpsilon
        self.delay = delay
        decayPerStep = exp(-step / tauEpsilon)
        self.neuronCount = neuronCount
        value = .allocate(capacity: max(neuronCount, 1))
        value.initialize(repeating: 0, count: max(neuronCount, 1))
        previous = .allocate(capacity: max(neuronCount, 1))
        previous.initialize(repeating: 0, count: max(neuronCount, 1))
    }

    deinit {
        value.deallocate()
        previous.deallocate()
    }

    /// Queues the arrival of a spike that neuron j emitted at time t; emissions come in time order,
    /// and so, the delay being uniform, do arrivals.
    func schedule(emission t: Double, neuron j: UInt32) {
        pendingTime.append(t + delay)
        pendingNeuron.append(j)
    }

    /// Carries every trace from the step boundary `end - h` to `end`, keeping the former in `previous`.
    func advance(to end: Double) {
        let d = decayPerStep
        swap(&value, &previous)
        let x = value, before = previous
        for j in 0..<neuronCount { x[j] = before[j] * d }
        while pendingHead < pendingTime.count && pendingTime[pendingHead] <= end {
            x[Int(pendingNeuron[pendingHead])] += exp(-(end - pendingTime[pendingHead]) / tauEpsilon)
            pendingHead += 1
        }
        if pendingHead > 4096 && pendingHead * 2 > pendingTime.count {
            pendingTime.removeFirst(pendingHead)
            pendingNeuron.removeFirst(pendingHead)
            pendingHead = 0
        }
    }
}
