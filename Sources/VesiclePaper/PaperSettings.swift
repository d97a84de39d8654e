import Foundation
import VesicleDSL
import VesicleModel
import VesicleSynapses

/// Durations and grids of one paper run. Full mode uses the durations written in the `Networks/paper`
/// files (docs/MODEL.md §6: 500 tau for the MSE comparison) and 31 learning rates; quick mode shortens the
/// MSE comparison and the Synaptic Filter runs and thins the grids.
public struct PaperSettings: Sendable {
    public var quick: Bool
    public var networks: String
    /// Replaces every file's seed when set.
    public var seed: UInt64? = nil

    public init(quick: Bool, networks: String, seed: UInt64? = nil) {
        self.quick = quick
        self.networks = networks
        self.seed = seed
    }

    /// Learning rates of the classical rules: log-spaced over [1e-4, 1e-1] (docs/MODEL.md §6).
    public var classicalRates: [Double] { Self.logSpaced(1e-4, 1e-1, count: quick ? 7 : 31) }
    /// Learning rates per classical sweep job (ClassicalRateSweep). Each chunk repeats the shared inputs'
    /// cost, and the three rules' sweeps plus the rest already keep two workers busy: one chunk per rule.
    public var sweepChunk: Int { 31 }
    /// Simulated time of an MSE-comparison run in units of tau, burn-in (2 tau) included.
    public var comparisonTaus: Double? { quick ? 12 : nil }
    /// Learning rates of the Synaptic Filter's gradient baseline.
    public var gradientRates: [Double] { Self.logSpaced(1e-3, 10, count: quick ? 9 : 17) }
    /// Seeds averaged for the Synaptic Filter comparison (each run has only d = 10 synapses).
    public var filterSeeds: [UInt64] {
        let first = seed ?? 1
        return (0..<UInt64(quick ? 4 : 10)).map { first + $0 }
    }
    /// Repetitions of each configuration of the companion paper's figures (PaperFilterComparison); the
    /// authors used 100.
    public var companionSeeds: [UInt64] {
        let first = seed ?? 1
        return (0..<UInt64(quick ? 1 : 4)).map { first + $0 }
    }
    /// Simulated time of a Synaptic Filter run, ms; nil = the file's.
    public var filterDuration: Double? { quick ? 600_000 : nil }

    public static func logSpaced(_ low: Double, _ high: Double, count: Int) -> [Double] {
        (0..<count).map { low * pow(high / low, Double($0) / Double(max(1, count - 1))) }
    }

    /// The NetworkSpec of `Networks/paper/<name>.vsl`, with its diagnostics as the error.
    public func spec(_ name: String) throws -> NetworkSpec {
        let path = (networks as NSString).appendingPathComponent("\(name).vsl")
        let (spec, diagnostics) = NetworkLanguage.compile(fileAt: path)
        guard let spec else {
            throw PaperError.network(path, diagnostics.map(\.message).joined(separator: "; "))
        }
        return spec
    }

    /// The feedback experiment parameters a file describes, and its total simulated time (ms).
    public func feedback(_ name: String) throws -> (parameters: FeedbackExperimentParameters, duration: Double) {
        var spec = try spec(name)
        if let seed { spec.simulation.seed = seed }
        let experiment = try FeedbackExperiment(spec: spec)
        return (experiment.parameters, spec.simulation.warmup + spec.simulation.duration)
    }
}

public enum PaperError: Error, CustomStringConvertible {
    case network(String, String)
    case missing(String)

    public var description: String {
        switch self {
        case .network(let path, let message): return "\(path): \(message)"
        case .missing(let what): return "missing result: \(what)"
        }
    }
}
