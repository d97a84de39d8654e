// `vesicle bench tracking`: docs/BENCHMARKS.md §3, the paper's tracking experiment.

import ArgumentParser
import Foundation
import VesicleBench
import VesicleModel
import VesicleSynapses

struct BenchTrackingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracking",
        abstract: "Time the paper's tracking experiment (MODEL.md §6) and extrapolate to its Figure 3.",
        discussion: """
            Prints simulated seconds per wall second, synapse updates per second and the time the \
            paper's Figure 3 (500 tau per configuration, 32 configurations per rule) would take on \
            2 cores, against the authors' Python (2.7 million synapse updates per second). Figure 3 is \
            extrapolated from the timed configuration plus the 31 classical learning rates timed in one \
            sweep (--no-sweep: 32 configurations like the timed one). The last line is one JSON object \
            with every figure.
            """
    )

    @Option(help: "supervised, cerebellar or reinforcement (or classical_supervised etc. with --eta).")
    var rule: String = "supervised"

    @Option(parsing: .unconditional, help: "Number of Poisson inputs (default 1000; 100 for reinforcement).")
    var inputs: Int?

    @Option(parsing: .unconditional, help: "Teacher and prior time constant, e.g. 1000s (default 1000s; 5000s for reinforcement).")
    var tau: String?

    @Option(parsing: .unconditional, help: "Simulated time, e.g. 5000s or 2h (default 5 tau).")
    var duration: String?

    @Option(help: "sigma_delta^2: exact, constant or exact_then_constant (default: exact_then_constant, exact for reinforcement).")
    var sigmaDelta: String?

    @Option(parsing: .unconditional, help: "Learning rate of a classical rule.")
    var eta: Double = 0.01

    @Option(parsing: .unconditional, help: "Seed of every random stream.")
    var seed: UInt64 = 1

    @Flag(help: "Do not time the 31-rate classical sweep; extrapolate Figure 3 as 32 separate configurations.")
    var noSweep = false

    func validate() throws {
        guard eta > 0, eta.isFinite else {
            throw ValidationError("--eta \(eta) is out of range: a learning rate is more than 0, e.g. --eta 0.01")
        }
    }

    func run() throws {
        let learningRule = try parseRule()
        let tauMs = try tau.map { try Self.milliseconds($0, option: "--tau") }
        let durationMs = try duration.map { try Self.milliseconds($0, option: "--duration") }
        let machine = Self.machine()
        print("command: vesicle \(CommandLine.arguments.dropFirst().joined(separator: " "))")
        print("machine: \(machine.cores) cores, \(machine.model)")
        let mode: SigmaDeltaMode?
        switch sigmaDelta {
        case nil: mode = nil
        case "exact": mode = .exact
        case "constant": mode = .constant
        case "exact_then_constant": mode = .exactThenConstant
        case let other?:
            throw ValidationError("unknown --sigma-delta '\(other)': expected exact, constant or exact_then_constant")
        }
        let r = try runTrackingBenchmark(rule: learningRule, inputs: inputs, tau: tauMs, duration: durationMs,
                                         sigmaDelta: mode, seed: seed, cores: 2, sweep: !noSweep)
        print("rule \(r.rule), sigma_delta^2 \(r.sigmaDelta), \(r.inputs) inputs, tau \(r.tauSeconds) s, \(r.simulatedSeconds) s simulated "
              + "(\(r.bins) bins) in \(Self.format(r.wallSeconds)) s wall, \(Self.format(r.cpuSeconds)) s CPU")
        print("simulated seconds per wall second: \(Self.format(r.simulatedSecondsPerWallSecond)) "
              + "(per CPU second: \(Self.format(r.simulatedSecondsPerCPUSecond)))")
        print("synapse updates per second (inputs x bins / wall, clocked equivalent): "
              + "\(Self.format(r.synapseBinUpdatesPerSecond)) (per CPU second: \(Self.format(r.synapseBinUpdatesPerCPUSecond)); "
              + "authors' Python: 2.7e6)")
        print("synapse updates per second actually made (event-driven touches): "
              + "\(Self.format(r.touchedSynapseUpdatesPerSecond))")
        if let mse = r.meanSquaredError, let calibration = r.calibration {
            print("log-weight MSE after 2 tau: \(Self.format(mse)), calibration \(Self.format(calibration))")
        } else {
            print("log-weight MSE: none (the run ended within the 2-tau burn-in)")
        }
        if r.sweepLearningRates > 0 {
            print("classical sweep, \(r.sweepLearningRates) learning rates in one pass over the same \(r.simulatedSeconds) s: "
                  + "\(Self.format(r.sweepWallSeconds)) s wall, \(Self.format(r.sweepCPUSeconds)) s CPU")
        }
        print("at 500 tau: this configuration \(Self.format(r.figure3ConfigurationCPUSeconds)) s CPU, "
              + "each classical rate \(Self.format(r.figure3ClassicalRateCPUSeconds)) s CPU")
        print("Figure 3 for this rule (32 x 500 tau) on \(r.figure3Cores) cores: \(Self.format(r.figure3Hours * 60)) min; "
              + "authors' Python: \(Self.format(r.figure3PythonCoreHours)) core-hours; speed-up \(Self.format(r.speedupOverPython))x")
        print("Figure 3 for this rule on \(r.figure3Cores) idle cores (from CPU time): \(Self.format(r.figure3HoursFromCPUTime * 60)) min")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var object = try JSONSerialization.jsonObject(with: encoder.encode(r)) as? [String: Any] ?? [:]
        object["benchmark"] = "tracking"
        object["cores"] = machine.cores
        object["cpu"] = machine.model
        let line = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: line, as: UTF8.self))
    }

    private func parseRule() throws -> LearningRule {
        guard let parsed = LearningRule(name: rule, eta: eta), parsed.needsFeedback else {
            throw ValidationError("unknown --rule '\(rule)': expected supervised, cerebellar or reinforcement "
                                  + "(or classical_supervised, classical_cerebellar, classical_reinforcement)")
        }
        return parsed
    }

    /// "1000s", "250ms", "2h", "30min" or a bare number of seconds, in ms.
    static func milliseconds(_ text: String, option: String) throws -> Double {
        let units: [(String, Double)] = [("ms", 1), ("min", 60_000), ("s", 1_000), ("h", 3_600_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value > 0, value.isFinite { return value * scale }
            throw ValidationError("\(option) '\(text)': expected a positive duration such as 1000s")
        }
        if let value = Double(text), value > 0, value.isFinite { return value * 1_000 }
        throw ValidationError("\(option) '\(text)': expected a positive duration such as 1000s, 250ms, 2h")
    }

    static func machine() -> (cores: Int, model: String) {
        (BenchmarkMachine.cores, BenchmarkMachine.cpuModel)
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}
