// The companion paper's figures (Jegminat & Pfister 2022; docs/MODEL.md §5, §6): the full-covariance and
// diagonal Synaptic Filters against d, against beta_0, and against the gradient rule over its learning
// rates, from Networks/paper/filter_companion.vsl.

import Foundation
import VesicleModel
import VesiclePlot
import VesicleSynapses

public struct PaperFilterComparison: PaperExperiment {
    public let name = "filter_companion"

    public init() {}

    /// One learner on one configuration.
    public struct Learner: Hashable, Sendable {
        public var inputCount: Int
        public var beta0: Double
        /// "full", "diagonal", "sampling" (the diagonal filter with sample-estimated Sigma x, tau_s = 100 ms;
        /// SynapticFilter+Sampling.swift) or "gradient".
        public var kind: String
        /// The gradient rule's learning rate; nil for the filters.
        public var eta: Double?

        public init(inputCount: Int, beta0: Double, kind: String, eta: Double? = nil) {
            self.inputCount = inputCount
            self.beta0 = beta0
            self.kind = kind
            self.eta = eta
        }
    }

    /// What one run measured, over the d inputs after the burn-in.
    public struct Result: Sendable {
        /// +inf when the gradient rule ran away.
        public var meanSquaredError: Double
        public var priorMeanSquaredError: Double
        /// Fraction within ±2 sd.
        public var calibration: Double
        /// Mean z^2 = (mu - w)^T Sigma^-1 (mu - w) / d.
        public var normalizedSquaredError: Double
    }

    struct Key: Hashable, Sendable {
        var learner: Learner
        var seed: UInt64
    }

    public static let dSweep = [1, 2, 7, 10, 12]
    public static let dSweepBeta0 = [0.33, 1]
    public static let beta0Sweep = [0, 0.33, 0.67, 1, 1.33, 1.67, 2]
    public static let beta0SweepD = [5, 15]
    public static let gradientD = [5, 15]
    public static let gradientBeta0 = [0.33, 1]
    /// 21 learning rates log-spaced in [0.001, 3].
    public static let gradientRates = PaperSettings.logSpaced(0.001, 3, count: 21)

    /// tau_s of the sampling filter, ms (issue 18: 0.1 s).
    public static let samplingTau = 100.0
    /// The filters compared in every figure.
    public static let filters = ["full", "diagonal", "sampling"]

    let results = Locked([Key: Result]())

    /// Runs one learner of `base` (the file's setting) for `duration` ms on `seed`.
    /// - Complexity: O(duration / step × d^2) for the full filter, O(duration / step × d) otherwise.
    public static func run(_ learner: Learner, base: SynapticFilterParameters, seed: UInt64,
                           duration: Double) throws -> Result {
        var p = base
        p.inputCount = learner.inputCount
        p.beta0 = learner.beta0
        p.seed = seed
        switch learner.kind {
        case "full": p.rule = .synapticFilter; p.covariance = .full
        case "diagonal": p.rule = .synapticFilter; p.covariance = .diagonal
        case "sampling": p.rule = .synapticFilter; p.covariance = .diagonal; p.samplingTimeConstant = samplingTau
        default: p.rule = .gradient(eta: learner.eta ?? 0)
        }
        var experiment = try SynapticFilterExperiment(parameters: p)
        do {
            try experiment.run(until: duration)
        } catch SynapseError.posteriorLeftDomain where learner.kind != "full" {
            // A gradient rate that runs away, a sampling filter whose sample-estimated x^T Sigma x sends
            // gbar to overflow (seen at d = 15, high beta_0 in quick mode), or a diagonal filter whose
            // first-order variance step overshoots zero (docs/MODEL.md §5; d = 15, beta_0 = 2 on one of the
            // full mode's seeds, at 33.5 ms) is a result: MSE +inf in the table. The full filter's Kalman
            // form cannot leave the domain that way, so for it the error still stops the run.
            return Result(meanSquaredError: .infinity, priorMeanSquaredError: .nan, calibration: .nan,
                          normalizedSquaredError: .nan)
        }
        let m = experiment.metrics
        return Result(meanSquaredError: m.meanSquaredError, priorMeanSquaredError: m.priorMeanSquaredError,
                      calibration: m.calibration,
                      normalizedSquaredError: experiment.calibration.meanNormalizedSquaredError)
    }

    /// Every learner of the three figures, each once.
    public static var learners: [Learner] {
        var all: [Learner] = []
        func add(_ l: Learner) { if !all.contains(l) { all.append(l) } }
        for b in dSweepBeta0 { for d in dSweep { for k in filters { add(Learner(inputCount: d, beta0: b, kind: k)) } } }
        for d in beta0SweepD { for b in beta0Sweep { for k in filters { add(Learner(inputCount: d, beta0: b, kind: k)) } } }
        for d in gradientD {
            for b in gradientBeta0 {
                for eta in gradientRates { add(Learner(inputCount: d, beta0: b, kind: "gradient", eta: eta)) }
            }
        }
        return all
    }

    func baseParameters(_ settings: PaperSettings) throws -> (SynapticFilterParameters, Double) {
        let spec = try settings.spec(name)
        let p = try SynapticFilterParameters(spec: spec)
        let fileDuration = spec.simulation.warmup + spec.simulation.duration
        return (p, fileDuration)
    }

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let (base, fileDuration) = try baseParameters(settings)
        // Quick mode: 3 tau_ou (1 discarded), one repetition. Full mode: the file's 11 tau_ou.
        var quickBase = base
        if settings.quick { quickBase.burnIn = base.prior.tau }
        let duration = settings.quick ? 3 * base.prior.tau : fileDuration
        let seeds = settings.companionSeeds
        let fullSeeds = Double(PaperSettings(quick: false, networks: settings.networks).companionSeeds.count)
        let factor = fileDuration / duration * fullSeeds / Double(seeds.count)
        var jobs: [PaperJob] = []
        for learner in Self.learners {
            // Several seeds per job: one job per learner keeps the job count (and the log) small.
            let label = "\(learner.kind) d=\(learner.inputCount) beta0=\(PaperTable.format(learner.beta0))"
                + (learner.eta.map { " eta=\(PaperTable.format($0))" } ?? "") + " (\(seeds.count) seeds)"
            let cost = Double(learner.inputCount * (learner.kind == "full" ? learner.inputCount : 1) + 20)
            let b = settings.quick ? quickBase : base
            jobs.append(PaperJob(experiment: name, label: label, fullModeFactor: factor, expectedCost: cost) { [results] in
                for seed in seeds {
                    let r = try Self.run(learner, base: b, seed: seed, duration: duration)
                    results.update { $0[Key(learner: learner, seed: seed)] = r }
                }
            })
        }
        return jobs
    }

    /// The mean over seeds of one quantity of one learner.
    func mean(_ learner: Learner, _ seeds: [UInt64], _ value: (Result) -> Double) throws -> Double {
        let all = results.current
        let values = try seeds.map { seed -> Double in
            guard let r = all[Key(learner: learner, seed: seed)] else {
                throw PaperError.missing("\(name) \(learner)")
            }
            return value(r)
        }
        return values.reduce(0, +) / Double(values.count)
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        let seeds = settings.companionSeeds
        let e = name
        table.add(e, "all configurations", "repetitions (seeds)", Double(seeds.count))
        for learner in Self.learners {
            let c = "\(learner.kind) d=\(learner.inputCount) beta0=\(PaperTable.format(learner.beta0))"
                + (learner.eta.map { " eta=\(PaperTable.format($0))" } ?? "")
            table.add(e, c, "MSE (weight)", try mean(learner, seeds, \.meanSquaredError))
            if learner.eta == nil {
                table.add(e, c, "prior-only MSE", try mean(learner, seeds, \.priorMeanSquaredError))
                table.add(e, c, "calibration (within 2 sd)", try mean(learner, seeds, \.calibration))
                table.add(e, c, "z^2 (1 if calibrated)", try mean(learner, seeds, \.normalizedSquaredError))
            }
        }
        let colors = ["full": PlotColor.series(1), "diagonal": PlotColor.series(0), "gradient": PlotColor.series(2),
                      "sampling": PlotColor.series(3)]

        // MSE against d.
        var panels: [PlotPanel] = []
        for (k, b) in Self.dSweepBeta0.enumerated() {
            let x = Self.dSweep.map(Double.init)
            var marks: [PlotMark] = []
            var ys: [Double] = []
            for kind in Self.filters {
                let y = try Self.dSweep.map { try mean(Learner(inputCount: $0, beta0: b, kind: kind), seeds, \.meanSquaredError) }
                ys += y
                marks += [.line(x: x, y: y, color: colors[kind]!, width: 1.5, dashed: false),
                          .points(x: x, y: y, color: colors[kind]!, size: 4)]
            }
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 400, y: 0, width: 400, height: 450),
                xScale: AxisScale(lower: 0, upper: 13), yScale: AxisScale.fitting(ys, includeZero: true),
                title: "beta0 = \(PaperTable.format(b))", xLabel: "d (inputs)", yLabel: "MSE (weight)",
                marks: marks, legend: Self.filters.map { LegendEntry($0, colors[$0]!) }))
        }
        figures["filter_mse_vs_d"] = Figure(width: 800, height: 450, panels: panels)

        // MSE against beta_0.
        panels = []
        for (k, d) in Self.beta0SweepD.enumerated() {
            let x = Self.beta0Sweep
            var marks: [PlotMark] = []
            var ys: [Double] = []
            for kind in Self.filters {
                let y = try x.map { try mean(Learner(inputCount: d, beta0: $0, kind: kind), seeds, \.meanSquaredError) }
                ys += y
                marks += [.line(x: x, y: y, color: colors[kind]!, width: 1.5, dashed: false),
                          .points(x: x, y: y, color: colors[kind]!, size: 4)]
            }
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 400, y: 0, width: 400, height: 450),
                xScale: AxisScale(lower: 0, upper: 2), yScale: AxisScale.fitting(ys, includeZero: true),
                title: "d = \(d)", xLabel: "beta0", yLabel: "MSE (weight)",
                marks: marks, legend: Self.filters.map { LegendEntry($0, colors[$0]!) }))
        }
        figures["filter_mse_vs_beta0"] = Figure(width: 800, height: 450, panels: panels)

        // The gradient rule over its rates against the two filters.
        panels = []
        let grid = Self.gradientRates
        var k = 0
        for d in Self.gradientD {
            for b in Self.gradientBeta0 {
                let gradient = try grid.map { try mean(Learner(inputCount: d, beta0: b, kind: "gradient", eta: $0), seeds, \.meanSquaredError) }
                let full = try mean(Learner(inputCount: d, beta0: b, kind: "full"), seeds, \.meanSquaredError)
                let diagonal = try mean(Learner(inputCount: d, beta0: b, kind: "diagonal"), seeds, \.meanSquaredError)
                let sampled = try mean(Learner(inputCount: d, beta0: b, kind: "sampling"), seeds, \.meanSquaredError)
                let prior = try mean(Learner(inputCount: d, beta0: b, kind: "full"), seeds, \.priorMeanSquaredError)
                let best = gradient.filter(\.isFinite).min() ?? .infinity
                let c = "d=\(d) beta0=\(PaperTable.format(b))"
                table.add(e, "gradient \(c)", "best MSE on the grid", best)
                table.add(e, "gradient \(c)", "best rate", grid[gradient.firstIndex(of: best) ?? 0])
                table.add(e, c, "full MSE / best gradient MSE", full / best)
                table.add(e, c, "diagonal MSE / best gradient MSE", diagonal / best)
                table.add(e, c, "sampling MSE / best gradient MSE", sampled / best)
                table.add(e, c, "sampling MSE / diagonal MSE", sampled / diagonal)
                // Rates at which the gradient rule runs away (MSE above 3 times the prior's) are left off.
                let shown = gradient.map { $0 <= 3 * prior ? $0 : .nan }
                let ends = [grid.first!, grid.last!]
                panels.append(PlotPanel(
                    frame: PlotRect(x: Double(k % 2) * 400, y: Double(k / 2) * 400, width: 400, height: 400),
                    xScale: AxisScale(kind: .log10, lower: grid.first!, upper: grid.last!),
                    yScale: AxisScale.fitting(shown.filter(\.isFinite) + [full, diagonal, sampled, prior], kind: .log10, padding: 0.1),
                    title: c, xLabel: "gradient learning rate eta", yLabel: "MSE (weight)",
                    marks: [.line(x: grid, y: shown, color: colors["gradient"]!, width: 1.5, dashed: false),
                            .points(x: grid, y: shown, color: colors["gradient"]!, size: 4),
                            .line(x: ends, y: [full, full], color: colors["full"]!, width: 2, dashed: false),
                            .line(x: ends, y: [diagonal, diagonal], color: colors["diagonal"]!, width: 2, dashed: true),
                            .line(x: ends, y: [sampled, sampled], color: colors["sampling"]!, width: 2, dashed: true),
                            .line(x: ends, y: [prior, prior], color: .gray, width: 1, dashed: true)],
                    legend: [LegendEntry("gradient", colors["gradient"]!), LegendEntry("full", colors["full"]!),
                             LegendEntry("diagonal", colors["diagonal"]!), LegendEntry("sampling", colors["sampling"]!),
                             LegendEntry("prior only", .gray)]))
                k += 1
            }
        }
        figures["filter_gradient_rates"] = Figure(width: 800, height: 800, panels: panels)
    }
}
