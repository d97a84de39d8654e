import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleEngine
import VesicleModel

/// Brunel (2000) exactly as BENCHMARKS.md §1 defines it: build, 100 ms warm-up, simulate, report.
struct BenchBrunelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brunel",
        abstract: "Brunel (2000) sparse balanced network: build and run time, events per second, statistics, memory.")

    @Option(help: "Total neurons N (N_E = 0.8 N, in-degrees 10% of each population).")
    var neurons: Int = 12_500

    @Option(help: "Simulated time after the 100 ms warm-up, ms.")
    var duration: Double = 1000

    @Option(help: "Brunel regime: A, B, C or D.")
    var regime: String = "C"

    @Option(help: "The run's seed.")
    var seed: UInt64 = 1

    @Option(help: "Event queue: binary-heap, collections-heap or calendar.")
    var queue: String = EventQueueKind.binaryHeap.rawValue

    func validate() throws {
        guard BrunelRegime(rawValue: regime.uppercased()) != nil else {
            throw ValidationError("regime must be A, B, C or D, got '\(regime)'")
        }
        guard EventQueueKind(rawValue: queue) != nil else {
            throw ValidationError("queue must be one of \(EventQueueKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard neurons >= 10 else { throw ValidationError("--neurons must be at least 10") }
        guard duration > 0 else { throw ValidationError("--duration must be > 0 ms") }
    }

    func run() throws {
        let regime = BrunelRegime(rawValue: regime.uppercased())!
        let warmup = 100.0
        let spec = ReferenceNetworks.brunel(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: warmup)
        print(MachineDescription.summary)
        print("command: vesicle bench brunel --neurons \(neurons) --duration \(duration) --regime \(regime.rawValue) --seed \(seed) --queue \(queue)")
        let network = try NetworkBuilder.build(spec)
        print(String(format: "build: %.3f s, %d neurons, %d synapses, %.2f bytes/synapse (incl. row index)",
                     network.buildSeconds, network.neuronCount, network.synapseCount,
                     Double(network.synapseStorageBytes) / Double(network.synapseCount)))
        let simulator = Simulator(network: network, queue: EventQueueKind(rawValue: queue)!)
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.recordAllSpikes()

        let clock = ContinuousClock()
        let warmupCost = clock.measure { simulator.run(until: warmup, observer: collector) }
        let before = simulator.counters
        let cost = clock.measure { simulator.run(observer: collector) }
        let wall = Double(cost.components.seconds) + Double(cost.components.attoseconds) * 1e-18
        let warmupWall = Double(warmupCost.components.seconds) + Double(warmupCost.components.attoseconds) * 1e-18
        let after = simulator.counters
        let recurrent = after.recurrentEvents - before.recurrentEvents
        let external = after.externalEvents - before.externalEvents
        let simulatedSeconds = duration / 1000

        let excitatory = SpikeTrainStatistics.compute(times: collector.times[0], from: warmup, to: warmup + duration)
        let inhibitory = SpikeTrainStatistics.compute(times: collector.times[1], from: warmup, to: warmup + duration)
        let peak = MachineDescription.peakResidentBytes ?? 0
        let perSynapse = Double(network.projections.map { $0.synapses.bytesPerSynapse * $0.synapses.synapseCount }.reduce(0, +))
            / Double(network.synapseCount)

        print(String(format: "warm-up: %.0f ms simulated in %.3f s", warmup, warmupWall))
        print(String(format: "simulate: %.0f ms in %.3f s wall, real-time factor %.3f (wall s per simulated s: %.3f)",
                     duration, wall, simulatedSeconds / wall, wall / simulatedSeconds))
        print(String(format: "events: %d recurrent + %d external = %.3g per simulated s; %.3g events per wall s (%.3g recurrent/s)",
                     recurrent, external, Double(recurrent + external) / simulatedSeconds,
                     Double(recurrent + external) / wall, Double(recurrent) / wall))
        print(String(format: "excitatory: rate %.2f Hz, CV %.3f, Fano %.3f (100 ms bins); inhibitory rate %.2f Hz",
                     excitatory.rate, excitatory.cv, excitatory.fano, inhibitory.rate))
        print(String(format: "memory: peak RSS %.1f MB, %.2f bytes per synapse (per-synapse arrays)",
                     Double(peak) / 1e6, perSynapse))

        var json = JSONLine()
        json.add("benchmark", "brunel")
        json.add("regime", regime.rawValue)
        json.add("neurons", network.neuronCount)
        json.add("synapses", network.synapseCount)
        json.add("seed", Int(seed))
        json.add("queue", queue)
        json.add("duration_ms", duration)
        json.add("build_s", network.buildSeconds)
        json.add("simulate_wall_s", wall)
        json.add("wall_s_per_simulated_s", wall / simulatedSeconds)
        json.add("realtime_factor", simulatedSeconds / wall)
        json.add("recurrent_events", recurrent)
        json.add("external_events", external)
        json.add("events_per_wall_s", Double(recurrent + external) / wall)
        json.add("mean_rate_hz", excitatory.rate)
        json.add("mean_cv", excitatory.cv)
        json.add("fano", excitatory.fano)
        json.add("inhibitory_rate_hz", inhibitory.rate)
        json.add("peak_rss_bytes", peak)
        json.add("bytes_per_synapse", perSynapse)
        json.add("cores", MachineDescription.cores)
        json.add("cpu", MachineDescription.cpuModel)
        print(json.text)
    }
}
