import VesicleEngine
import VesicleModel

/// Small networks built from Swift for the engine tests.
enum TestNetworks {
    static func lif(tauM: Double = 10, capacitance: Double = 250, rest: Double = 0, threshold: Double = 15,
                    reset: Double = 0, refractory: Double = 2, bias: Double = 0,
                    tauE: Double = 2, tauI: Double = 2) -> LIFParameters {
        var p = LIFParameters()
        p.tauM = tauM
        p.capacitance = capacitance
        p.restingPotential = rest
        p.threshold = threshold
        p.resetPotential = reset
        p.refractoryPeriod = refractory
        p.biasCurrent = bias
        p.tauSynExcitatory = tauE
        p.tauSynInhibitory = tauI
        return p
    }

    /// Runs `spec` and returns every spike of every population, per neuron.
    static func run(_ spec: NetworkSpec, queue: EventQueueKind = .binaryHeap) throws -> (Network, SpikeCollector) {
        let (simulator, collector) = try simulate(spec, queue: queue)
        return (simulator.network, collector)
    }

    /// The same, returning the simulator (its counters, its thread count).
    static func simulate(_ spec: NetworkSpec, queue: EventQueueKind = .binaryHeap,
                         threads: Int = 1) throws -> (simulator: Simulator, collector: SpikeCollector) {
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network, queue: queue, threads: threads)
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.recordAllSpikes()
        simulator.run(observer: collector)
        return (simulator, collector)
    }

    /// One target neuron driven by spike-time sources, one source population per entry of `inputs`.
    static func driven(target model: NeuronModel, inputs: [(times: [Double], weight: Double, delay: Double)],
                       duration: Double, sampleInterval: Double? = nil) -> NetworkSpec {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: duration, seed: 1))
        spec.populations.append(PopulationSpec(name: "target", size: 1, model: model))
        for (k, input) in inputs.enumerated() {
            spec.populations.append(PopulationSpec(name: "source\(k)", size: 1, model: .spikeSource(times: [input.times])))
            spec.projections.append(ProjectionSpec(name: "source\(k)->target", source: .init(population: "source\(k)"),
                                                   target: .init(population: "target"), rule: .allToAll,
                                                   weight: .constant(input.weight), delay: .constant(input.delay)))
        }
        if let sampleInterval {
            spec.recordings.append(RecordingSpec(kind: .membrane(interval: sampleInterval), source: .init(population: "target")))
        }
        return spec
    }
}
