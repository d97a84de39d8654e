import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleEngine
import VesicleModel

/// Brette et al. (2007) benchmark 4, event-driven CUBA (BENCHMARKS.md §2): rate and wall time.
struct BenchCUBACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuba", abstract: "Brette et al. (2007) benchmark 4 (event-driven CUBA): rate and wall time.")

    @Option(name: .customLong("duration"), parsing: .unconditional, help: "Simulated time, with its unit: 1s, 500ms (a bare number is ms).", transform: TimeOption.parse)
    var durationOption = TimeOption(milliseconds: 10000, text: "10000ms", bare: false)

    @Option(help: "The run's seed.")
    var seed: UInt64 = 1

    func validate() throws {
        try durationOption.validate(flag: "--duration")
    }

    func run() throws {
        print(BenchmarkMachine.summary)
        print("command: vesicle bench cuba --duration \(duration) --seed \(seed)")
        let spec = ReferenceNetworks.bretteCUBA(seed: seed, duration: duration)
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
}
