// Event-driven simulation of learning from feedback (MODEL.md §4): one linear-readout neuron, N
// Poisson inputs, a drifting teacher, and a feedback rule.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleRandom

/// The single-neuron experiments of the paper (MODEL.md §6), simulated event by event.
///
/// Bin `k` covers `((k-1) dt, k dt]`. In a bin only the inputs that spiked (about 2% at the paper's
/// rates) are touched; every other synapse would see `x = 0`, for which every rule's increment is
/// zero, so its posterior only relaxes and its teacher only drifts. Both are brought forward lazily
/// when the synapse is next touched: the posterior by the closed-form relaxation over the skipped
/// bins (`e^(-n dt/tau)` is the n-fold product of one-bin factors, so it equals per-bin exact
/// relaxation up to rounding), the teacher by the exact OU transition over the skipped bins, which
/// is Gaussian with mean factor `e^(-n dt/tau)` and variance `sigma2_pr (1 - e^(-2 n dt/tau))`: the
/// same distribution as `n` one-bin transitions, not the same draws. The published code relaxes the
/// posterior with the Euler step per bin (MODEL.md §3); the exact form differs from it by O(dt/tau)^2 per bin.
///
/// Presynaptic spikes are Bernoulli(nu dt) per bin, drawn by geometric skipping: the gap to the next
/// spiking bin is `1 + floor(ln U / ln(1 - p))`, exact in distribution.
///
/// Within a bin the order is MODEL.md §4's: advance the teacher, draw spikes, draw releases, compute
/// delta, apply the rule's increments, apply the prior relaxation.
public struct FeedbackExperiment {
    public let parameters: FeedbackExperimentParameters
    /// Rate of each input, Hz.
    public let rates: [Double]
    /// Index of the last completed bin.
    public private(set) var binIndex = 0
    /// Bins the network spec asked for (warm-up + duration); nil when built from parameters.
    public let plannedBins: Int?
    public private(set) var metrics = TrackingMetrics()
    /// Per-synapse variability statistics; empty unless `parameters.measuresVariability`.
    public private(set) var variability: [SynapseVariability]
    public private(set) var traces: [SynapseTraceSample] = []
    /// Synapse touches so far (spike updates plus lazy catch-ups for metrics and traces).
    public private(set) var synapseUpdates = 0
    /// Called after every bin with what the synapses saw; nil (the default) costs nothing.
    public var binObserver: ((FeedbackBinRecord) -> Void)?

    // Per-synapse state: posterior after the relaxation of bin `lastBin`, and the target log-weight at
    // bin `lastBin`.
    private var mu: [Double]
    private var sigma2: [Double]
    private var target: [Double]
    private var lastBin: [Int]
    private var spikeProbability: [Double]
    private var logNoSpike: [Double]
    private var spikeStreams: [RandomStream]
    private var teacherStreams: [RandomStream]
    private var releaseStream: RandomStream
    private var noiseStream: RandomStream
    private var queue: SpikeBinQueue
    private let priorBins: OrnsteinUhlenbeckBinTable
    private let teacherBins: OrnsteinUhlenbeckBinTable

    private let relaxes: Bool
    private let constantSigmaDelta2: Double
    private let exactSigmaDeltaBins: Int
    private let threshold: Double
    private let burnInBin: Int
    private let metricEvery: Int
    private let traceEvery: Int

    private var spiking: [Int] = []
    private var released: [Double] = []
    private var mBefore: [Double] = []
    private var slopes: [Double] = []
    private var moments: [WeightMoments] = []

    public init(parameters p: FeedbackExperimentParameters) throws {
        try self.init(parameters: p, plannedBins: nil)
    }

    init(parameters p: FeedbackExperimentParameters, plannedBins: Int?) throws {
        try p.validate()
        parameters = p
        self.plannedBins = plannedBins
        let n = p.inputCount

        var rateStream = RandomStream(seed: p.seed, purpose: .rates)
        var rates = [Double]()
        rates.reserveCapacity(n)
        for i in 0..<n {
            let r = try p.explicitRates?[i] ?? p.rate.draw(using: &rateStream, name: "rate")
            try SynapseError.require(r >= 0 && r.isFinite, "rate", r, ">= 0 Hz")
            rates.append(r)
        }
        self.rates = rates
        spikeProbability = rates.map { min(1, $0 * p.bin / 1000) }
        logNoSpike = spikeProbability.map { log1p(-$0) }

        var initStream = RandomStream(seed: p.seed, purpose: .posteriorInit)
        mu = []
        mu.reserveCapacity(n)
        let meanDistribution = p.initialMean
            ?? .normal(mean: p.prior.mean, sd: abs(p.prior.mean), clipToSign: nil)
        for _ in 0..<n { mu.append(try meanDistribution.draw(using: &initStream, name: "initial mean")) }
        relaxes = p.rule.isBayesianFeedbackRule
        sigma2 = Array(repeating: relaxes ? (p.initialVariance ?? p.prior.variance) : 0, count: n)

        teacherStreams = (0..<n).map { RandomStream(seed: p.seed, purpose: .teacher, index: UInt64($0)) }
        target = []
        target.reserveCapacity(n)
        for i in 0..<n {
            if let d = p.teacherInitial {
                target.append(try d.draw(using: &teacherStreams[i], name: "initial target"))
            } else {
                target.append(p.teacher.stationarySample(rng: &teacherStreams[i]))
            }
        }
        lastBin = Array(repeating: 0, count: n)
        spikeStreams = (0..<n).map { RandomStream(seed: p.seed, purpose: .poissonSource, index: UInt64($0)) }
        releaseStream = RandomStream(seed: p.seed, purpose: .release)
        noiseStream = RandomStream(seed: p.seed, purpose: .feedbackNoise)

        // sigma_0^2 + sum_j nu_j dt (1 - nu_j dt) (s2_pr + r2_pr), MODEL.md §4.
        let priorMoments = p.link.moments(mu: p.prior.mean, sigma2: p.prior.variance)
        let priorR2 = assumedReleaseVariance(priorMoments, mode: p.release, assumedRatio: p.assumedReleaseRatio)
        var activity = 0.0
        for q in spikeProbability { activity += q * (1 - q) }
        constantSigmaDelta2 = p.noiseSD * p.noiseSD + activity * (priorMoments.variance + priorR2)
        switch p.sigmaDelta {
        case .exact: exactSigmaDeltaBins = Int.max
        case .constant: exactSigmaDeltaBins = 0
        case .exactThenConstant: exactSigmaDeltaBins = Int((p.prior.tau / p.bin).rounded(.down))
        }
        threshold = p.cerebellarThreshold * p.noiseSD
        burnInBin = Int(((p.burnIn ?? 2 * p.teacher.tau) / p.bin).rounded(.up))
        metricEvery = max(1, Int((p.metricInterval / p.bin).rounded()))
        traceEvery = max(1, Int((p.traceInterval / p.bin).rounded()))
        variability = p.measuresVariability ? rates.map { SynapseVariability(rate: $0) } : []

        priorBins = OrnsteinUhlenbeckBinTable(prior: p.prior, bin: p.bin)
        teacherBins = OrnsteinUhlenbeckBinTable(prior: p.teacher, bin: p.bin)
        queue = SpikeBinQueue(inputCount: n)
        for i in 0..<n { scheduleNextSpike(of: i, after: 0) }
    }

    /// Time at the end of the last completed bin, ms.
    public var time: Double { Double(binIndex) * parameters.bin }

    /// Runs whole bins until `time >= until` (ms).
    public mutating func run(until end: Double) throws {
        let bins = Int((end / parameters.bin).rounded(.up)) - binIndex
        if bins > 0 { try run(bins: bins) }
    }

    /// Runs the bins the network spec asked for (warm-up + duration).
    public mutating func runPlanned() throws {
        try run(bins: max(0, (plannedBins ?? 0) - binIndex))
    }

    /// Runs `bins` more bins.
    public mutating func run(bins: Int) throws {
        for _ in 0..<bins { try step() }
    }

    /// The current posterior (mu, sigma2) and target log-weight of synapse `i`, brought up to date.
    public mutating func state(of i: Int) -> (mu: Double, sigma2: Double, target: Double) {
        catchUp(i)
        return (mu[i], sigma2[i], target[i])
    }

    private mutating func scheduleNextSpike(of i: Int, after bin: Int) {
        let q = spikeProbability[i]
        if q <= 0 { return }
        if q >= 1 {
            queue.push(bin: bin + 1, input: i)
            return
        }
        // Failures before the next success: floor(ln U / ln(1 - p)) >= 0, so truncation is the floor.
        let failures = log(spikeStreams[i].uniformPositive()) / logNoSpike[i]
        if failures < Double(SpikeBinQueue.lastBin - bin - 1) { queue.push(bin: bin + 1 + Int(failures), input: i) }
    }

    /// Brings synapse `i` to the end of bin `binIndex` (teacher drift and posterior relaxation).
    private mutating func catchUp(_ i: Int) {
        let skipped = binIndex - lastBin[i]
        if skipped == 0 { return }
        advanceTeacher(i, bins: skipped)
        if relaxes { parameters.prior.relax(mu: &mu[i], sigma2: &sigma2[i], decay: priorBins.decay(bins: skipped)) }
        lastBin[i] = binIndex
        synapseUpdates += 1
    }

    /// The exact OU transition of target i over `n` bins (MODEL.md §4, Teacher).
    @inline(__always)
    private mutating func advanceTeacher(_ i: Int, bins n: Int) {
        let m = parameters.teacher.mean
        target[i] = m + (target[i] - m) * teacherBins.decay(bins: n)
            + teacherBins.noiseSD(bins: n) * teacherStreams[i].zigguratNormal()
    }

    private mutating func step() throws {
        let k = binIndex + 1
        let p = parameters
        let link = p.link

        spiking.removeAll(keepingCapacity: true)
        queue.drain(bin: k, into: &spiking)
        for i in spiking { scheduleNextSpike(of: i, after: k) }

        // Teacher to bin k; posterior to the end of bin k-1; releases.
        released.removeAll(keepingCapacity: true)
        moments.removeAll(keepingCapacity: true)
        slopes.removeAll(keepingCapacity: true)
        var vTarget = 0.0
        var v = 0.0
        var exactSigmaDelta2 = p.noiseSD * p.noiseSD
        let exact = k <= exactSigmaDeltaBins
        let needsVariance = exact || p.release == .gaussian
        for i in spiking {
            let skipped = k - lastBin[i]
            advanceTeacher(i, bins: skipped)
            if relaxes && skipped > 1 {
                p.prior.relax(mu: &mu[i], sigma2: &sigma2[i], decay: priorBins.decay(bins: skipped - 1))
            }
            // s2 (an expm1) only when something reads it: the exact sigma_delta^2 or a gaussian release.
            let m = link.meanWeight(mu: mu[i], sigma2: sigma2[i])
            let w = WeightMoments(mean: m, variance: needsVariance ? link.weightVariance(mean: m, sigma2: sigma2[i]) : 0)
            let amplitude = releaseAmplitude(w, mu: mu[i], sigma2: sigma2[i], mode: p.release, link: link,
                                             rng: &releaseStream)
            if !(w.mean.isFinite && w.variance.isFinite && amplitude.isFinite) {
                // A posterior whose weight moments overflow (e.g. mu + sigma2/2 > 709) has left the domain
                // as surely as a non-finite one; stop here, naming it, before it poisons delta.
                throw SynapseError.posteriorLeftDomain(synapse: i, time: Double(k) * p.bin, mu: mu[i],
                                                       sigma2: sigma2[i])
            }
            exactSigmaDelta2 += w.variance
                + assumedReleaseVariance(w, mode: p.release, assumedRatio: p.assumedReleaseRatio)
            vTarget += link.weight(target[i])
            v += amplitude
            released.append(amplitude)
            moments.append(w)
            slopes.append(link.meanSlope(w))
        }
        let delta = vTarget - v + p.noiseSD * noiseStream.zigguratNormal()
        let sigmaDelta2 = exact ? exactSigmaDelta2 : constantSigmaDelta2
        let signal = FeedbackBinSignal(rule: p.rule, delta: delta, sigmaDelta2: sigmaDelta2,
                                       sigma0: p.noiseSD, threshold: threshold)

        // Increments, then the one-bin relaxation of bin k.
        let oneBin = priorBins.decay(bins: 1)
        let measuring = !variability.isEmpty && k > burnInBin
        for (j, i) in spiking.enumerated() {
            let d = p.rule.increment(sigma2: sigma2[i], moments: moments[j], slope: slopes[j], x: 1,
                                     released: released[j], signal: signal)
            mu[i] += d.mu
            sigma2[i] += d.sigma2
            if !(mu[i].isFinite && sigma2[i].isFinite && (sigma2[i] > 0 || !relaxes)) {
                throw SynapseError.posteriorLeftDomain(synapse: i, time: Double(k) * p.bin, mu: mu[i],
                                                       sigma2: sigma2[i])
            }
            if measuring {
                let before = moments[j].mean
                let after = link.moments(mu: mu[i], sigma2: sigma2[i]).mean
                variability[i].relativeChangeSum += abs(after - before) / abs(before)
                variability[i].spikeCount += 1
            }
            if relaxes { p.prior.relax(mu: &mu[i], sigma2: &sigma2[i], decay: oneBin) }
            lastBin[i] = k
        }
        synapseUpdates += spiking.count
        binIndex = k

        if let observer = binObserver {
            observer(FeedbackBinRecord(time: Double(k) * p.bin, delta: delta, sigmaDelta2: sigmaDelta2,
                                       spikingInputs: spiking, released: released))
        }
        if k > burnInBin && k % metricEvery == 0 { sampleMetrics() }
        if !p.tracedSynapses.isEmpty && k % traceEvery == 0 { sampleTraces() }
    }

    private mutating func sampleMetrics() {
        for i in 0..<parameters.inputCount {
            catchUp(i)
            metrics.add(mu: mu[i], sigma2: sigma2[i], target: target[i], priorMean: parameters.prior.mean)
            if !variability.isEmpty {
                let w = parameters.link.moments(mu: mu[i], sigma2: sigma2[i])
                variability[i].normalizedVariabilitySum += w.variance / abs(w.mean)
                variability[i].sampleCount += 1
            }
        }
    }

    private mutating func sampleTraces() {
        for i in parameters.tracedSynapses {
            catchUp(i)
            let w = parameters.link.moments(mu: mu[i], sigma2: sigma2[i])
            traces.append(SynapseTraceSample(time: time, synapse: i, mu: mu[i], sigma2: sigma2[i],
                                             target: target[i], weightMean: w.mean,
                                             weightSD: w.variance.squareRoot()))
        }
    }
}
