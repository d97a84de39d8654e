// The Nature paper's variability-against-rate prediction tested inside a recurrent circuit (issue 18
// item 5; docs/MODEL.md §5, §6): the microcircuit of Networks/paper/circuit_prediction.vsl, in which a
// few of each L5E neuron's L2/3E and L4E inputs learn by the Synaptic Filter under a model matched to
// the neuron (beta from its escape noise, g0 from its rate), with nu0 inside the presynaptic rates.
// Measured: per synapse, the presynaptic rate and <s2>/<m> over its releases after the warm-up; the
// log-log slope with its two-way cluster-robust 95 % interval (PaperCircuit+ClusterInterval.swift);
// against the mean-field slope over the same synapses (PaperCircuitPrediction+MeanField.swift). Also
// reported: whether the filter stayed in its domain, how far the means drifted from the prior, and the
// model's rate against the neuron's.

import Foundation
import VesicleAnalysis
import VesicleDSL
import VesicleEngine
import VesicleModel
import VesiclePlot

public struct PaperCircuitPrediction: PaperExperiment {
    public let name = "circuit_prediction"
    public static let file = "circuit_prediction.vsl"
    /// The plastic projections, as the file names them, and the learning population.
    public static let plasticProjections = ["L23E->L5E plastic", "L4E->L5E plastic"]
    public static let learningPopulation = "L5E"

    public init() {}

    /// One synapse's sums over its releases after the warm-up.
    public struct SynapseSums: Sendable {
        public var pre = -1
        public var post = -1
        public var releases = 0
        public var mu = 0.0
        public var sigma2 = 0.0
        public var minimumSigma2 = Double.infinity
    }

    /// What one run measured.
    public struct Measurement: Sendable {
        public var cpuSeconds: Double
        /// Measured time after the warm-up, ms.
        public var duration: Double
        public var warmup: Double
        /// Spikes after the warm-up, per population (file order), and the populations' names and sizes.
        public var spikes: [Int]
        public var populationNames: [String]
        public var populationSizes: [Int]
        /// Rate (Hz) of each neuron of the learning population after the warm-up.
        public var postRates: [Double]
        /// Per plastic projection, per synapse.
        public var synapses: [String: [SynapseSums]]
        /// Time average (samples every `biasSampleInterval` after the warm-up) of each learning neuron's
        /// bias posterior.
        public var bias: [(mu: Double, sigma2: Double)]
        public var filter: FilterSettings
        /// The learning neuron's rate after a plastic release over its mean rate, per `responseBins`.
        public var responseGain: [Double]

        public func rate(_ population: String) -> Double {
            guard let p = populationNames.firstIndex(of: population) else { return .nan }
            return Double(spikes[p]) / Double(populationSizes[p]) / (duration / 1000)
        }
    }

    static let biasSampleInterval = 1_000.0

    final class Collector: SimulationObserver {
        var spikes: [Int]
        var postSpikes: [Int]
        var sums: [Int: [SynapseSums]] = [:]
        var postTrains: [[Double]]
        var releases: [(time: Double, post: Int)] = []
        let from: Double
        let learning: Int
        init(populations: Int, learning: Int, learningSize: Int, from: Double, plastic: [Int: Int]) {
            spikes = Array(repeating: 0, count: populations)
            postSpikes = Array(repeating: 0, count: learningSize)
            postTrains = Array(repeating: [], count: learningSize)
            self.from = from
            self.learning = learning
            for (q, count) in plastic { sums[q] = Array(repeating: SynapseSums(), count: count) }
        }
        func spike(population: Int, neuron: Int, time: Double) {
            guard time >= from else { return }
            spikes[population] += 1
            if population == learning {
                postSpikes[neuron] += 1
                postTrains[neuron].append(time)
            }
        }
        func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double,
                     mu: Double, sigma2: Double) {
            guard time >= from, sums[projection] != nil else { return }
            releases.append((time: time, post: post))
            sums[projection]![synapse].pre = pre
            sums[projection]![synapse].post = post
            sums[projection]![synapse].releases += 1
            sums[projection]![synapse].mu += mu
            sums[projection]![synapse].sigma2 += sigma2
            sums[projection]![synapse].minimumSigma2 = min(sums[projection]![synapse].minimumSigma2, sigma2)
        }
    }

    /// The circuit of the file, `scale` and the prior's `tau` replaced if given, with `duration` and
    /// `warmup` in ms; the release log of both plastic projections is streamed.
    public static func spec(settings: PaperSettings, scale: Double? = nil, duration: Double? = nil,
                            warmup: Double? = nil, seed: UInt64? = nil) throws -> NetworkSpec {
        let path = (settings.networks as NSString).appendingPathComponent(file)
        var spec = try PaperNetworkFile.compile(path: path, scale: scale)
        if let duration { spec.simulation.duration = duration }
        if let warmup { spec.simulation.warmup = warmup }
        if let seed { spec.simulation.seed = seed }
        spec.recordings.removeAll { if case .releases = $0.kind { return true } else { return false } }
        for name in plasticProjections {
            guard spec.projections.contains(where: { $0.name == name }) else {
                throw PaperError.network(path, "no projection '\(name)'")
            }
            spec.recordings.append(RecordingSpec(kind: .releases(projection: name, limit: nil)))
        }
        return spec
    }

    /// Builds and runs `spec` in stretches of `biasSampleInterval` after the warm-up (sampling the bias
    /// posteriors between them), streaming spikes and releases. A learner that leaves its domain stops the
    /// run: that is thrown, never a partial result (docs/MODEL.md §4).
    /// - Complexity: the simulation's: O(events + steps x plastic synapses).
    public static func measure(_ spec: NetworkSpec) throws -> Measurement {
        let cpuStart = PaperJobRunner.threadCPUSeconds()
        let network = try NetworkBuilder.build(spec)
        guard let learning = network.populationNames.firstIndex(of: learningPopulation) else {
            throw PaperError.network(file, "no population '\(learningPopulation)'")
        }
        var plastic: [Int: Int] = [:]
        for (q, p) in network.projections.enumerated() where plasticProjections.contains(p.name) {
            guard p.isBayesian else { throw PaperError.network(file, "projection '\(p.name)' is not Bayesian") }
            plastic[q] = p.synapses.synapseCount
        }
        guard case .bayesian(let b)? = spec.projections.first(where: { $0.name == plasticProjections[0] })
            .flatMap({ spec.synapseType(named: $0.synapseType) })?.kind else {
            throw PaperError.network(file, "projection '\(plasticProjections[0])' has no Bayesian synapse type")
        }
        let filter = FilterSettings(beta: b.filterBeta, g0: b.filterG0, tauEpsilon: b.filterTauEpsilon / 1000,
                                    priorMean: b.priorMean, priorVariance: b.priorVariance, tau: b.priorTau / 1000)
        let size = network.populationSizes[learning]
        let warmup = spec.simulation.warmup, end = warmup + spec.simulation.duration
        let collector = Collector(populations: network.populationNames.count, learning: learning, learningSize: size,
                                  from: warmup, plastic: plastic)
        let simulator = Simulator(network: network)
        simulator.recordAllSpikes()
        var biasSums = Array(repeating: (mu: 0.0, sigma2: 0.0), count: size)
        var samples = 0
        var t = warmup
        simulator.run(until: warmup, observer: collector)
        while simulator.failure == nil && t < end {
            t = min(end, t + biasSampleInterval)
            simulator.run(until: t, observer: collector)
            for j in 0..<size {
                guard let p = network.learnedBias(population: learning, neuron: j) else { continue }
                biasSums[j].mu += p.mu
                biasSums[j].sigma2 += p.sigma2
            }
            samples += 1
        }
        if let failure = simulator.failure { throw PaperError.network(file, "\(failure)") }
        var synapses: [String: [SynapseSums]] = [:]
        for (q, sums) in collector.sums { synapses[network.projections[q].name] = sums }
        let seconds = spec.simulation.duration / 1000
        return Measurement(cpuSeconds: PaperJobRunner.threadCPUSeconds() - cpuStart,
                           duration: spec.simulation.duration, warmup: warmup, spikes: collector.spikes,
                           populationNames: network.populationNames, populationSizes: network.populationSizes,
                           postRates: collector.postSpikes.map { Double($0) / seconds }, synapses: synapses,
                           bias: biasSums.map { (mu: $0.mu / Double(max(1, samples)), sigma2: $0.sigma2 / Double(max(1, samples))) },
                           filter: filter,
                           responseGain: responseGain(releases: collector.releases, spikes: collector.postTrains.map { $0.sorted() },
                                                      from: warmup, to: end))
    }

    /// What the report compares, for one projection.
    public struct Comparison: Sendable {
        public var synapses: Int
        public var rates: [Double]
        /// <s2>/<m> per synapse (mV).
        public var variability: [Double]
        /// <s2> per synapse (mV^2) and its mean-field prediction.
        public var variance: [Double]
        public var predictedVariance: [Double]
        public var measured: (slope: Double, low: Double, high: Double, count: Int)
        public var measuredOLS: (slope: Double, low: Double, high: Double, count: Int)
        /// Slope of log(predicted s2 / mu_pr) over the same synapses: the mean-field variance averaged over
        /// the measured window, and the stationary one (the paper's prediction in its own form).
        public var predictedSlope: Double
        public var stationarySlope: Double
        /// Slope of log <m> against log rate (0 if the means do not drift with rate) and its interval.
        public var meanSlope: (slope: Double, low: Double, high: Double, count: Int)
        /// Slope of log <s2> itself (without m) and its interval.
        public var varianceSlope: (slope: Double, low: Double, high: Double, count: Int)
        public var predictedVarianceSlope: Double
        /// Median over synapses of measured <s2> / predicted s2.
        public var medianVarianceRatio: Double
        public var meanMuOverPrior: Double
        public var meanSigma2OverPrior: Double
        public var minimumSigma2OverPrior: Double
    }

    /// The comparison for one projection's synapses with at least `minimumReleases` releases: measured
    /// <s2>/<m> against rate, its slope and intervals, and the mean-field prediction at each synapse's
    /// rate and its postsynaptic neuron's rate.
    /// - Complexity: O(synapses).
    public static func compare(_ sums: [SynapseSums], measurement m: Measurement, minimumReleases: Int = 5) -> Comparison {
        let seconds = m.duration / 1000
        let kept = sums.filter { $0.releases >= max(2, minimumReleases) && $0.post >= 0 && $0.post < m.postRates.count }
        let rates = kept.map { Double($0.releases) / seconds }
        let variance = kept.map { $0.sigma2 / Double($0.releases) }
        let variability = kept.map { ($0.sigma2 / Double($0.releases)) / ($0.mu / Double($0.releases)) }
        let (t1, t2) = (m.warmup / 1000, (m.warmup + m.duration) / 1000)
        let predicted = zip(kept, rates).map { s, nu in
            predictedVariance(nu: nu, postRate: m.postRates[s.post], filter: m.filter, averagedFrom: t1, to: t2)
        }
        let stationary = zip(kept, rates).map { s, nu in
            predictedVariance(nu: nu, postRate: m.postRates[s.post], filter: m.filter) / m.filter.priorMean
        }
        let pre = kept.map(\.pre), post = kept.map(\.post)
        let prior = m.filter.priorMean
        let released = sums.filter { $0.releases > 0 }
        let count = Double(max(1, released.count))
        let ratios = zip(variance, predicted).map { $0 / $1 }.sorted()
        return Comparison(
            synapses: kept.count, rates: rates, variability: variability, variance: variance, predictedVariance: predicted,
            measured: PaperCircuit.clusteredLogLogSlopeInterval(x: rates, y: variability, a: pre, b: post),
            measuredOLS: PaperCircuit.logLogSlopeInterval(x: rates, y: variability),
            predictedSlope: ReleaseStatistics.logLogSlope(x: rates, y: predicted.map { $0 / prior }),
            stationarySlope: ReleaseStatistics.logLogSlope(x: rates, y: stationary),
            meanSlope: PaperCircuit.clusteredLogLogSlopeInterval(x: rates, y: kept.map { $0.mu / Double($0.releases) }, a: pre, b: post),
            varianceSlope: PaperCircuit.clusteredLogLogSlopeInterval(x: rates, y: variance, a: pre, b: post),
            predictedVarianceSlope: ReleaseStatistics.logLogSlope(x: rates, y: predicted),
            medianVarianceRatio: ratios.isEmpty ? .nan : ratios[ratios.count / 2],
            meanMuOverPrior: released.reduce(0) { $0 + $1.mu / Double($1.releases) } / count / prior,
            meanSigma2OverPrior: released.reduce(0) { $0 + $1.sigma2 / Double($1.releases) } / count / m.filter.priorVariance,
            minimumSigma2OverPrior: released.reduce(Double.infinity) { min($0, $1.minimumSigma2) } / m.filter.priorVariance)
    }

    /// Per learning neuron, the model's mean rate g0 exp(...) at the time-averaged posteriors (bias
    /// sampled, synapses averaged over their releases) and measured presynaptic rates, over the neuron's
    /// measured rate; the median over neurons that fired.
    /// - Complexity: O(plastic synapses x 513 exponentials).
    public static func medianModelRateRatio(_ m: Measurement) -> Double {
        let seconds = m.duration / 1000
        var inputs = [[(nu: Double, mu: Double, sigma2: Double)]](repeating: [], count: m.postRates.count)
        for projection in plasticProjections {
            for s in m.synapses[projection] ?? [] where s.releases > 0 && s.post >= 0 && s.post < inputs.count {
                let n = Double(s.releases)
                inputs[s.post].append((nu: n / seconds, mu: s.mu / n, sigma2: s.sigma2 / n))
            }
        }
        var ratios: [Double] = []
        for j in m.postRates.indices where m.postRates[j] > 0 {
            ratios.append(modelRate(bias: m.bias[j], inputs: inputs[j], filter: m.filter) / m.postRates[j])
        }
        ratios.sort()
        return ratios.isEmpty ? .nan : ratios[ratios.count / 2]
    }

    let results = Locked([String: Measurement]())

    func durations(_ settings: PaperSettings) throws -> (duration: Double, warmup: Double) {
        let spec = try settings.spec("circuit_prediction")
        return settings.quick ? (20_000, 20_000) : (spec.simulation.duration, spec.simulation.warmup)
    }

    public func jobs(_ settings: PaperSettings) throws -> [PaperJob] {
        let (duration, warmup) = try durations(settings)
        let full = try settings.spec("circuit_prediction").simulation
        let spec = try Self.spec(settings: settings, duration: duration, warmup: warmup, seed: settings.seed)
        return [PaperJob(experiment: name, label: "Bayesian", fullModeFactor: (full.duration + full.warmup) / (duration + warmup),
                         expectedCost: 500) { [results] in
            let m = try Self.measure(spec)
            results.update { $0["Bayesian"] = m }
        }]
    }

    public func report(_ settings: PaperSettings, into table: inout PaperTable, figures: inout [String: Figure]) throws {
        guard let m = results.current["Bayesian"] else { throw PaperError.missing("circuit_prediction run") }
        let e = name
        table.add(e, "run", "measured time (after the warm-up)", m.duration / 1000, unit: "s")
        table.add(e, "run", "warm-up", m.warmup / 1000, unit: "s")
        table.add(e, "run", "CPU time (build and simulation)", m.cpuSeconds, unit: "s")
        table.add(e, "run", "filter stayed in its domain for the whole run (1 = yes; a run that leaves it throws)", 1)
        for population in m.populationNames { table.add(e, "run", "\(population) rate", m.rate(population), unit: "Hz") }
        let post = m.rate(Self.learningPopulation)
        table.add(e, "model", "median over L5E of model rate g0 exp(...) / measured rate", Self.medianModelRateRatio(m))
        table.add(e, "model", "mean bias posterior mean / prior mean",
                  m.bias.reduce(0) { $0 + $1.mu } / Double(max(1, m.bias.count)) / m.filter.priorMean)
        table.add(e, "model", "paper's form nu0 at the L5E rate (self term included)", Self.paperFormNu0(postRate: post, filter: m.filter), unit: "Hz")
        table.add(e, "model", "paper's form nu0 at the L5E rate, without the self term (PaperCircuit.predictedFit)",
                  PaperCircuit.predictedFit(gbar: post, beta: m.filter.beta, tauEpsilon: m.filter.tauEpsilon * 1000,
                                            priorVariance: m.filter.priorVariance, tau: m.filter.tau * 1000).nu0, unit: "Hz")
        for (b, bin) in Self.responseBins.enumerated() {
            let label = String(format: "[%g, %g) ms", bin.0, bin.1)
            table.add(e, "response", "L5E rate after a plastic release / its mean rate, lag \(label)", m.responseGain[b])
            table.add(e, "response", "the filter's model of it, lag \(label)", Self.modelGain(from: bin.0, to: bin.1, filter: m.filter))
        }
        var panels: [PlotPanel] = []
        for (k, projection) in Self.plasticProjections.enumerated() {
            let c = Self.compare(m.synapses[projection] ?? [], measurement: m)
            let p = projection
            table.add(e, p, "synapses with >= 5 releases", Double(c.synapses))
            if let lo = c.rates.min(), let hi = c.rates.max() {
                table.add(e, p, "presynaptic rate, lowest", lo, unit: "Hz")
                table.add(e, p, "presynaptic rate, highest", hi, unit: "Hz")
                let sorted = c.rates.sorted()
                table.add(e, p, "presynaptic rate, median", sorted[sorted.count / 2], unit: "Hz")
            }
            let rows: [(quantity: String, value: Double)] = [
                ("mean posterior mean / prior mean", c.meanMuOverPrior),
                ("mean posterior variance / prior variance", c.meanSigma2OverPrior),
                ("smallest released posterior variance / prior variance", c.minimumSigma2OverPrior),
                ("measured log-log slope of s2/m against rate", c.measured.slope),
                ("measured slope, 95% interval low (two-way cluster-robust: pre, post)", c.measured.low),
                ("measured slope, 95% interval high (two-way cluster-robust: pre, post)", c.measured.high),
                ("measured slope, 95% interval low (OLS, independent synapses)", c.measuredOLS.low),
                ("measured slope, 95% interval high (OLS, independent synapses)", c.measuredOLS.high),
                ("predicted log-log slope of s2/m (mean field over the measured window, same synapses)", c.predictedSlope),
                ("predicted log-log slope of s2/m (stationary mean field)", c.stationarySlope),
                ("measured log-log slope of m against rate", c.meanSlope.slope),
                ("measured m slope, 95% interval low (two-way cluster-robust)", c.meanSlope.low),
                ("measured m slope, 95% interval high (two-way cluster-robust)", c.meanSlope.high),
                ("measured log-log slope of s2 against rate", c.varianceSlope.slope),
                ("measured s2 slope, 95% interval low (two-way cluster-robust)", c.varianceSlope.low),
                ("measured s2 slope, 95% interval high (two-way cluster-robust)", c.varianceSlope.high),
                ("predicted log-log slope of s2 (mean field)", c.predictedVarianceSlope),
                ("median over synapses of measured s2 / predicted s2", c.medianVarianceRatio),
            ]
            for row in rows { table.add(e, p, row.quantity, row.value) }
            let rateScale = AxisScale.fitting(c.rates, kind: .log10)
            let order = c.rates.indices.sorted { c.rates[$0] < c.rates[$1] }
            let marks: [PlotMark] = [
                .points(x: c.rates, y: c.variability, color: PlotColor.series(k).withAlpha(90), size: 2),
                .points(x: order.map { c.rates[$0] }, y: order.map { c.predictedVariance[$0] / m.filter.priorMean },
                        color: .black, size: 1),
            ]
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 420, y: 0, width: 420, height: 450), xScale: rateScale,
                yScale: AxisScale.fitting(c.variability + c.predictedVariance.map { $0 / m.filter.priorMean }, kind: .log10, padding: 0.1),
                title: "\(projection): s2/m against presynaptic rate", xLabel: "presynaptic rate (Hz)",
                yLabel: "<s2>/<m> (mV)", marks: marks,
                note: String(format: "slope %.3f [%.3f, %.3f]; mean field %.3f (black)", c.measured.slope, c.measured.low,
                             c.measured.high, c.predictedSlope)))
            // The posterior variance itself, without the means that drift.
            panels.append(PlotPanel(
                frame: PlotRect(x: Double(k) * 420, y: 450, width: 420, height: 450), xScale: rateScale,
                yScale: AxisScale.fitting(c.variance + c.predictedVariance, kind: .log10, padding: 0.1),
                title: "\(projection): s2 against presynaptic rate", xLabel: "presynaptic rate (Hz)",
                yLabel: "<s2> (mV^2)",
                marks: [.points(x: c.rates, y: c.variance, color: PlotColor.series(k).withAlpha(90), size: 2),
                        .points(x: order.map { c.rates[$0] }, y: order.map { c.predictedVariance[$0] }, color: .black, size: 1)],
                note: String(format: "slope %.3f [%.3f, %.3f]; mean field %.3f (black)", c.varianceSlope.slope,
                             c.varianceSlope.low, c.varianceSlope.high, c.predictedVarianceSlope)))
        }
        figures["circuit_prediction"] = Figure(width: 840, height: 900, panels: panels)
    }
}
