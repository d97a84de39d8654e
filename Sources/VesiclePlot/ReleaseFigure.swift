import Foundation

/// The panels of `vesicle plot release`: PSP amplitude histograms, normalized variability
/// against presynaptic rate with the fit of docs/MODEL.md §6, and the posterior over time (against the
/// teacher when there is one). Each input is optional; panels without data are left out, synapses
/// without data are not drawn, and each title says what its panel holds.
public enum ReleaseFigure {
    /// Released amplitudes of one synapse.
    public struct AmplitudeSample: Sendable {
        public var synapse: UInt64
        public var amplitudes: [Double]
        public init(synapse: UInt64, amplitudes: [Double]) {
            self.synapse = synapse
            self.amplitudes = amplitudes
        }
    }

    /// Normalized variability against presynaptic rate, one point per synapse, and the fit.
    public struct VariabilityData: Sendable {
        public var rates: [Double]
        public var variability: [Double]
        /// The fitted curve y(nu), if a fit exists.
        public var fit: (@Sendable (Double) -> Double)?
        public var fitLabel: String
        /// The time-averaged posterior s2/m of the same synapses (docs/MODEL.md §6, Fig. 5), if logged.
        public var posteriorVariability: [Double]
        public var posteriorFit: (@Sendable (Double) -> Double)?
        /// Why the fit's nu0 is not determined by the data (`VariabilityFit.caveat`); the curve is
        /// then drawn dashed and its legend says so.
        public var fitCaveat: String?
        public init(
            rates: [Double], variability: [Double], fit: (@Sendable (Double) -> Double)?, fitLabel: String,
            posteriorVariability: [Double] = [], posteriorFit: (@Sendable (Double) -> Double)? = nil,
            fitCaveat: String? = nil
        ) {
            self.fitCaveat = fitCaveat
            self.rates = rates
            self.variability = variability
            self.fit = fit
            self.fitLabel = fitLabel
            self.posteriorVariability = posteriorVariability
            self.posteriorFit = posteriorFit
        }
    }

    /// Posterior mean and variance over time for one synapse, and its teacher if recorded.
    public struct PosteriorSeries: Sendable {
        public var synapse: UInt64
        public var time: [Double]
        public var mean: [Double]
        public var variance: [Double]
        public var teacherTime: [Double]
        public var teacher: [Double]
        public init(synapse: UInt64, time: [Double], mean: [Double], variance: [Double], teacherTime: [Double], teacher: [Double]) {
            self.synapse = synapse
            self.time = time
            self.mean = mean
            self.variance = variance
            self.teacherTime = teacherTime
            self.teacher = teacher
        }
    }

    public static func make(
        histograms: [AmplitudeSample], variability: VariabilityData?, posterior: [PosteriorSeries],
        amplitudeUnit: String? = nil, width: Int = 1000, panelHeight: Int = 340, bins: Int = 30
    ) throws -> Figure {
        var panels: [PlotPanel] = []
        func frame() -> PlotRect {
            PlotRect(x: 0, y: Double(panels.count * panelHeight), width: Double(width), height: Double(panelHeight))
        }
        let withData = histograms.filter { !$0.amplitudes.isEmpty }
        if !withData.isEmpty {
            let all = withData.flatMap(\.amplitudes).filter(\.isFinite)
            let lo = all.min() ?? 0, hi = all.max() ?? 1
            let span = hi > lo ? hi - lo : max(abs(hi), 1) * 0.1
            let edges = (0...bins).map { lo - span * 0.001 + Double($0) * span * 1.002 / Double(bins) }
            var marks: [PlotMark] = []
            var legend: [LegendEntry] = []
            var peak = 0.0
            for (k, sample) in withData.enumerated() {
                var counts = [Double](repeating: 0, count: bins)
                for a in sample.amplitudes where a.isFinite {
                    let index = Int((a - edges[0]) / (edges[bins] - edges[0]) * Double(bins))
                    counts[min(bins - 1, max(0, index))] += 1
                }
                // Densities, so synapses with different numbers of releases compare.
                let width = edges[1] - edges[0]
                let density = counts.map { $0 / (Double(sample.amplitudes.count) * width) }
                peak = max(peak, density.max() ?? 0)
                let color = PlotColor.series(k).withAlpha(150)
                marks.append(.bars(edges: edges, heights: density, color: color))
                legend.append(LegendEntry("synapse \(sample.synapse) (n = \(sample.amplitudes.count))", color))
            }
            let count = withData.count
            panels.append(PlotPanel(
                frame: frame(), xScale: AxisScale(lower: edges[0], upper: edges[bins]),
                yScale: AxisScale(lower: 0, upper: peak * 1.1),
                title: "Released PSP amplitudes of \(count) synapse\(count == 1 ? "" : "s")",
                xLabel: "released amplitude (\(amplitudeUnit ?? "unit not recorded"))",
                yLabel: "density (per \(amplitudeUnit ?? "unit"))", marks: marks, legend: legend))
        }
        if let variability, variability.rates.contains(where: { $0 > 0 && $0.isFinite }) {
            let hasPosterior = variability.posteriorVariability.contains { $0.isFinite && $0 > 0 }
            let xScale = AxisScale.fitting(variability.rates, kind: .log10)
            let yScale = AxisScale.fitting(
                variability.variability + (hasPosterior ? variability.posteriorVariability : []), kind: .log10)
            let xs = (0...200).map { pow(10, log10(xScale.lower) + Double($0) / 200 * log10(xScale.upper / xScale.lower)) }
            var marks: [PlotMark] = [
                .points(x: variability.rates, y: variability.variability, color: PlotColor.series(0).withAlpha(170), size: 4)
            ]
            var legend = [LegendEntry("PSP variance / mean, one per synapse", PlotColor.series(0))]
            if let fit = variability.fit {
                let determined = variability.fitCaveat == nil
                marks.append(.line(x: xs, y: xs.map(fit), color: PlotColor.series(1), width: 2, dashed: !determined))
                legend.append(LegendEntry(
                    determined ? "fit (a/ν)(√(1 + ν/ν₀) − 1)" : "fit (a/ν)(√(1 + ν/ν₀) − 1), ν₀ not determined", PlotColor.series(1)))
            }
            if hasPosterior {
                marks.append(.points(
                    x: variability.rates, y: variability.posteriorVariability, color: PlotColor.series(2).withAlpha(170), size: 4))
                legend.append(LegendEntry("posterior s²/m", PlotColor.series(2)))
                if let fit = variability.posteriorFit {
                    marks.append(.line(x: xs, y: xs.map(fit), color: PlotColor.series(2), width: 1.5, dashed: true))
                    legend.append(LegendEntry("fit to posterior s²/m", PlotColor.series(2)))
                }
            }
            let count = variability.rates.filter { $0 > 0 && $0.isFinite }.count
            panels.append(PlotPanel(
                frame: frame(), xScale: xScale, yScale: yScale,
                title: "Normalized variability against presynaptic rate, \(count) synapse\(count == 1 ? "" : "s")",
                xLabel: "presynaptic rate (Hz)", yLabel: "variance / mean", marks: marks, legend: legend,
                note: variability.fitLabel))
        }
        let posterior = posterior.filter { !$0.time.isEmpty }
        if !posterior.isEmpty {
            var marks: [PlotMark] = []
            var legend: [LegendEntry] = []
            var values: [Double] = []
            var times: [Double] = []
            for (k, series) in posterior.enumerated() {
                let color = PlotColor.series(k)
                let sd = series.variance.map { $0 > 0 ? $0.squareRoot() : 0 }
                let lower = zip(series.mean, sd).map { $0 - 2 * $1 }
                let upper = zip(series.mean, sd).map { $0 + 2 * $1 }
                marks.append(.band(x: series.time, lower: lower, upper: upper, color: color.withAlpha(60)))
                marks.append(.line(x: series.time, y: series.mean, color: color, width: 1.5, dashed: false))
                legend.append(LegendEntry("synapse \(series.synapse): μ ± 2 sd", color))
                if !series.teacher.isEmpty {
                    marks.append(.line(x: series.teacherTime, y: series.teacher, color: .black, width: 1, dashed: true))
                    values += series.teacher
                }
                values += lower + upper
                times += series.time + series.teacherTime
            }
            // Runs of minutes are read in seconds (ticks of 50000 ms are not).
            let inSeconds = (times.filter(\.isFinite).max() ?? 0) > 20_000
            if inSeconds {
                times = times.map { $0 / 1000 }
                marks = marks.map { mark in
                    switch mark {
                    case .line(let x, let y, let color, let width, let dashed):
                        return .line(x: x.map { $0 / 1000 }, y: y, color: color, width: width, dashed: dashed)
                    case .band(let x, let lower, let upper, let color):
                        return .band(x: x.map { $0 / 1000 }, lower: lower, upper: upper, color: color)
                    case .points(let x, let y, let color, let size):
                        return .points(x: x.map { $0 / 1000 }, y: y, color: color, size: size)
                    case .bars:
                        return mark
                    }
                }
            }
            let teacher = posterior.contains(where: { !$0.teacher.isEmpty })
            if teacher { legend.append(LegendEntry("teacher (dashed)", .black)) }
            let count = posterior.count
            panels.append(PlotPanel(
                frame: frame(), xScale: AxisScale.fitting(times, padding: 0), yScale: AxisScale.fitting(values),
                title: "Posterior of \(count) synapse\(count == 1 ? "" : "s") over time" + (teacher ? " against the teacher" : ""),
                xLabel: inSeconds ? "time (s)" : "time (ms)", yLabel: "μ (posterior mean)",
                marks: marks, legend: legend))
        }
        guard !panels.isEmpty else { throw PlotError.noData("no release data to plot") }
        return Figure(width: width, height: panels.count * panelHeight, panels: panels)
    }
}
