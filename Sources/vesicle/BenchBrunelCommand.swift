import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleEngine
import VesicleModel
import VesicleSynapses

/// Brunel (2000) exactly as docs/BENCHMARKS.md §1 defines it: build, 100 ms warm-up, simulate, report.
/// With `--synapse bayesian` the same network runs first with static synapses, in the same process,
/// as the baseline the Bayesian cost is quoted against.
struct BenchBrunelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brunel",
        abstract: "Brunel (2000) sparse balanced network: build and run time, events per second, statistics, memory.")

    @Option(parsing: .unconditional, help: "Total neurons N (N_E = 0.8 N, in-degrees 10% of each population).")
    var neurons: Int = 12_500

    @Option(name: .customLong("duration"), parsing: .unconditional, help: "Simulated time after the 100 ms warm-up, with its unit: 1s, 500ms (a bare number is ms).", transform: TimeOption.parse)
    var durationOption = TimeOption(milliseconds: 1000, text: "1000ms", bare: false)

    @Option(help: "Brunel regime: A, B, C or D.")
    var regime: String = "C"

    @Option(parsing: .unconditional, help: "The run's seed.")
    var seed: UInt64 = 1

    @Option(help: "Event queue: binary-heap, collections-heap or calendar.")
    var queue: String = EventQueueKind.binaryHeap.rawValue

    @Option(help: "Recurrent synapses: static, bayesian (posterior sampling), or stdp (E->E plastic); the latter two also run static as the baseline.")
    var synapse: String = "static"

    @Option(parsing: .unconditional, help: "Threads for the windows' deliveries; above 1, the one-thread run is measured first as the baseline.")
    var threads: Int = 1

    @Option(help: "Neuron model: lif_delta (Brunel's), or lif_exp (the same network with exponential currents, tau_syn = 0.5 ms, each PSP's charge J C_m / tau_syn).")
    var neuron: String = "lif_delta"

    func validate() throws {
        guard BrunelRegime(rawValue: regime.uppercased()) != nil else {
            throw ValidationError("regime must be A, B, C or D, got '\(regime)'")
        }
        guard EventQueueKind(rawValue: queue) != nil else {
            throw ValidationError("queue must be one of \(EventQueueKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["static", "bayesian", "stdp"].contains(synapse) else { throw ValidationError("--synapse must be static, bayesian or stdp") }
        guard ["lif_delta", "lif_exp"].contains(neuron) else { throw ValidationError("--neuron must be lif_delta or lif_exp") }
        // Each in-degree is 10 % of a population (N_I = N / 5): below 50 neurons it rounds to no
        // synapse and the threshold rate is infinite (it printed -nan).
        guard neurons >= 50 else { throw ValidationError("--neurons \(neurons) is out of range: at least 50, so that every in-degree (10 % of a population) is one neuron or more") }
        try durationOption.validate(flag: "--duration")
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
    }

    struct Measurement {
        var build: Double
        var wall: Double
        var recurrent: Int
        var external: Int
        var excitatory: SpikeTrainStatistics
        var inhibitory: SpikeTrainStatistics
        var bytesPerSynapse: Double
        var synapses: Int
        var neurons: Int
    }

    /// Simulated ms per chunk when several networks alternate.
    static let chunk = 100.0

    func report(_ result: Measurement, label: String) {
        let simulated = duration / 1000
        print(String(format: "%@ simulate: %.0f ms in %.3f s wall, real-time factor %.3f (wall s per simulated s: %.3f)",
                     label as NSString, duration, result.wall, simulated / result.wall, result.wall / simulated))
        print(String(format: "%@ events: %d recurrent + %d external = %.3g per simulated s; %.3g events per wall s (%.3g recurrent/s)",
                     label as NSString, result.recurrent, result.external, Double(result.recurrent + result.external) / simulated,
                     Double(result.recurrent + result.external) / result.wall, Double(result.recurrent) / result.wall))
        // A statistic with no data (a 10-neuron network that never fires) is "undefined", never -nan.
        print("\(label) excitatory: rate \(Self.statistic(result.excitatory.rate, "%.2f")) Hz, CV \(Self.statistic(result.excitatory.cv, "%.3f")), "
              + "Fano \(Self.statistic(result.excitatory.fano, "%.3f")) (100 ms bins); inhibitory rate \(Self.statistic(result.inhibitory.rate, "%.2f")) Hz")
    }

    func run() throws {
        // Under mpirun with several ranks: 1 rank against R (BenchBrunelCommand+Ranks.swift).
        if let ranks = try RankGroup.start() { return try runOnRanks(ranks) }
        let regime = BrunelRegime(rawValue: regime.uppercased())!
        print(BenchmarkMachine.summary)
        print("command: vesicle bench brunel --neurons \(neurons) --duration \(duration) --regime \(regime.rawValue) --seed \(seed) --queue \(queue) --synapse \(synapse) --threads \(threads) --neuron \(neuron)")
        let kind = EventQueueKind(rawValue: queue)!
        var staticSpec = ReferenceNetworks.brunel(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: 100)
        var mainSpec = synapse == "bayesian"
            ? ReferenceNetworks.brunelBayesian(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: 100)
            : synapse == "stdp"
            ? ReferenceNetworks.brunelSTDP(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: 100)
            : staticSpec
        if neuron == "lif_exp" {
            staticSpec = Self.withExponentialCurrents(staticSpec)
            mainSpec = Self.withExponentialCurrents(mainSpec)
        }
        let warmup = staticSpec.simulation.warmup
        // The static network alone first, for its memory figure; then the others.
        let baseline = try Contestant(staticSpec, label: "static", queue: kind, threads: 1)
        baseline.warmUp(until: warmup)
        let staticPeak = BenchmarkMachine.peakResidentBytes ?? 0
        var contestants = [baseline]
        if synapse != "static" { contestants.append(try Contestant(mainSpec, label: synapse, queue: kind, threads: 1)) }
        if threads > 1 {
            contestants.append(try Contestant(mainSpec, label: "\(synapse), \(threads) threads", queue: kind, threads: threads))
        }
        for c in contestants.dropFirst() { c.warmUp(until: warmup) }
        if contestants.count > 1 {
            print(String(format: "%d networks simulated in alternating chunks of %.0f ms (order reversed every chunk)",
                         contestants.count, Self.chunk))
        }
        var reached = 0.0, k = 0
        while reached < duration {
            reached = min(duration, reached + (contestants.count > 1 ? Self.chunk : duration))
            for c in (k % 2 == 0 ? contestants : contestants.reversed()) { c.simulate(until: warmup + reached) }
            k += 1
        }
        let results = contestants.map { $0.measurement(warmup: warmup, duration: duration) }
        for (c, r) in zip(contestants, results) { report(r, label: c.label) }
        let baselineResult = results[0]
        var main = baselineResult
        if synapse == "bayesian" {
            main = results[1]
            print(String(format: "bayesian / static: simulate %.2fx, build %.2fx, %.1f vs %.1f bytes/synapse",
                         main.wall / baselineResult.wall, main.build / baselineResult.build, main.bytesPerSynapse,
                         baselineResult.bytesPerSynapse))
            print("release kernel: \(ReleaseKernel.selected) (this CPU has \(ReleaseKernel.available.map(\.description).joined(separator: ", ")); VESICLE_RELEASE_KERNEL chooses)")
        } else if synapse == "stdp" {
            main = results[1]
            print(String(format: "stdp / static: simulate %.2fx, build %.2fx, %.1f vs %.1f bytes/synapse (E->E plastic: %d synapses)",
                         main.wall / baselineResult.wall, main.build / baselineResult.build, main.bytesPerSynapse,
                         baselineResult.bytesPerSynapse, contestants[1].plasticSynapses))
            print(String(format: "stdp / static CPU time of the simulating thread: %.2fx (%.3f s vs %.3f s; the wall ratio also counts waits for a core)",
                         contestants[1].cpu / baseline.cpu, contestants[1].cpu, baseline.cpu))
            if let w = contestants[1].stdpWeights("E->E") {
                print(String(format: "E->E weights after the run: mean %.5f mV, range [%.5f, %.5f] mV (static J = 0.1 mV, Wmax 0.2 mV)",
                             w.mean, w.min, w.max))
            }
        }
        var parallel: Measurement?
        if threads > 1, let run = results.last {
            let same = run.recurrent == main.recurrent && run.external == main.external
                && run.excitatory.rate == main.excitatory.rate && run.excitatory.cv == main.excitatory.cv
                && run.excitatory.fano == main.excitatory.fano
            print(String(format: "%d threads / 1 thread: simulate %.2fx faster; events and statistics %@ the one-thread run's",
                         threads, main.wall / run.wall, same ? "identical to" : "DIFFERENT from"))
            parallel = run
        }
        let peak = BenchmarkMachine.peakResidentBytes ?? 0
        if contestants.count > 1 {
            print(String(format: "memory: peak RSS %.1f MB with the static network alone, %.1f MB with all %d",
                         Double(staticPeak) / 1e6, Double(peak) / 1e6, contestants.count))
        } else {
            print(String(format: "memory: peak RSS %.1f MB", Double(peak) / 1e6))
        }
        let simulated = duration / 1000
        var json = JSONLine()
        json.add("benchmark", "brunel")
        json.add("regime", regime.rawValue)
        json.add("synapse", synapse)
        json.add("neurons", main.neurons)
        json.add("synapses", main.synapses)
        json.add("seed", Int(seed))
        json.add("queue", queue)
        json.add("duration_ms", duration)
        json.add("build_s", main.build)
        json.add("simulate_wall_s", main.wall)
        json.add("wall_s_per_simulated_s", main.wall / simulated)
        json.add("realtime_factor", simulated / main.wall)
        json.add("recurrent_events", main.recurrent)
        json.add("external_events", main.external)
        json.add("events_per_wall_s", Double(main.recurrent + main.external) / main.wall)
        json.add("mean_rate_hz", main.excitatory.rate)
        json.add("mean_cv", main.excitatory.cv)
        json.add("fano", main.excitatory.fano)
        json.add("inhibitory_rate_hz", main.inhibitory.rate)
        json.add("peak_rss_bytes", contestants.count > 1 ? staticPeak : peak)
        json.add("process_peak_rss_bytes", peak)
        json.add("bytes_per_synapse", main.bytesPerSynapse)
        if synapse == "bayesian" {
            json.add("static_simulate_wall_s", baseline.wall)
            json.add("bayesian_over_static", main.wall / baseline.wall)
            json.add("release_kernel", ReleaseKernel.selected.description)
        }
        if synapse == "stdp" {
            json.add("static_simulate_wall_s", baseline.wall)
            json.add("stdp_over_static", main.wall / baseline.wall)
            json.add("stdp_over_static_cpu", contestants[1].cpu / baseline.cpu)
            json.add("plastic_synapses", contestants[1].plasticSynapses)
        }
        json.add("threads", threads)
        json.add("neuron", neuron)
        if let parallel {
            json.add("threaded_simulate_wall_s", parallel.wall)
            json.add("threaded_wall_s_per_simulated_s", parallel.wall / simulated)
            json.add("thread_speedup", main.wall / parallel.wall)
        }
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
    }

    /// Brunel's network with `lif_exp` neurons: tau_syn = 0.5 ms for both currents, and every PSP of
    /// J mV (recurrent and external) becomes a current jump of J C_m / tau_syn pA, which carries the
    /// same charge, so that the jump of V is J when tau_syn << tau_m. A benchmark of the lif_exp path,
    /// not a calibrated replica of Brunel's regimes.
    static func withExponentialCurrents(_ spec: NetworkSpec) -> NetworkSpec {
        var spec = spec
        let tauSyn = 0.5
        var factor = 1.0
        for k in spec.populations.indices {
            guard case .lifDelta(var p) = spec.populations[k].model else { continue }
            p.tauSynExcitatory = tauSyn
            p.tauSynInhibitory = tauSyn
            factor = p.capacitance / tauSyn
            spec.populations[k].model = .lifExp(p)
        }
        for k in spec.projections.indices {
            if case .constant(let w) = spec.projections[k].weight { spec.projections[k].weight = .constant(w * factor) }
        }
        for k in spec.inputs.indices { spec.inputs[k].weight *= factor }
        return spec
    }
}
