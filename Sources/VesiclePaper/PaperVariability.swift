import Foundation
import VesicleAnalysis
import VesiclePlot
import VesicleSynapses

/// Figure 5 (SI): under posterior sampling, normalized variability s2/m and the per-spike learning rate
/// against presynaptic rate (docs/MODEL.md §1 hypothesis 2, §6).
public struct PaperVariability: PaperExperiment {
    public let name = "variability_vs_rate"

    public init() {}

    public let results = Locked([SynapseVariability]())

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let (p, duration) = try settings.feedback("variability_vs_rate")
        return [PaperJob(experiment: "variability_vs_rate", label: "supervised, gaussian release", fullModeFactor: 1, expectedCost: 5) {
            [results, p, duration] in
            let v = try Self.measure(p, duration: duration)
            results.update { $0 = v }
        }]
    }

    /// Per-synapse s2/m and per-spike relative change of m over `duration` ms, s2/m sampled every second.
    /// - Complexity: O(duration / bin × spiking synapses per bin).
    public static func measure(_ parameters: FeedbackExperimentParameters, duration: Double) throws -> [SynapseVariability] {
        var p = parameters
        p.measuresVariability = true
        p.metricInterval = 1_000
        var experiment = try FeedbackExperiment(parameters: p)
        try experiment.run(until: duration)
        return experiment.variability
    }

    /// Least-squares slope of log(s2/m) against log(nu) over the upper half of the rates.
    public static func upperHalfSlope(_ synapses: [SynapseVariability]) -> Double {
        let sorted = synapses.sorted { $0.rate < $1.rate }
        let upper = sorted[(sorted.count / 2)...]
        return ReleaseStatistics.logLogSlope(x: upper.map(\.rate), y: upper.map(\.normalizedVariability))
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        let synapses = results.current.filter { $0.spikeCount > 0 && $0.sampleCount > 0 }
        guard synapses.count >= 2 else { throw PaperError.missing("variability samples") }
        let rates = synapses.map(\.rate)
        let variability = synapses.map(\.normalizedVariability)
        let learning = synapses.map(\.relativeChangePerSpike)
        let slope = Self.upperHalfSlope(synapses)
        let learningSlope = ReleaseStatistics.logLogSlope(x: variability, y: learning)
        let e = "variability_vs_rate"
        table.add(e, "all synapses", "synapses with spikes after burn-in", Double(synapses.count))
        table.add(e, "upper half of rates", "log-log slope of s2/m against rate", slope)
        table.add(e, "all synapses", "log-log slope of learning rate against s2/m", learningSlope)
        table.add(e, "all synapses", "log-log slope of learning rate against rate",
                  ReleaseStatistics.logLogSlope(x: rates, y: learning))
        var panels: [PlotPanel] = []
        let rateScale = AxisScale.fitting(rates, kind: .log10)
        let curveX = (0...100).map { rateScale.lower * pow(rateScale.upper / rateScale.lower, Double($0) / 100) }
        for (k, (name, values, unit)) in [("s2/m", variability, "mV"),
                                          ("|dm|/m per spike", learning, "")].enumerated() {
            var marks: [PlotMark] = [.points(x: rates, y: values, color: PlotColor.series(k).withAlpha(140), size: 3)]
            var note: String?
            if let fit = ReleaseStatistics.fitVariability(rates: rates, variability: values) {
                marks.append(.line(x: curveX, y: curveX.map(fit.value), color: .black, width: 1, dashed: false))
                note = "fit (a/nu)(sqrt(1+nu/nu0)-1), nu0 = \(String(format: "%.3g", fit.nu0)) Hz"
                table.add(e, name, "fit a", fit.a)
                table.add(e, name, "fit nu0", fit.nu0, unit: "Hz")
                table.add(e, name, "fit log residual", fit.logResidual)
            }
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 350, y: 0, width: 350, height: 450), xScale: rateScale,
                yScale: AxisScale.fitting(values, kind: .log10), title: "\(k == 0 ? "s2/m" : "|dm|/m") against rate",
                xLabel: "presynaptic rate (Hz)", yLabel: unit.isEmpty ? name : "\(name) (\(unit))", marks: marks,
                note: note))
        }
        panels.append(PlotPanel(
            frame: PlotRect(x: 700, y: 0, width: 350, height: 450),
            xScale: AxisScale.fitting(variability, kind: .log10), yScale: AxisScale.fitting(learning, kind: .log10),
            title: "|dm|/m against s2/m", xLabel: "s2/m (mV)", yLabel: "|dm|/m per spike",
            marks: [.points(x: variability, y: learning, color: PlotColor.series(2).withAlpha(140), size: 3)],
            note: "log-log slope \(String(format: "%.3f", learningSlope))"))
        figures["variability_vs_rate"] = Figure(width: 1050, height: 450, panels: panels)
    }
}
