// `vesicle bench weak` (issue 16, Performance; docs/SCALING.md): weak scaling. Under
// `mpirun -np R` the static Brunel network (regime C) has R times `--per-rank` neurons, with the
// in-degrees of `--per-rank` neurons (C_E = N_E / 10 and C_I = N_I / 10 of the per-rank network,
// and so its external rate), so every rank holds the same number of neurons and synapses whatever
// R is; NEST's weak scaling keeps the in-degree fixed in the same way. Without mpirun it is the
// one-rank point. Prints wall time per simulated second, per-rank compute / exchange / wait per
// window and per-rank peak resident memory; JSON last.

import ArgumentParser
import Foundation
import VesicleEngine
import VesicleModel
#if VESICLE_MPI
import VesicleMPI
#endif

struct BenchWeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weak",
        abstract: "Weak scaling on MPI ranks: static Brunel with --per-rank neurons per rank and fixed in-degrees; per-rank time and memory.")

    @Option(name: .customLong("per-rank"), parsing: .unconditional, help: "Neurons per rank (the network has R times as many).")
    var perRank: Int = 12_500

    @Option(name: .customLong("duration"), parsing: .unconditional,
            help: "Simulated time after the 100 ms warm-up, with its unit: 1s, 500ms (a bare number is ms).", transform: TimeOption.parse)
    var durationOption = TimeOption(milliseconds: 200, text: "200ms", bare: false)

    @Option(parsing: .unconditional, help: "The run's seed.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Threads per rank.")
    var threads: Int = 1

    var duration: Double { durationOption.milliseconds }

    func validate() throws {
        guard (10...50_000_000).contains(perRank) else { throw ValidationError("--per-rank \(perRank) is out of range: give 10 to 50000000 neurons") }
        try durationOption.validate(flag: "--duration")
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
    }

    /// Brunel (regime C) of `perRank` neurons with its populations made `ranks` times larger; the
    /// in-degrees and the external rate stay those of `perRank` neurons.
    /// - Complexity: O(1).
    static func spec(perRank: Int, ranks: Int, seed: UInt64, duration: Double) -> NetworkSpec {
        var spec = ReferenceNetworks.brunel(regime: .C, neurons: perRank, seed: seed, duration: duration, warmup: 100)
        for k in spec.populations.indices { spec.populations[k].size *= ranks }
        return spec
    }

    func run() throws {
        let ranks = try RankGroup.start()
        defer { ranks?.finish() }
        let count = ranks?.count ?? 1
        let root = ranks?.isRoot ?? true
        let spec = Self.spec(perRank: perRank, ranks: count, seed: seed, duration: duration)
        if root {
            print(BenchmarkMachine.summary)
            print("command: \(count > 1 ? "mpirun -np \(count) " : "")vesicle bench weak --per-rank \(perRank) --duration \(TimeOption.trim(duration))ms --seed \(seed) --threads \(threads)")
            if count > BenchmarkMachine.cores {
                print("note: \(count) ranks of \(threads) thread\(threads == 1 ? "" : "s") on \(BenchmarkMachine.cores) cores: oversubscribed, so the ranks take turns on the cores")
            }
        }
        let network = try NetworkBuilder.build(spec, part: ranks?.part(threads: threads))
        let built = BenchmarkMachine.peakResidentBytes ?? 0
        #if VESICLE_MPI
        let world = ranks?.world
        #endif
        let simulator: Simulator
        #if VESICLE_MPI
        simulator = Simulator(network: network, threads: threads, exchange: world)
        #else
        simulator = Simulator(network: network, threads: threads)
        #endif
        simulator.run(until: spec.simulation.warmup)
        #if VESICLE_MPI
        world?.barrier()
        world?.resumeClock()
        let start = (world?.computeSeconds ?? 0, world?.waitSeconds ?? 0, world?.exchangeSeconds ?? 0, world?.exchanges ?? 0)
        #endif
        let before = simulator.counters
        let t0 = Date()
        simulator.run(until: spec.simulation.warmup + duration)
        #if VESICLE_MPI
        world?.barrier()
        #endif
        let wall = Date().timeIntervalSince(t0)
        let windows = simulator.counters.windows - before.windows
        var compute = [wall], wait = [0.0], exchange = [0.0]
        var peaks = [Double(BenchmarkMachine.peakResidentBytes ?? 0)], builtPeaks = [Double(built)]
        var synapses = network.synapseCount
        #if VESICLE_MPI
        if let world, let ranks {
            compute = world.gather(world.computeSeconds - start.0)
            wait = world.gather(world.waitSeconds - start.1)
            exchange = world.gather(world.exchangeSeconds - start.2)
            peaks = world.gather(peaks[0])
            builtPeaks = world.gather(builtPeaks[0])
            synapses = ranks.synapseTotal(network)
            _ = start.3
        }
        #endif
        guard root else { return }
        let perWindow = { (s: Double) in s / Double(max(windows, 1)) * 1e6 }
        let events = (simulator.counters.recurrentEvents - before.recurrentEvents) + (simulator.counters.externalEvents - before.externalEvents)
        print(String(format: "%d ranks x %d neurons = %d neurons, %d synapses (in-degrees %d + %d); %.0f ms after 100 ms warm-up",
                     count, perRank, network.neuronCount, synapses, perRank * 4 / 5 / 10, (perRank - perRank * 4 / 5) / 10, duration))
        print(String(format: "simulate: %.3f s wall, %.2f wall s per simulated s; %d windows; %d events", wall, wall / (duration / 1000), windows, events))
        for r in 0..<count {
            print(String(format: "rank %d: per window compute %.1f us, wait %.1f us, exchange %.1f us; peak RSS %.1f MiB (%.1f MiB after the build)",
                         r, perWindow(compute[r]), perWindow(wait[r]), perWindow(exchange[r]), peaks[r] / 1048576, builtPeaks[r] / 1048576))
        }
        var json = JSONLine()
        json.add("benchmark", "weak_scaling")
        json.add("ranks", count)
        json.add("threads", threads)
        json.add("neurons_per_rank", perRank)
        json.add("neurons", network.neuronCount)
        json.add("synapses", synapses)
        json.add("duration_ms", duration)
        json.add("wall_s", wall)
        json.add("wall_s_per_simulated_s", wall / (duration / 1000))
        json.add("windows", windows)
        json.add("oversubscribed", count * threads > BenchmarkMachine.cores ? 1 : 0)
        for r in 0..<count {
            json.add("rank\(r)_compute_us_per_window", perWindow(compute[r]))
            json.add("rank\(r)_wait_us_per_window", perWindow(wait[r]))
            json.add("rank\(r)_exchange_us_per_window", perWindow(exchange[r]))
            json.add("rank\(r)_peak_rss_bytes", Int(peaks[r]))
        }
        print(json.text)
    }
}
