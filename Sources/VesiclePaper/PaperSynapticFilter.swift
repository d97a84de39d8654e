import Foundation
import VesiclePlot
import VesicleSynapses

/// The Synaptic Filter against its gradient rule over the gradient's learning rates (docs/MODEL.md §5, §6),
/// averaged over seeds (a run has only d synapses).
public struct PaperSynapticFilter: PaperExperiment {
    public let name = "synaptic_filter"

    public init() {}

    public struct Key: Hashable, Sendable {
        /// nil for the filter.
        public var eta: Double?
        public var seed: UInt64
    }

    public struct Result: Sendable {
        public var meanSquaredError: Double
        public var priorMeanSquaredError: Double
        public var calibration: Double
    }

    public let results = Locked([Key: Result]())

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let spec = try settings.spec("synaptic_filter")
        let base = try SynapticFilterParameters(spec: spec)
        let fileDuration = spec.simulation.warmup + spec.simulation.duration
        let duration = settings.filterDuration ?? fileDuration
        let grid = settings.gradientRates
        let fullGrid = Double(PaperSettings(quick: false, networks: settings.networks).gradientRates.count)
        let fullSeeds = Double(PaperSettings(quick: false, networks: settings.networks).filterSeeds.count)
        let seedFactor = fullSeeds / Double(settings.filterSeeds.count)
        var jobs: [PaperJob] = []
        for seed in settings.filterSeeds {
            for eta in [nil] + grid.map(Optional.some) {
                var p = base
                p.seed = seed
                if let eta { p.rule = .gradient(eta: eta) }
                let factor = fileDuration / duration * seedFactor * (eta == nil ? 1 : fullGrid / Double(grid.count))
                let label = (eta.map { "gradient eta=\(PaperTable.format($0))" } ?? "filter") + " seed \(seed)"
                jobs.append(PaperJob(experiment: "synaptic_filter", label: label, fullModeFactor: factor) { [results, p] in
                    var experiment = try SynapticFilterExperiment(parameters: p)
                    let result: Result
                    do {
                        try experiment.run(until: duration)
                        let m = experiment.metrics
                        result = Result(meanSquaredError: m.meanSquaredError,
                                        priorMeanSquaredError: m.priorMeanSquaredError, calibration: m.calibration)
                    } catch SynapseError.posteriorLeftDomain where eta != nil {
                        result = Result(meanSquaredError: .infinity, priorMeanSquaredError: .nan, calibration: .nan)
                    }
                    results.update { $0[Key(eta: eta, seed: seed)] = result }
                })
            }
        }
        return jobs
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        let all = results.current
        let seeds = settings.filterSeeds
        func mean(_ eta: Double?, _ value: (Result) -> Double) throws -> Double {
            let values = try seeds.map { seed -> Double in
                guard let r = all[Key(eta: eta, seed: seed)] else { throw PaperError.missing("filter eta \(String(describing: eta))") }
                return value(r)
            }
            return values.reduce(0, +) / Double(values.count)
        }
        let e = "synaptic_filter"
        let filter = try mean(nil, \.meanSquaredError)
        let prior = try mean(nil, \.priorMeanSquaredError)
        table.add(e, "filter (mean over \(seeds.count) seeds)", "MSE", filter)
        table.add(e, "filter (mean over \(seeds.count) seeds)", "calibration", try mean(nil, \.calibration))
        table.add(e, "filter (mean over \(seeds.count) seeds)", "prior-only MSE", prior)
        let grid = settings.gradientRates
        let gradient = try grid.map { try mean($0, \.meanSquaredError) }
        for (eta, mse) in zip(grid, gradient) {
            table.add(e, "gradient eta=\(PaperTable.format(eta)) (mean over seeds)", "MSE", mse)
        }
        let best = gradient.filter(\.isFinite).min() ?? .infinity
        table.add(e, "gradient", "best MSE on the grid", best)
        let wins = try seeds.filter { seed in
            let f = all[Key(eta: nil, seed: seed)]!.meanSquaredError
            let g = try grid.map { eta -> Double in
                guard let r = all[Key(eta: eta, seed: seed)] else { throw PaperError.missing("gradient") }
                return r.meanSquaredError
            }
            // Against the rate that is best on average, not the per-seed best (which would be fitted to noise).
            return f < g[gradient.firstIndex(of: best) ?? 0]
        }.count
        table.add(e, "filter vs best gradient rate", "seeds where the filter has the lower MSE", Double(wins))
        let ends = [grid.first!, grid.last!]
        // Rates at which the gradient rule runs away (MSE above 5 times the prior's) are left off the plot.
        let shown = gradient.map { $0 <= 5 * prior ? $0 : .nan }
        let finite = shown
        let panel = PlotPanel(
            frame: PlotRect(x: 0, y: 0, width: 800, height: 500),
            xScale: AxisScale(kind: .log10, lower: grid.first!, upper: grid.last!),
            yScale: AxisScale.fitting(shown.filter(\.isFinite) + [filter, prior], kind: .log10, padding: 0.1),
            title: "Synaptic Filter vs gradient rule (d = \(try SynapticFilterParameters(spec: settings.spec("synaptic_filter")).inputCount), mean of \(seeds.count) seeds)",
            xLabel: "gradient learning rate eta", yLabel: "MSE (weight)",
            marks: [.line(x: grid, y: finite, color: PlotColor.series(0), width: 1.5, dashed: false),
                    .points(x: grid, y: finite, color: PlotColor.series(0), size: 4),
                    .line(x: ends, y: [filter, filter], color: PlotColor.series(1), width: 2, dashed: false),
                    .line(x: ends, y: [prior, prior], color: .gray, width: 1, dashed: true)],
            legend: [LegendEntry("gradient", PlotColor.series(0)), LegendEntry("Synaptic Filter", PlotColor.series(1)),
                     LegendEntry("prior only", .gray)])
        figures["synaptic_filter"] = Figure(width: 800, height: 500, panels: [panel])
    }
}
