import Foundation
import VesicleModel
import VesiclePlot
import VesicleSynapses

/// Figure 3: each Bayesian rule's MSE against its classical rule over the learning-rate grid (docs/MODEL.md §6).
public struct PaperComparison: PaperExperiment {
    public let name = "bayesian_vs_classical"

    public init() {}

    public struct Key: Hashable, Sendable {
        public var rule: String
        /// nil for the Bayesian rule.
        public var eta: Double?
    }

    public struct Result: Sendable {
        /// Log-weight MSE after the 2-tau burn-in; +inf when the classical rule diverged.
        public var meanSquaredError: Double
        public var priorMeanSquaredError: Double
        public var calibration: Double
    }

    public let results = Locked([Key: Result]())

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        var sweeps: [PaperJob] = []
        var bayesianJobs: [PaperJob] = []
        let grid = settings.classicalRates
        for rule in PaperTracking.rules {
            var (bayesian, _) = try settings.feedback("tracking_\(rule)")
            var (classical, fileDuration) = try settings.feedback("bayesian_vs_classical_\(rule)")
            let duration = settings.comparisonTaus.map { $0 * classical.teacher.tau } ?? fileDuration
            let factor = fileDuration / duration
            bayesian.tracedSynapses = []
            bayesian.burnIn = classical.burnIn
            bayesianJobs.append(bayesianJob(rule: rule, parameters: bayesian, duration: duration, factor: factor))
            classical.rule = try Self.classicalRule(rule, eta: grid[0])
            // The classical rates run as sweeps over shared inputs (ClassicalRateSweep), in chunks of
            // `sweepChunk` rates; a quick-mode rate stands for the full grid's 31 around it (an upper
            // bound on the full-mode estimate: the shared part of a sweep is counted per rate).
            for start in stride(from: 0, to: grid.count, by: settings.sweepChunk) {
                let etas = Array(grid[start..<min(grid.count, start + settings.sweepChunk)])
                sweeps.append(sweepJob(rule: rule, etas: etas, parameters: classical, duration: duration,
                                       factor: factor * 31 / Double(grid.count)))
            }
        }
        // Longest first: the sweeps, then the Bayesian runs.
        return sweeps + bayesianJobs
    }

    public static func classicalRule(_ rule: String, eta: Double) throws -> LearningRule {
        switch rule {
        case "supervised": return .classicalSupervised(eta: eta)
        case "cerebellar": return .classicalCerebellar(eta: eta)
        case "reinforcement": return .classicalReinforcement(eta: eta)
        default: throw PaperError.missing("classical form of \(rule)")
        }
    }

    /// One Bayesian configuration of Fig. 3: the metrics after `duration` ms (burn-in as in `p`).
    /// - Complexity: O(duration / bin × spiking synapses per bin).
    public static func bayesianMetrics(_ p: FeedbackExperimentParameters, duration: Double) throws -> TrackingMetrics {
        var experiment = try FeedbackExperiment(parameters: p)
        try experiment.run(until: duration)
        return experiment.metrics
    }

    /// The classical rule of `p` at each learning rate, on shared inputs and teacher (ClassicalRateSweep):
    /// per rate its metrics, or nil if it ran away (left the posterior's domain).
    /// - Complexity: O(duration / bin × spiking synapses per bin × rates).
    public static func classicalMetrics(_ p: FeedbackExperimentParameters, learningRates etas: [Double],
                                        duration: Double) throws -> [TrackingMetrics?] {
        let sweep = try ClassicalRateSweep(parameters: p, learningRates: etas)
        sweep.run(until: duration)
        return etas.indices.map { sweep.failures[$0] == nil ? sweep.metrics[$0] : nil }
    }

    private func bayesianJob(rule: String, parameters p: FeedbackExperimentParameters, duration: Double,
                             factor: Double) -> PaperJob {
        PaperJob(experiment: "bayesian_vs_classical", label: "\(rule) Bayesian", fullModeFactor: factor, expectedCost: 10) { [results] in
            let m = try Self.bayesianMetrics(p, duration: duration)
            let result = Result(meanSquaredError: m.meanSquaredError, priorMeanSquaredError: m.priorMeanSquaredError,
                                calibration: m.calibration)
            results.update { $0[Key(rule: rule, eta: nil)] = result }
        }
    }

    private func sweepJob(rule: String, etas: [Double], parameters p: FeedbackExperimentParameters, duration: Double,
                          factor: Double) -> PaperJob {
        let label = "\(rule) classical eta=\(PaperTable.format(etas.first!))...\(PaperTable.format(etas.last!)) "
            + "(\(etas.count) rates)"
        return PaperJob(experiment: "bayesian_vs_classical", label: label, fullModeFactor: factor, expectedCost: 100) { [results] in
            let metrics = try Self.classicalMetrics(p, learningRates: etas, duration: duration)
            var found: [Key: Result] = [:]
            for (eta, m) in zip(etas, metrics) {
                // A classical rule at too large a rate runs away: its error is unbounded.
                found[Key(rule: rule, eta: eta)] = m.map {
                    Result(meanSquaredError: $0.meanSquaredError, priorMeanSquaredError: $0.priorMeanSquaredError,
                           calibration: $0.calibration)
                } ?? Result(meanSquaredError: .infinity, priorMeanSquaredError: .nan, calibration: .nan)
            }
            results.update { $0.merge(found) { $1 } }
        }
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        var panels: [PlotPanel] = []
        let grid = settings.classicalRates
        for (k, rule) in PaperTracking.rules.enumerated() {
            let all = results.current
            guard let bayes = all[Key(rule: rule, eta: nil)] else { throw PaperError.missing("\(rule) Bayesian MSE") }
            let classical = try grid.map { eta -> Double in
                guard let r = all[Key(rule: rule, eta: eta)] else { throw PaperError.missing("\(rule) eta \(eta)") }
                return r.meanSquaredError
            }
            table.add("bayesian_vs_classical", "\(rule) Bayesian", "MSE", bayes.meanSquaredError)
            table.add("bayesian_vs_classical", "\(rule) Bayesian", "calibration", bayes.calibration)
            table.add("bayesian_vs_classical", "\(rule) Bayesian", "prior-only MSE", bayes.priorMeanSquaredError)
            for (eta, mse) in zip(grid, classical) {
                table.add("bayesian_vs_classical", "\(rule) classical eta=\(PaperTable.format(eta))", "MSE", mse)
            }
            let best = classical.filter(\.isFinite).min() ?? .infinity
            table.add("bayesian_vs_classical", "\(rule) classical", "best MSE on the grid", best)
            table.add("bayesian_vs_classical", rule, "best classical MSE / Bayesian MSE", best / bayes.meanSquaredError)
            // Rates at which a classical rule runs away (MSE above 30 times the prior's) are left off the plot.
            let shown = classical.map { $0 <= 30 * bayes.priorMeanSquaredError ? $0 : .nan }
            let finite = shown.filter(\.isFinite)
            let yScale = AxisScale.fitting(finite + [bayes.meanSquaredError, bayes.priorMeanSquaredError],
                                           kind: .log10, padding: 0.1)
            let ends = [grid.first!, grid.last!]
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 350, y: 0, width: 350, height: 450),
                xScale: AxisScale(kind: .log10, lower: grid.first!, upper: grid.last!), yScale: yScale,
                title: rule, xLabel: "learning rate eta", yLabel: "MSE (log-weight)",
                marks: [.line(x: grid, y: shown, color: PlotColor.series(0),
                              width: 1.5, dashed: false),
                        .points(x: grid, y: shown, color: PlotColor.series(0), size: 4),
                        .line(x: ends, y: [bayes.meanSquaredError, bayes.meanSquaredError], color: PlotColor.series(1),
                              width: 2, dashed: false),
                        .line(x: ends, y: [bayes.priorMeanSquaredError, bayes.priorMeanSquaredError], color: .gray,
                              width: 1, dashed: true)],
                legend: [LegendEntry("classical", PlotColor.series(0)), LegendEntry("Bayesian", PlotColor.series(1)),
                         LegendEntry("prior only", .gray)]))
        }
        figures["bayesian_vs_classical"] = Figure(width: 1050, height: 450, panels: panels)
    }
}
