// Fig. 4 of the Nature paper (docs/MODEL.md §4, §6): the rate network's readout, delta rule against the
// Bayesian rule, from Networks/paper/rate_readout.rates.

import Foundation
import VesiclePlot

public struct PaperRateReadout: PaperExperiment {
    public let name = "rate_readout"

    public init() {}

    struct Key: Hashable, Sendable {
        var gain: Double
        var network: Int
        var target: Int
    }

    /// Test MSE per learner and test, per (gain, network, target).
    let results = Locked([Key: [[Double]]]())

    /// The settings of the file, shortened in quick mode (2 networks x 3 targets, the g sweep on 1 x 2).
    public static func settings(_ settings: PaperSettings) throws -> RateReadoutSettings {
        let path = (settings.networks as NSString).appendingPathComponent("rate_readout.rates")
        var s = try RateReadoutSettings(fileAt: path)
        if let seed = settings.seed { s.seed = seed }
        if settings.quick {
            s.networks = 2
            s.targets = 3
            s.gainSweepNetworks = 1
            s.gainSweepTargets = 2
        }
        return s
    }

    /// The learners of every run: the delta rule at each rate, then the Bayesian rule at each initial variance.
    public static func learners(_ s: RateReadoutSettings) -> RateReadoutRun.Learners {
        .init(deltaRates: s.deltaRates, bayesianInitialVariances: s.initialVarianceFactors.map { $0 * s.priorVariance })
    }

    /// One (network, target) pair at `gain`: test MSE per learner and test.
    /// - Complexity: O(trials × trial_steps × (p N^2 + N × learners)).
    public static func run(_ s: RateReadoutSettings, gain: Double, network: Int, target: Int) -> [[Double]] {
        var run = RateReadoutRun(settings: s, gain: gain, network: network, targetIndex: target, learners: learners(s))
        run.run()
        return run.testErrors
    }

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let s = try Self.settings(settings)
        let full = try Self.settings(PaperSettings(quick: false, networks: settings.networks, seed: settings.seed))
        let pairs = Double(s.networks * s.targets + (s.gainSweep.count - 1) * s.gainSweepNetworks * s.gainSweepTargets)
        let fullPairs = Double(full.networks * full.targets
            + (full.gainSweep.count - 1) * full.gainSweepNetworks * full.gainSweepTargets)
        var jobs: [PaperJob] = []
        for gain in s.gainSweep {
            let main = gain == s.gain
            for network in 0..<(main ? s.networks : s.gainSweepNetworks) {
                for target in 0..<(main ? s.targets : s.gainSweepTargets) {
                    let key = Key(gain: gain, network: network, target: target)
                    jobs.append(PaperJob(experiment: name, label: "g=\(gain) network \(network) target \(target)",
                                         fullModeFactor: fullPairs / pairs, expectedCost: 30) { [results] in
                        let r = Self.run(s, gain: gain, network: network, target: target)
                        results.update { $0[key] = r }
                    })
                }
            }
        }
        return jobs
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        let s = try Self.settings(settings)
        let all = results.current
        let nd = s.deltaRates.count
        let bayes = nd + (s.initialVarianceFactors.firstIndex(of: 1) ?? 0)
        let tests = s.trials / s.testEvery
        let trialsAxis = (1...tests).map { Double($0 * s.testEvery) }
        /// Median over pairs at `gain` of learner k's MSE at test j.
        func medians(_ gain: Double, _ k: Int) throws -> [Double] {
            let runs = all.filter { $0.key.gain == gain }.map(\.value)
            guard !runs.isEmpty else { throw PaperError.missing("rate readout g=\(gain)") }
            return (0..<tests).map { j in Self.median(runs.map { $0[k][j] }) }
        }
        let e = name
        table.add(e, "g=\(s.gain)", "networks x targets", Double(s.networks * s.targets))
        var deltaFinal: [Double] = []
        for (k, eta) in s.deltaRates.enumerated() {
            let m = try medians(s.gain, k)
            deltaFinal.append(m.last!)
            table.add(e, "g=\(s.gain) delta eta=\(PaperTable.format(eta))", "median test MSE at \(s.trials) trials", m.last!)
        }
        let bestK = deltaFinal.indices.min { deltaFinal[$0] < deltaFinal[$1] }!
        let bayesCurve = try medians(s.gain, bayes)
        let deltaCurve = try medians(s.gain, bestK)
        for (j, trials) in trialsAxis.enumerated() {
            table.add(e, "g=\(s.gain) Bayesian", "median test MSE at \(Int(trials)) trials", bayesCurve[j])
            table.add(e, "g=\(s.gain) delta, best rate \(PaperTable.format(s.deltaRates[bestK]))",
                      "median test MSE at \(Int(trials)) trials", deltaCurve[j])
        }
        var panels: [PlotPanel] = []
        panels.append(PlotPanel(
            frame: PlotRect(x: 0, y: 0, width: 400, height: 450), xScale: AxisScale(lower: 0, upper: Double(s.trials)),
            yScale: AxisScale.fitting(bayesCurve + deltaCurve, kind: .log10, padding: 0.1),
            title: "g = \(s.gain), median of \(s.networks * s.targets)", xLabel: "trials", yLabel: "test MSE",
            marks: [.line(x: trialsAxis, y: bayesCurve, color: PlotColor.series(1), width: 2, dashed: false),
                    .line(x: trialsAxis, y: deltaCurve, color: PlotColor.series(0), width: 2, dashed: false)],
            legend: [LegendEntry("Bayesian", PlotColor.series(1)),
                     LegendEntry("delta, best eta \(PaperTable.format(s.deltaRates[bestK]))", PlotColor.series(0))]))
        // g sweep at the last test: Bayesian and the delta rule's best rate at that gain.
        var gB: [Double] = [], gD: [Double] = []
        for gain in s.gainSweep {
            let b = try medians(gain, bayes).last!
            let d = try (0..<nd).map { try medians(gain, $0).last! }.min()!
            gB.append(b)
            gD.append(d)
            table.add(e, "g sweep g=\(gain)", "Bayesian median test MSE at \(s.trials) trials", b)
            table.add(e, "g sweep g=\(gain)", "best delta median test MSE at \(s.trials) trials", d)
        }
        panels.append(PlotPanel(
            frame: PlotRect(x: 400, y: 0, width: 400, height: 450),
            xScale: AxisScale(lower: s.gainSweep.min()! - 0.1, upper: s.gainSweep.max()! + 0.1),
            yScale: AxisScale.fitting(gB + gD, kind: .log10, padding: 0.1),
            title: "robustness to g (\(s.trials) trials)", xLabel: "g", yLabel: "median test MSE",
            marks: [.line(x: s.gainSweep, y: gB, color: PlotColor.series(1), width: 2, dashed: false),
                    .points(x: s.gainSweep, y: gB, color: PlotColor.series(1), size: 4),
                    .line(x: s.gainSweep, y: gD, color: PlotColor.series(0), width: 2, dashed: false),
                    .points(x: s.gainSweep, y: gD, color: PlotColor.series(0), size: 4)],
            legend: [LegendEntry("Bayesian", PlotColor.series(1)), LegendEntry("delta, best rate", PlotColor.series(0))]))
        // Initial-rate sensitivity: the Bayesian rule at each initial variance, and the delta rule per rate.
        let initial = try s.initialVarianceFactors.indices.map { try medians(s.gain, nd + $0).last! }
        for (f, m) in zip(s.initialVarianceFactors, initial) {
            table.add(e, "g=\(s.gain) Bayesian sigma2(0) = \(PaperTable.format(f * s.priorVariance))",
                      "median test MSE at \(s.trials) trials", m)
        }
        let initialX = s.initialVarianceFactors.map { $0 * s.priorVariance }
        panels.append(PlotPanel(
            frame: PlotRect(x: 800, y: 0, width: 400, height: 450),
            xScale: AxisScale(kind: .log10, lower: min(initialX.min()!, s.deltaRates.min()!), upper: max(initialX.max()!, s.deltaRates.max()!)),
            yScale: AxisScale.fitting(initial + deltaFinal.filter { $0.isFinite && $0 < 1e3 }, kind: .log10, padding: 0.1),
            title: "initial learning rate (\(s.trials) trials)", xLabel: "Bayesian sigma2(0) / delta eta",
            yLabel: "median test MSE",
            marks: [.line(x: initialX, y: initial, color: PlotColor.series(1), width: 2, dashed: false),
                    .points(x: initialX, y: initial, color: PlotColor.series(1), size: 4),
                    .line(x: s.deltaRates, y: deltaFinal.map { $0 < 1e3 ? $0 : .nan }, color: PlotColor.series(0), width: 2, dashed: false),
                    .points(x: s.deltaRates, y: deltaFinal.map { $0 < 1e3 ? $0 : .nan }, color: PlotColor.series(0), size: 4)],
            legend: [LegendEntry("Bayesian, sigma2(0)", PlotColor.series(1)), LegendEntry("delta, eta", PlotColor.series(0))]))
        figures["rate_readout"] = Figure(width: 1200, height: 450, panels: panels)
    }
}
