import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleEngine
import VesicleModel

/// Brette et al. (2007) CUBA: rate and wall time. `--model lif_delta` (the default) is benchmark 4,
/// event-driven with delta synapses (BENCHMARKS.md §2); `--model lif_exp` is benchmark 2 with
/// exponential currents, NEST's `examples/nest/Brette_et_al_2007/cuba.sli` parameters, which NEST runs
/// with `iaf_psc_exp` on a 0.1 ms grid and Vesicle runs with exact crossing times (issue 14's "CUBA
/// with lif_exp").
struct BenchCUBACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuba", abstract: "Brette et al. (2007) CUBA (delta synapses, or lif_exp currents): rate and wall time.")

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case lifDelta = "lif_delta"
        case lifExp = "lif_exp"
    }

    @Option(help: "Neuron model: lif_delta (benchmark 4, BENCHMARKS.md §2) or lif_exp (benchmark 2, NEST's cuba.sli).")
    var model: Model = .lifDelta

    @Option(name: .customLong("duration"), parsing: .unconditional, help: "Simulated time, with its unit: 1s, 500ms (a bare number is ms).", transform: TimeOption.parse)
    var durationOption = TimeOption(milliseconds: 10000, text: "10000ms", bare: false)

    @Option(parsing: .unconditional, help: "The run's seed.")
    var seed: UInt64 = 1

    func validate() throws {
        try durationOption.validate(flag: "--duration")
    }

    func run() throws {
        print(BenchmarkMachine.summary)
        print("command: vesicle bench cuba --model \(model.rawValue) --duration \(duration) --seed \(seed)")
        let spec = model == .lifExp ? Self.exponentialCurrentCUBA(seed: seed, duration: duration)
            : ReferenceNetworks.bretteCUBA(seed: seed, duration: duration)
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network)
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.recordAllSpikes()
        let clock = ContinuousClock()
        let cost = clock.measure { simulator.run(observer: collector) }
        let wall = BenchmarkMachine.seconds(cost)
        let all = collector.times[0] + collector.times[1]
        let stats = SpikeTrainStatistics.compute(times: all, from: 0, to: duration)
        print(String(format: "build: %.3f s, %d neurons, %d synapses", network.buildSeconds, network.neuronCount, network.synapseCount))
        print(String(format: "simulate: %.0f ms in %.3f s wall (%.3f wall s per simulated s), %d synaptic events",
                     duration, wall, wall / (duration / 1000), simulator.counters.recurrentEvents))
        print(String(format: "rate %.2f Hz (all neurons), CV %.3f", stats.rate, stats.cv))
        var json = JSONLine()
        json.add("benchmark", "cuba")
        json.add("model", model.rawValue)
        json.add("neurons", network.neuronCount)
        json.add("synapses", network.synapseCount)
        json.add("duration_ms", duration)
        json.add("build_s", network.buildSeconds)
        json.add("simulate_wall_s", wall)
        json.add("events", simulator.counters.recurrentEvents)
        json.add("mean_rate_hz", stats.rate)
        json.add("mean_cv", stats.cv)
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
    }

    /// Benchmark 2 as NEST's cuba.sli states it: iaf_psc_exp with C_m = 200 pF, tau_m = 20 ms,
    /// tau_syn = 5 ms (E) and 10 ms (I), E_L = -49 mV, V_th = -50 mV, V_reset = -60 mV, t_ref = 5 ms;
    /// fixed in-degree 64 excitatory and 16 inhibitory sources (2 % of 3200 and 800), weights 16.2 pA
    /// and -139.5 pA, delay 0.1 ms; the 300 Hz Poisson kick to the first 50 E neurons in 1-51 ms.
    /// One difference: cuba.sli starts every neuron at V = E_L = -49 mV, above threshold, so all 4000
    /// fire together at t = 0; here V starts uniform in [V_reset, V_th], as in benchmark 4.
    static func exponentialCurrentCUBA(seed: UInt64, duration: Double) -> NetworkSpec {
        var spec = ReferenceNetworks.bretteCUBA(seed: seed, duration: duration)
        var lif = LIFParameters()
        lif.tauM = 20
        lif.capacitance = 200
        lif.restingPotential = -49
        lif.threshold = -50
        lif.resetPotential = -60
        lif.refractoryPeriod = 5
        lif.tauSynExcitatory = 5
        lif.tauSynInhibitory = 10
        for p in spec.populations.indices { spec.populations[p].model = .lifExp(lif) }
        let delay = 0.1, excitatory = 16.2, inhibitory = -139.5
        for i in spec.inputs.indices {
            spec.inputs[i].weight = excitatory
            spec.inputs[i].delay = delay
        }
        for p in spec.projections.indices {
            let fromE = spec.projections[p].source.population == "E"
            spec.projections[p].rule = .fixedIndegree(fromE ? 64 : 16)
            spec.projections[p].weight = .constant(fromE ? excitatory : inhibitory)
            spec.projections[p].delay = .constant(delay)
        }
        return spec
    }
}
