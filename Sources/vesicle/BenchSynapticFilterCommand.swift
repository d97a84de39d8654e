import ArgumentParser
import Foundation
import VesicleEngine
import VesicleModel

/// Spike-based learning in a recurrent network (docs/MODEL.md §5): the cost of the Synaptic Filter's
/// per-step update of every plastic synapse, against the same network whose Bayesian synapses only
/// release (rule none).
struct BenchSynapticFilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synaptic-filter",
        abstract: "A recurrent escape-noise network with plastic synapses: synapse updates per second.")

    @Option(parsing: .unconditional, help: "Escape-noise neurons in the recurrent population.")
    var neurons = 1000

    @Option(parsing: .unconditional, help: "Plastic recurrent synapses per neuron (fixed in-degree).")
    var indegree = 100

    @Option(parsing: .unconditional, help: "Poisson input neurons (20 Hz).")
    var inputs = 500

    @Option(parsing: .unconditional, help: "Plastic input synapses per neuron (fixed in-degree).")
    var inputIndegree = 50

    @Option(name: .customLong("duration"), parsing: .unconditional, help: "Simulated time, with its unit: 1s, 500ms (a bare number is ms).", transform: TimeOption.parse)
    var durationOption = TimeOption(milliseconds: 1000, text: "1000ms", bare: false)

    @Option(parsing: .unconditional, help: "Learning step (the run's resolution), ms.")
    var resolution: Double = 0.5

    @Option(parsing: .unconditional, help: "The run's seed.")
    var seed: UInt64 = 1

    func validate() throws {
        guard neurons > 0, inputs > 0 else { throw ValidationError("--neurons and --inputs must be > 0") }
        guard indegree >= 0, indegree <= neurons, inputIndegree >= 0, inputIndegree <= inputs else {
            throw ValidationError("in-degrees must be between 0 and the source size")
        }
        try durationOption.validate(flag: "--duration")
        guard resolution > 0, resolution <= 1 else { throw ValidationError("--resolution must be in (0, 1] ms") }
    }

    /// The network of Networks/synaptic_filter_recurrent.vsl at the given size.
    func spec(rule: LearningRule) -> NetworkSpec {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: duration, seed: seed, delayResolution: resolution))
        var neuron = LIFParameters()
        neuron.tauM = 25
        neuron.restingPotential = -2
        neuron.threshold = 0
        neuron.resetPotential = -2
        neuron.refractoryPeriod = 2
        neuron.escapeNoise = EscapeNoise(rateAtThreshold: 5, deltaV: 2)
        spec.populations = [PopulationSpec(name: "inputs", size: inputs, model: .poissonSource(rate: .constant(20), refractoryPeriod: 5)),
                            PopulationSpec(name: "cells", size: neurons, model: .lifDelta(neuron))]
        var filter = BayesianSynapseSpec()
        filter.link = .identity
        filter.release = .gaussian
        // The file's 0.2 mV at 30 synapses per neuron: the same mean drive at any in-degree.
        filter.priorMean = 6 / Double(max(inputIndegree + indegree, 1))
        filter.priorVariance = 0.1
        filter.priorTau = 100_000
        filter.rule = rule
        filter.filterTauEpsilon = 25
        filter.filterG0 = 5 * exp(-1)
        filter.filterBeta = 0.5
        spec.synapseTypes = [SynapseTypeSpec(name: "filter", kind: .bayesian(filter))]
        spec.projections = [
            ProjectionSpec(name: "inputs->cells", source: .init(population: "inputs"), target: .init(population: "cells"),
                           rule: .fixedIndegree(inputIndegree), synapseType: "filter", weight: .constant(1), delay: .constant(1)),
            ProjectionSpec(name: "cells->cells", source: .init(population: "cells"), target: .init(population: "cells"),
                           rule: .fixedIndegree(indegree), allowAutapses: false, synapseType: "filter",
                           weight: .constant(1), delay: .constant(1.5)),
        ]
        return spec
    }

    func run() throws {
        print(BenchmarkMachine.summary)
        print("command: vesicle bench synaptic-filter --neurons \(neurons) --indegree \(indegree) --inputs \(inputs) "
              + "--input-indegree \(inputIndegree) --duration \(duration) --resolution \(resolution) --seed \(seed)")
        var walls: [Double] = [], cpus: [Double] = []
        var spikes: [Int] = []
        var updates = 0, plastic = 0, synapses = 0
        for rule in [LearningRule.none, .synapticFilter] {
            let network = try NetworkBuilder.build(spec(rule: rule))
            let simulator = Simulator(network: network)
            let clock = ContinuousClock()
            let cpuBefore = Self.cpuSeconds()
            let cost = clock.measure { simulator.run() }
            cpus.append(Self.cpuSeconds() - cpuBefore)
            if let failure = simulator.failure { throw CommandFailure("at \(failure.time) ms: \(failure.description)") }
            walls.append(BenchmarkMachine.seconds(cost))
            spikes.append(simulator.counters.spikes)
            synapses = network.synapseCount
            if rule != .none {
                updates = network.plasticSynapseUpdates
                plastic = network.plasticSynapseCount
            }
            print(String(format: "rule %@: %.0f ms in %.3f s wall, %.3f s CPU, %d spikes (%.2f Hz per neuron, inputs included)",
                         rule.name as NSString, duration, walls.last!, cpus.last!, simulator.counters.spikes,
                         Double(simulator.counters.spikes) / Double(neurons + inputs) / (duration / 1000)))
        }
        let learning = max(walls[1] - walls[0], .leastNonzeroMagnitude)
        let steps = Int((duration / resolution).rounded(.down))
        print(String(format: "%d neurons, %d synapses, %d plastic; %d steps of %g ms; %d synapse updates",
                     neurons + inputs, synapses, plastic, steps, resolution, updates))
        print(String(format: "synapse updates per wall second: %.3g (whole run), %.3g (learning alone: the difference to rule none)",
                     Double(updates) / walls[1], Double(updates) / learning))
        let learningCPU = max(cpus[1] - cpus[0], .leastNonzeroMagnitude)
        print(String(format: "synapse updates per CPU second: %.3g (whole run), %.3g (learning alone)",
                     Double(updates) / cpus[1], Double(updates) / learningCPU))
        print(String(format: "cost of learning: %.2fx the same network without it (CPU time)", cpus[1] / cpus[0]))
        var json = JSONLine()
        json.add("benchmark", "synaptic_filter")
        json.add("neurons", neurons + inputs)
        json.add("synapses", synapses)
        json.add("plastic_synapses", plastic)
        json.add("duration_ms", duration)
        json.add("resolution_ms", resolution)
        json.add("steps", steps)
        json.add("synapse_updates", updates)
        json.add("wall_s_without_learning", walls[0])
        json.add("wall_s_with_learning", walls[1])
        json.add("cpu_s_without_learning", cpus[0])
        json.add("cpu_s_with_learning", cpus[1])
        json.add("updates_per_s", Double(updates) / walls[1])
        json.add("updates_per_cpu_s", Double(updates) / cpus[1])
        json.add("learning_updates_per_cpu_s", Double(updates) / learningCPU)
        json.add("learning_updates_per_s", Double(updates) / learning)
        json.add("spikes_without_learning", spikes[0])
        json.add("spikes_with_learning", spikes[1])
        json.add("cores", BenchmarkMachine.cores)
        json.add("cpu", BenchmarkMachine.cpuModel)
        print(json.text)
    }

    /// User plus system CPU time of this process, s: on a shared machine the wall time counts other
    /// people's work too.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
