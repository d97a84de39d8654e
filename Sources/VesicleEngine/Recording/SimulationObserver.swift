/// Receives what the simulator records, in time order. Spikes of one window arrive sorted by
/// (time, global neuron index); membrane samples in (time, neuron) order.
public protocol SimulationObserver: AnyObject {
    func spike(population: Int, neuron: Int, time: Double)
    func membrane(population: Int, neuron: Int, time: Double, potential: Double)
    /// One release of a Bayesian synapse (docs/MODEL.md §3): `synapse` indexes the projection's synapses,
    /// `pre` and `post` are local neuron indices, (mu, sigma2) the posterior it was drawn from.
    func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double,
                 mu: Double, sigma2: Double)
    /// A posterior snapshot of one synapse.
    func posterior(projection: Int, synapse: Int, time: Double, mu: Double, sigma2: Double)
    /// A weight snapshot of one STDP synapse (`record weights`).
    func weight(projection: Int, synapse: Int, time: Double, weight: Double)
}

extension SimulationObserver {
    public func membrane(population: Int, neuron: Int, time: Double, potential: Double) {}
    public func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double,
                        mu: Double, sigma2: Double) {}
    public func posterior(projection: Int, synapse: Int, time: Double, mu: Double, sigma2: Double) {}
    public func weight(projection: Int, synapse: Int, time: Double, weight: Double) {}
}

/// Keeps every recorded spike in memory, per population and neuron (for tests and benchmarks).
public final class SpikeCollector: SimulationObserver {
    /// times[population][neuron] in ms, ascending.
    public private(set) var times: [[[Double]]]
    public private(set) var count = 0
    public private(set) var samples: [(population: Int, neuron: Int, time: Double, potential: Double)] = []

    public init(populationSizes: [Int]) {
        times = populationSizes.map { Array(repeating: [], count: $0) }
    }

    public func spike(population: Int, neuron: Int, time: Double) {
        times[population][neuron].append(time)
        count += 1
    }

    public func membrane(population: Int, neuron: Int, time: Double, potential: Double) {
        samples.append((population, neuron, time, potential))
    }
}
