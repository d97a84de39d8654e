import ArgumentParser
import Foundation
import VesicleAnalysis
import VesicleDSL
import VesicleEngine
import VesicleModel

/// The Potjans & Diesmann (2014) microcircuit (BENCHMARKS.md §2b) from `Networks/microcircuit.vsl`:
/// build time, simulation time, real-time factor, events per second, per-population rates against
/// the published ones, memory.
struct BenchMicrocircuitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "microcircuit",
        abstract: "Potjans & Diesmann (2014) cortical microcircuit: build and run time, events per second, rates per population, memory.")

    @Option(parsing: .unconditional, help: "Neuron-number scale (NEST's N_scaling; in-degrees stay at full scale). Replaces the file's 'let scale'.")
    var scale: Double = 0.1

    @Option(parsing: .unconditional, help: "Threads for the windows' deliveries.")
    var threads: Int = 1

    @Option(name: .customLong("duration"), parsing: .unconditional,
            help: "Simulated time after the warm-up, with its unit: 1s, 200ms (a bare number is ms).", transform: TimeOption.parse)
    var durationOption = TimeOption(milliseconds: 1000, text: "1000ms", bare: false)

    @Option(name: .customLong("warmup"), parsing: .unconditional,
            help: "Unrecorded warm-up, with its unit (NEST's example: 500ms; a bare number is ms).", transform: TimeOption.parse)
    var warmupOption = TimeOption(milliseconds: 500, text: "500ms", bare: false)

    /// The simulated time after the warm-up, ms.
    var duration: Double { durationOption.milliseconds }
    /// The warm-up, ms.
    var warmup: Double { warmupOption.milliseconds }

    @Option(parsing: .unconditional, help: "The run's seed.")
    var seed: UInt64 = 55

    @Flag(help: "DC background instead of Poisson (Networks/microcircuit_dc.vsl).")
    var dc = false

    @Option(help: "The network file (default: Networks/microcircuit.vsl, or microcircuit_dc.vsl with --dc, found from the working directory or the executable's).")
    var network: String?

    /// Published rates with Poisson background, Hz (Potjans & Diesmann 2014; BENCHMARKS.md §2b).
    static let publishedRates = [0.9, 2.8, 4.4, 5.7, 7.6, 8.7, 1.1, 7.7]
    /// NEST's full-scale rates, Hz (network_params.py `full_mean_rates`, from a full-scale NEST run).
    static let nestFullScaleRates = [0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851]

    func validate() throws {
        guard scale > 0, scale <= 1 else { throw ValidationError("--scale must be in (0, 1]") }
        try durationOption.validate(flag: "--duration")
        try warmupOption.validate(flag: "--warmup", allowZero: true)
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
    }

    /// The network file: given, or found next to the working directory or the executable.
    func networkPath() throws -> String {
        if let network { return network }
        let name = dc ? "microcircuit_dc.vsl" : "microcircuit.vsl"
        var candidates = ["Networks/\(name)"]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("Networks/\(name)").path)
            directory.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ValidationError("cannot find Networks/\(name); pass --network PATH")
        }
        return found
    }

    /// CPU time of the whole process (all threads), seconds: on a shared machine the wall time also
    /// counts other processes' turns.
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// The file's text with its `let scale = ...` line replaced; the file must have exactly one.
    static func scaled(_ source: String, scale: Double, path: String) throws -> String {
        var lines = source.components(separatedBy: "\n")
        let matches = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("let scale ") || lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("let scale=") }
        guard matches.count == 1 else {
            throw ValidationError("\(path) must define the scale with one line 'let scale = ...' (found \(matches.count))")
        }
        lines[matches[0]] = "let scale = \(scale)"
        return lines.joined(separator: "\n")
    }

    /// The network file's spec at `scale`, with this run's seed, warm-up and duration; its
    /// diagnostics are printed when `printing`.
    func scaledSpec(printing: Bool) throws -> NetworkSpec {
        let path = try networkPath()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let source = try Self.scaled(text, scale: scale, path: path)
        let compiled = NetworkLanguage.compile(source: source, path: path)
        if printing { for d in compiled.diagnostics { print(d.rendered(source: source)) } }
        guard var spec = compiled.spec else { throw ExitCode.failure }
        spec.simulation.seed = seed
        spec.simulation.warmup = warmup
        spec.simulation.duration = duration
        return spec
    }

    func run() throws {
        if let ranks = try RankGroup.start() { return try runOnRanks(ranks) }
        print(BenchmarkMachine.summary)
        let path = try networkPath()
        print("command: vesicle bench microcircuit --scale \(scale) --threads \(threads) --duration \(TimeOption.trim(duration))ms --warmup \(TimeOption.trim(warmup))ms --seed \(seed)\(dc ? " --dc" : "") --network \(path)")
        let spec = try scaledSpec(printing: true)

        let cpuBefore = Self.processCPUSeconds()
        let network = try NetworkBuilder.build(spec, buildThreads: threads)
        let buildCPU = Self.processCPUSeconds() - cpuBefore
        let bytesPerSynapse = Double(network.projections.map { $0.bytesPerSynapse * $0.synapses.synapseCount }.reduce(0, +))
            / Double(max(network.synapseCount, 1))
        print(String(format: "build: %.3f s (%.3f s of CPU), %d neurons, %d synapses in %d projections, %.2f bytes/synapse",
                     network.buildSeconds, buildCPU, network.neuronCount, network.synapseCount, network.projections.count, bytesPerSynapse))
        let simulator = Simulator(network: network, threads: threads)
        if let refusal = simulator.parallelRefusal { print("runs on 1 thread, not \(threads): \(refusal)") }
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.recordAllSpikes()
        let clock = ContinuousClock()
        let warm = BenchmarkMachine.seconds(clock.measure { simulator.run(until: warmup, observer: collector) })
        let before = simulator.counters
        print(String(format: "warm-up: %.0f ms simulated in %.3f s", warmup, warm))
        let cpuStart = Self.processCPUSeconds()
        let wall = BenchmarkMachine.seconds(clock.measure { simulator.run(until: warmup + duration, observer: collector) })
        let simulateCPU = Self.processCPUSeconds() - cpuStart
        let after = simulator.counters
        let recurrent = after.recurrentEvents - before.recurrentEvents
        let external = after.externalEvents - before.externalEvents
        let simulated = duration / 1000
        print(String(format: "simulate: %.0f ms in %.3f s wall, real-time factor %.4f (wall s per simulated s: %.2f); %.3f s of CPU (%.2f per simulated s)",
                     duration, wall, simulated / wall, wall / simulated, simulateCPU, simulateCPU / simulated))
        if simulateCPU < 0.8 * wall * Double(threads) {
            print(String(format: "note: the process had %.0f %% of %d core(s) while simulating: the machine is shared, so the CPU figures are the fairer ones",
                         100 * simulateCPU / (wall * Double(threads)), threads))
        }
        print(String(format: "events: %d recurrent (%.3g per wall s) + %d background (%.3g per wall s); %.3g per simulated s",
                     recurrent, Double(recurrent) / wall, external, Double(external) / wall, Double(recurrent + external) / simulated))

        var json = JSONLine()
        json.add("benchmark", "microcircuit")
        json.add("background", dc ? "dc" : "poisson")
        json.add("scale", scale)
        json.add("neurons", network.neuronCount)
        json.add("synapses", network.synapseCount)
        json.add("seed", Int(seed))
        json.add("threads", threads)
        json.add("warmup_ms", warmup)
        json.add("duration_ms", duration)
        json.add("build_s", network.buildSeconds)
        json.add("build_cpu_s", buildCPU)
        json.add("simulate_wall_s", wall)
        json.add("simulate_cpu_s", simulateCPU)
        json.add("wall_s_per_simulated_s", wall / simulated)
        json.add("realtime_factor", simulated / wall)
        json.add("recurrent_events", recurrent)
        json.add("background_events", external)
        json.add("recurrent_events_per_wall_s", Double(recurrent) / wall)
        json.add("background_events_per_wall_s", Double(external) / wall)
        print("population   neurons   rate (Hz)  published  NEST full   CV")
        for (p, name) in network.populationNames.enumerated() {
            let stats = SpikeTrainStatistics.compute(times: collector.times[p], from: warmup, to: warmup + duration)
            let published = p < Self.publishedRates.count ? Self.publishedRates[p] : .nan
            let nest = p < Self.nestFullScaleRates.count ? Self.nestFullScaleRates[p] : .nan
            print(String(format: "%-10@ %9d %11.3f %10.1f %10.3f %6.3f", name as NSString, network.populationSizes[p],
                         stats.rate, published, nest, stats.cv))
            json.add("rate_\(name)_hz", stats.rate)
            json.add("cv_\(name)", stats.cv)
        }
        let peak = BenchmarkMachine.peakResidentBytes ?? 0
        print(String(format: "memory: peak RSS %.1f MB, %.2f bytes per synapse in the synapse tables", Double(peak) / 1e6, bytesPerSynapse))
        json.add("peak_rss_bytes", peak)
        json.add("bytes_per_synapse", bytesPerSynapse)
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
    }
}
