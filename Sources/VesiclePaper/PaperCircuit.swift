// Bayesian release inside a cortical circuit (issue 18 item 5; docs/MODEL.md §3, §5, §6): the scaled-down
// microcircuit of Networks/paper/circuit_bayesian.vsl, whose L2/3E -> L5E and L4E -> L5E synapses learn by
// the Synaptic Filter and release posterior samples; the Nature paper's variability-against-rate
// prediction measured over all synapses of each projection from the release log; the runtime against the
// same circuit with those projections static.

import Foundation
import VesicleAnalysis
import VesicleDSL
import VesicleEngine
import VesicleModel
import VesiclePlot

public struct PaperCircuit: PaperExperiment {
    public let name = "circuit_bayesian"
    /// The plastic projections, as the file names them.
    public static let plasticProjections = ["L23E->L5E plastic", "L4E->L5E plastic"]

    public init() {}

    /// Per-synapse sums over the releases after the warm-up (streamed; the log is not kept).
    public struct SynapseSums: Sendable {
        public var releases = 0
        public var mu = 0.0
        public var sigma2 = 0.0
        public var amplitude = 0.0
        public var amplitudeSquared = 0.0
    }

    /// What one run measured.
    public struct Measurement: Sendable {
        public var cpuSeconds: Double
        public var wallSeconds: Double
        /// Spikes after the warm-up, per population.
        public var spikes: [Int]
        public var populationSizes: [Int]
        public var populationNames: [String]
        /// Measured time, ms (the file's duration).
        public var duration: Double
        /// For each plastic projection (Bayesian run only): its synapses' sums.
        public var synapses: [String: [SynapseSums]]
        /// Synapse count of each plastic projection.
        public var synapseCounts: [String: Int]
        /// The prior of the plastic synapse type.
        public var priorMean: Double
        public var priorVariance: Double
        public var priorTau: Double
        public var beta: Double
        public var tauEpsilon: Double

        public func rate(_ population: String) -> Double {
            guard let p = populationNames.firstIndex(of: population) else { return .nan }
            return Double(spikes[p]) / Double(populationSizes[p]) / (duration / 1000)
        }
    }

    final class Collector: SimulationObserver {
        var spikes: [Int]
        var sums: [Int: [SynapseSums]] = [:]
        let from: Double
        init(populations: Int, from: Double, plastic: [Int: Int]) {
            spikes = Array(repeating: 0, count: populations)
            self.from = from
            for (q, count) in plastic { sums[q] = Array(repeating: SynapseSums(), count: count) }
        }
        func spike(population: Int, neuron: Int, time: Double) { if time >= from { spikes[population] += 1 } }
        func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double,
                     mu: Double, sigma2: Double) {
            guard time >= from, sums[projection] != nil else { return }
            sums[projection]![synapse].releases += 1
            sums[projection]![synapse].mu += mu
            sums[projection]![synapse].sigma2 += sigma2
            sums[projection]![synapse].amplitude += amplitude
            sums[projection]![synapse].amplitudeSquared += amplitude * amplitude
        }
    }

    /// The circuit of the file (`scale` replaced if given), with `duration` and `warmup` in ms.
    /// `bayesian = false` makes the plastic projections static with weights normal(w, 0.1 w): the
    /// circuit without Bayesian synapses, for the cost ratio.
    public static func spec(settings: PaperSettings, scale: Double? = nil, duration: Double, warmup: Double,
                            bayesian: Bool, seed: UInt64? = nil) throws -> NetworkSpec {
        let path = (settings.networks as NSString).appendingPathComponent("circuit_bayesian.vsl")
        var spec = try PaperNetworkFile.compile(path: path, scale: scale)
        spec.simulation.duration = duration
        spec.simulation.warmup = warmup
        if let seed { spec.simulation.seed = seed }
        spec.recordings.removeAll { if case .releases = $0.kind { return true } else { return false } }
        for name in plasticProjections {
            guard let q = spec.projections.firstIndex(where: { $0.name == name }) else {
                throw PaperError.network(path, "no projection '\(name)'")
            }
            if bayesian {
                spec.recordings.append(RecordingSpec(kind: .releases(projection: name, limit: nil)))
            } else {
                guard case .bayesian(let b)? = spec.synapseType(named: spec.projections[q].synapseType)?.kind else {
                    throw PaperError.network(path, "projection '\(name)' is not Bayesian")
                }
                spec.projections[q].synapseType = "static"
                spec.projections[q].weight = .normal(mean: b.priorMean, sd: 0.1 * b.priorMean, clipToSign: .positive)
            }
        }
        return spec
    }

    /// Builds and runs `spec`, streaming spikes and the plastic projections' releases.
    /// - Complexity: the simulation's: O(events + steps x plastic synapses).
    public static func measure(_ spec: NetworkSpec) throws -> Measurement {
        let cpuStart = PaperJobRunner.threadCPUSeconds()
        let wallStart = Date()
        let network = try NetworkBuilder.build(spec)
        var plastic: [Int: Int] = [:]
        var counts: [String: Int] = [:]
        for (q, p) in network.projections.enumerated() where plasticProjections.contains(p.name) {
            counts[p.name] = p.synapses.synapseCount
            if p.isBayesian { plastic[q] = p.synapses.synapseCount }
        }
        let collector = Collector(populations: network.populationNames.count, from: spec.simulation.warmup, plastic: plastic)
        let simulator = Simulator(network: network)
        simulator.recordAllSpikes()
        simulator.run(observer: collector)
        // A learner that leaves its domain stops the run (docs/MODEL.md §4): report it, never a partial result.
        if let failure = simulator.failure { throw PaperError.network("circuit_bayesian", "\(failure)") }
        var synapses: [String: [SynapseSums]] = [:]
        for (q, sums) in collector.sums { synapses[network.projections[q].name] = sums }
        let type = spec.projections.first { $0.name == plasticProjections[0] }.flatMap { spec.synapseType(named: $0.synapseType) }
        var prior = (0.0, 0.0, 0.0, 0.0, 0.0)
        if case .bayesian(let b)? = type?.kind {
            prior = (b.priorMean, b.priorVariance, b.priorTau, b.filterBeta, b.filterTauEpsilon)
        }
        return Measurement(cpuSeconds: PaperJobRunner.threadCPUSeconds() - cpuStart,
                           wallSeconds: Date().timeIntervalSince(wallStart),
                           spikes: collector.spikes, populationSizes: network.populationSizes,
                           populationNames: network.populationNames, duration: spec.simulation.duration,
                           synapses: synapses, synapseCounts: counts, priorMean: prior.0, priorVariance: prior.1,
                           priorTau: prior.2, beta: prior.3, tauEpsilon: prior.4)
    }

    /// Per synapse with at least `minimumReleases` releases: presynaptic rate (Hz) and the normalised
    /// variability of the posterior it released from, <s2> / <m> over its releases (identity link:
    /// m = mu, s2 = sigma2; docs/MODEL.md §3), and of its released amplitudes, Var(w) / mean(w).
    public static func variability(_ sums: [SynapseSums], duration: Double, minimumReleases: Int = 2)
        -> (rates: [Double], posterior: [Double], amplitude: [Double]) {
        var rates: [Double] = [], posterior: [Double] = [], amplitude: [Double] = []
        for s in sums where s.releases >= max(2, minimumReleases) {
            let n = Double(s.releases)
            rates.append(n / (duration / 1000))
            posterior.append((s.sigma2 / n) / (s.mu / n))
            let mean = s.amplitude / n
            amplitude.append((s.amplitudeSquared - n * mean * mean) / (n - 1) / mean)
        }
        return (rates, posterior, amplitude)
    }

    /// The stationary posterior variance of the diagonal filter for an input at rate nu (Hz), with the
    /// evidence per presynaptic spike taken at its mean, gbar beta^2 tau_eps / 2 (the integral of
    /// gbar beta^2 x^2 over one PSP, x = e^(-s/tau_eps)): k nu s2^2 = 2 (s2_pr - s2) / tau gives
    /// s2 = (a / nu)(sqrt(1 + nu / nu0) - 1) with a = 1 / (k tau), nu0 = 1 / (2 k s2_pr tau) (docs/MODEL.md §5).
    /// Returns (a, nu0) in the units of s2 and Hz, for a postsynaptic rate gbar (Hz).
    public static func predictedFit(gbar: Double, beta: Double, tauEpsilon: Double, priorVariance: Double,
                                    tau: Double) -> (a: Double, nu0: Double) {
        let k = gbar * beta * beta * (tauEpsilon / 1000) / 2
        let tauSeconds = tau / 1000
        return (1 / (k * tauSeconds), 1 / (2 * k * priorVariance * tauSeconds))
    }

    let results = Locked([String: Measurement]())

    func durations(_ settings: PaperSettings) throws -> (duration: Double, warmup: Double) {
        let spec = try settings.spec(name)
        return settings.quick ? (8_000, 4_000) : (spec.simulation.duration, spec.simulation.warmup)
    }

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let (duration, warmup) = try durations(settings)
        let full = try settings.spec(name).simulation
        let factor = (full.duration + full.warmup) / (duration + warmup)
        var jobs: [PaperJob] = []
        for bayesian in [true, false] {
            let spec = try Self.spec(settings: settings, duration: duration, warmup: warmup, bayesian: bayesian,
                                     seed: settings.seed)
            let label = bayesian ? "Bayesian" : "static"
            jobs.append(PaperJob(experiment: name, label: label, fullModeFactor: factor, expectedCost: bayesian ? 400 : 200) {
                [results] in
                let m = try Self.measure(spec)
                results.update { $0[label] = m }
            })
        }
        return jobs
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        guard let b = results.current["Bayesian"], let s = results.current["static"] else {
            throw PaperError.missing("circuit runs")
        }
        let e = name
        let measured = "\(Int(b.duration / 1000)) s after the warm-up"
        table.add(e, "Bayesian run", "measured time", b.duration / 1000, unit: "s")
        for (label, m) in [("Bayesian", b), ("static", s)] {
            table.add(e, "\(label) run", "CPU time (build and simulation)", m.cpuSeconds, unit: "s")
            for population in m.populationNames {
                table.add(e, "\(label) run", "\(population) rate", m.rate(population), unit: "Hz")
            }
        }
        table.add(e, "Bayesian / static", "CPU time ratio", b.cpuSeconds / s.cpuSeconds)
        let gbar = b.rate("L5E")
        let predicted = Self.predictedFit(gbar: gbar, beta: b.beta, tauEpsilon: b.tauEpsilon,
                                          priorVariance: b.priorVariance, tau: b.priorTau)
        table.add(e, "prediction (mean field)", "nu0 = 1 / (2 k s2_pr tau), k = rate(L5E) beta^2 tau_eps / 2",
                  predicted.nu0, unit: "Hz")

        var panels: [PlotPanel] = []
        for (k, projection) in Self.plasticProjections.enumerated() {
            let sums = b.synapses[projection] ?? []
            let v = Self.variability(sums, duration: b.duration)
            let c = projection
            table.add(e, c, "synapses", Double(b.synapseCounts[projection] ?? 0))
            table.add(e, c, "synapses with >= 2 releases (\(measured))", Double(v.rates.count))
            let sorted = zip(v.rates, v.posterior).sorted { $0.0 < $1.0 }
            let upper = sorted[(sorted.count / 2)...]
            let meanS2 = sums.reduce(0) { $0 + ($1.releases > 0 ? $1.sigma2 / Double($1.releases) : 0) }
                / Double(max(1, sums.filter { $0.releases > 0 }.count))
            table.add(e, c, "mean posterior variance / prior variance", meanS2 / b.priorVariance)
            // Whether the filter's model of the L5E neuron matches its rate: with g0 right, y - gbar h
            // averages to 0 and the posterior means do not drift from the prior's on average.
            let meanMu = sums.reduce(0) { $0 + ($1.releases > 0 ? $1.mu / Double($1.releases) : 0) }
                / Double(max(1, sums.filter { $0.releases > 0 }.count))
            table.add(e, c, "mean posterior mean / prior mean", meanMu / b.priorMean)
            let interval = Self.logLogSlopeInterval(x: v.rates, y: v.posterior)
            table.add(e, c, "log-log slope of s2/m against rate (all)", interval.slope)
            table.add(e, c, "log-log slope of s2/m against rate, 95% interval low (OLS)", interval.low)
            table.add(e, c, "log-log slope of s2/m against rate, 95% interval high (OLS)", interval.high)
            table.add(e, c, "mean-field prediction's log-log slope over the same rates (nu0 above)",
                      Self.predictedSlope(rates: v.rates, nu0: predicted.nu0))
            if let lo = v.rates.min(), let hi = v.rates.max() {
                table.add(e, c, "presynaptic rate, lowest (>= 2 releases)", lo, unit: "Hz")
                table.add(e, c, "presynaptic rate, highest", hi, unit: "Hz")
            }
            table.add(e, c, "log-log slope of s2/m against rate (upper half of rates)",
                      ReleaseStatistics.logLogSlope(x: upper.map(\.0), y: upper.map(\.1)))
            table.add(e, c, "log-log slope of released Var(w)/mean(w) against rate",
                      ReleaseStatistics.logLogSlope(x: v.rates, y: v.amplitude))
            let rateScale = AxisScale.fitting(v.rates, kind: .log10)
            let curveX = (0...100).map { rateScale.lower * pow(rateScale.upper / rateScale.lower, Double($0) / 100) }
            var marks: [PlotMark] = [.points(x: v.rates, y: v.posterior, color: PlotColor.series(k).withAlpha(90), size: 2)]
            var note = "no fit"
            if let fit = ReleaseStatistics.fitVariability(rates: v.rates, variability: v.posterior) {
                marks.append(.line(x: curveX, y: curveX.map(fit.value), color: .black, width: 1.5, dashed: false))
                // The fitted curve's own log-log slope over the measured rates (its end points).
                let lo = rateScale.lower, hi = rateScale.upper
                let curveSlope = log(fit.value(at: hi) / fit.value(at: lo)) / log(hi / lo)
                table.add(e, c, "fit a", fit.a)
                table.add(e, c, "fit nu0", fit.nu0, unit: "Hz")
                if let l = fit.nu0Lower, let u = fit.nu0Upper {
                    table.add(e, c, "fit nu0 95% profile interval low", l, unit: "Hz")
                    table.add(e, c, "fit nu0 95% profile interval high", u, unit: "Hz")
                }
                table.add(e, c, "fit log residual", fit.logResidual)
                table.add(e, c, "log-log slope of the fitted curve over the rates", curveSlope)
                note = String(format: "fit nu0 = %.3g Hz, slope %.2f; mean-field nu0 = %.3g Hz", fit.nu0, curveSlope, predicted.nu0)
            }
            let m = b.priorMean
            marks.append(.line(x: curveX, y: curveX.map {
                ReleaseStatistics.variabilityModel(nu: $0, a: predicted.a, nu0: predicted.nu0) / m
            }, color: .gray, width: 1, dashed: true))
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 420, y: 0, width: 420, height: 450), xScale: rateScale,
                yScale: AxisScale.fitting(v.posterior, kind: .log10, padding: 0.1),
                title: "\(projection): s2/m against presynaptic rate", xLabel: "presynaptic rate (Hz)",
                yLabel: "<s2>/<m> (mV)", marks: marks, note: note))
        }
        figures["circuit_bayesian"] = Figure(width: 840, height: 450, panels: panels)
    }
}
