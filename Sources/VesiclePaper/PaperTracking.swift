import Foundation
import VesiclePlot
import VesicleSynapses

/// Figure 2: each Bayesian rule tracking its drifting targets (docs/MODEL.md §6, tracking).
public struct PaperTracking: PaperExperiment {
    public let name = "tracking"

    public init() {}

    public static let rules = ["supervised", "cerebellar", "reinforcement"]

    public struct Result: Sendable {
        public var rule: String
        public var rates: [Double]
        public var traces: [SynapseTraceSample]
        public var meanSquaredError: Double
        public var priorMeanSquaredError: Double
        public var calibration: Double
        /// Start of the plotted window, ms: the end of the burn-in.
        public var burnIn: Double
    }

    public let results = Locked([String: Result]())

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        try Self.rules.map { rule in
            let (p, duration) = try settings.feedback("tracking_\(rule)")
            return PaperJob(experiment: "tracking", label: rule, fullModeFactor: 1, expectedCost: 5) { [results] in
                var experiment = try FeedbackExperiment(parameters: p)
                try experiment.run(until: duration)
                let m = experiment.metrics
                let r = Result(rule: rule, rates: experiment.rates, traces: experiment.traces,
                               meanSquaredError: m.meanSquaredError, priorMeanSquaredError: m.priorMeanSquaredError,
                               calibration: m.calibration, burnIn: p.burnIn ?? 2 * p.teacher.tau)
                results.update { $0[rule] = r }
            }
        }
    }

    /// The fast and the slow synapse shown: the inputs at the 95th and 5th percentiles of rate.
    public static func shownSynapses(rates: [Double]) -> (fast: Int, slow: Int) {
        let order = rates.indices.sorted { rates[$0] < rates[$1] }
        return (order[Int(0.95 * Double(order.count - 1))], order[Int(0.05 * Double(order.count - 1))])
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        for rule in Self.rules {
            guard let r = results.current[rule] else { throw PaperError.missing("tracking \(rule)") }
            table.add("tracking", rule, "MSE (log-weight)", r.meanSquaredError)
            table.add("tracking", rule, "prior-only MSE", r.priorMeanSquaredError)
            table.add("tracking", rule, "calibration (within 2 sd)", r.calibration)
            let shown = Self.shownSynapses(rates: r.rates)
            var panels: [PlotPanel] = []
            for (k, (name, i)) in [("fast", shown.fast), ("slow", shown.slow)].enumerated() {
                let samples = r.traces.filter { $0.synapse == i && $0.time >= r.burnIn }
                table.add("tracking", rule, "\(name) synapse rate", r.rates[i], unit: "Hz")
                let t = samples.map { $0.time / 1000 }
                let m = samples.map(\.weightMean)
                let lower = samples.map { $0.weightMean - 2 * $0.weightSD }
                let upper = samples.map { $0.weightMean + 2 * $0.weightSD }
                let target = samples.map { exp($0.target) }
                let color = PlotColor.series(k == 0 ? 0 : 1)
                panels.append(PlotPanel(
                    frame: PlotRect(x: Double(k) * 400, y: 0, width: 400, height: 500),
                    xScale: AxisScale.fitting(t, padding: 0),
                    yScale: AxisScale.fitting(lower + upper + target, includeZero: true),
                    title: "\(rule): \(name) synapse, \(String(format: "%.2g", r.rates[i])) Hz",
                    xLabel: "time (s)", yLabel: "weight (mV)",
                    marks: [.band(x: t, lower: lower, upper: upper, color: color.withAlpha(70)),
                            .line(x: t, y: m, color: color, width: 1.5, dashed: false),
                            .line(x: t, y: target, color: .black, width: 1.2, dashed: false)],
                    legend: [LegendEntry("target", .black), LegendEntry("mean m, +-2 sd", color)]))
            }
            figures["tracking_\(rule)"] = Figure(width: 800, height: 500, panels: panels)
        }
    }
}
