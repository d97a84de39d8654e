// Robustness to a wrong model (the Nature paper's supplement; docs/MODEL.md §4): the synapses assume a
// prior mean, prior variance or noise s.d. that differs from the world's by a factor, or the world's
// targets jump instead of drifting. From the tracking_<rule> files.

import Foundation
import VesiclePlot
import VesicleSynapses

public struct PaperRobustness: PaperExperiment {
    public let name = "robustness"

    public init() {}

    /// Which assumed value is wrong.
    public enum Mismatch: String, Sendable, CaseIterable {
        case priorMean = "mu_pr"
        case priorVariance = "sigma2_pr"
        case noiseSD = "sigma_0"
    }

    /// 11 factors log-spaced over [0.5, 2].
    public static let factors = PaperSettings.logSpaced(0.5, 2, count: 11)

    struct Key: Hashable, Sendable {
        var rule: String
        var mismatch: Mismatch?
        var factor: Double
        /// nil: the Bayesian rule; else a classical rate (jump teacher only).
        var eta: Double?
        var jumps: Bool
    }

    let results = Locked([Key: TrackingMetrics?]())

    /// The world of `p` (teacher, noise) with the synapses' assumed value of `mismatch` multiplied by `factor`.
    public static func assuming(_ p: FeedbackExperimentParameters, _ mismatch: Mismatch, factor: Double) throws
        -> FeedbackExperimentParameters {
        var q = p
        switch mismatch {
        case .priorMean:
            q.prior = try OrnsteinUhlenbeckPrior(mean: p.teacher.mean * factor, variance: p.prior.variance, tau: p.prior.tau)
        case .priorVariance:
            q.prior = try OrnsteinUhlenbeckPrior(mean: p.prior.mean, variance: p.teacher.variance * factor, tau: p.prior.tau)
        case .noiseSD:
            q.assumedNoiseSD = p.noiseSD * factor
        }
        return q
    }

    /// Simulated time of a robustness run, in tau: 100 (the supplement), 12 in quick mode.
    static func taus(_ settings: PaperSettings) -> Double { settings.quick ? 12 : 100 }

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        var jobs: [PaperJob] = []
        let factors = settings.quick ? [0.5, 0.7071067811865476, 1, 1.4142135623730951, 2] : Self.factors
        let fullFactor = 100 / Self.taus(settings) * Double(Self.factors.count) / Double(factors.count)
        for rule in PaperTracking.rules {
            var (base, _) = try settings.feedback("tracking_\(rule)")
            base.tracedSynapses = []
            let duration = Self.taus(settings) * base.teacher.tau
            for mismatch in Mismatch.allCases {
                for f in factors {
                    let p = try Self.assuming(base, mismatch, factor: f)
                    let key = Key(rule: rule, mismatch: mismatch, factor: f, eta: nil, jumps: false)
                    jobs.append(PaperJob(experiment: name, label: "\(rule) \(mismatch.rawValue) x\(PaperTable.format(f))",
                                         fullModeFactor: fullFactor, expectedCost: 8) { [results] in
                        let m = try? PaperComparison.bayesianMetrics(p, duration: duration)
                        results.update { $0[key] = m }
                    })
                }
            }
            // Jump teacher: the Bayesian rule (which assumes OU) and the classical rule over the quick grid.
            var jump = base
            jump.teacherJumps = true
            let bayesKey = Key(rule: rule, mismatch: nil, factor: 1, eta: nil, jumps: true)
            jobs.append(PaperJob(experiment: name, label: "\(rule) jump teacher, Bayesian",
                                 fullModeFactor: 100 / Self.taus(settings), expectedCost: 8) { [results, jump] in
                let m = try? PaperComparison.bayesianMetrics(jump, duration: duration)
                results.update { $0[bayesKey] = m }
            })
            var (classical, _) = try settings.feedback("bayesian_vs_classical_\(rule)")
            classical.teacherJumps = true
            let rates = PaperSettings(quick: true, networks: settings.networks).classicalRates
            classical.rule = try PaperComparison.classicalRule(rule, eta: rates[0])
            jobs.append(PaperJob(experiment: name, label: "\(rule) jump teacher, classical (\(rates.count) rates)",
                                 fullModeFactor: 100 / Self.taus(settings), expectedCost: 20) { [results, classical] in
                let metrics = try PaperComparison.classicalMetrics(classical, learningRates: rates, duration: duration)
                results.update { r in
                    for (eta, m) in zip(rates, metrics) { r[Key(rule: rule, mismatch: nil, factor: 1, eta: eta, jumps: true)] = m }
                }
            })
        }
        return jobs
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        let all = results.current
        let e = name
        let factors = settings.quick ? [0.5, 0.7071067811865476, 1, 1.4142135623730951, 2] : Self.factors
        table.add(e, "all", "simulated time per run (tau)", Self.taus(settings))
        var panels: [PlotPanel] = []
        for (k, mismatch) in Mismatch.allCases.enumerated() {
            var marks: [PlotMark] = [.line(x: [0.5, 2], y: [1, 1], color: .gray, width: 1, dashed: true)]
            var ys: [Double] = []
            var legend: [LegendEntry] = []
            for (j, rule) in PaperTracking.rules.enumerated() {
                let mse = try factors.map { f -> Double in
                    guard let entry = all[Key(rule: rule, mismatch: mismatch, factor: f, eta: nil, jumps: false)] else {
                        throw PaperError.missing("robustness \(rule) \(mismatch) \(f)")
                    }
                    return entry?.meanSquaredError ?? .infinity
                }
                let atOne = mse[factors.firstIndex(of: 1)!]
                for (f, m) in zip(factors, mse) {
                    table.add(e, "\(rule), assumed \(mismatch.rawValue) x\(PaperTable.format(f))", "MSE (log-weight)", m)
                }
                let argmin = factors[mse.indices.min { mse[$0] < mse[$1] }!]
                table.add(e, "\(rule), assumed \(mismatch.rawValue)", "factor of the lowest MSE", argmin)
                let relative = mse.map { $0 / atOne }
                ys += relative.filter(\.isFinite)
                marks += [.line(x: factors, y: relative, color: PlotColor.series(j), width: 2, dashed: false),
                          .points(x: factors, y: relative, color: PlotColor.series(j), size: 4)]
                legend.append(LegendEntry(rule, PlotColor.series(j)))
            }
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 400, y: 0, width: 400, height: 450),
                xScale: AxisScale(kind: .log10, lower: 0.5, upper: 2),
                yScale: AxisScale.fitting(ys + [1], padding: 0.1), title: "assumed \(mismatch.rawValue) / world's",
                xLabel: "factor", yLabel: "MSE / MSE at factor 1", marks: marks, legend: legend))
        }
        figures["robustness"] = Figure(width: 1200, height: 450, panels: panels)
        let rates = PaperSettings(quick: true, networks: settings.networks).classicalRates
        for rule in PaperTracking.rules {
            let b = all[Key(rule: rule, mismatch: nil, factor: 1, eta: nil, jumps: true)] ?? nil
            let best = rates.compactMap { all[Key(rule: rule, mismatch: nil, factor: 1, eta: $0, jumps: true)] ?? nil }
                .map(\.meanSquaredError).min() ?? .infinity
            table.add(e, "\(rule), jump teacher", "Bayesian MSE", b?.meanSquaredError ?? .infinity)
            table.add(e, "\(rule), jump teacher", "Bayesian calibration (within 2 sd)", b?.calibration ?? .nan)
            table.add(e, "\(rule), jump teacher", "best classical MSE (\(rates.count) rates)", best)
        }
    }
}
