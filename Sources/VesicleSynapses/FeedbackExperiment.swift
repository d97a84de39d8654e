// Event-driven simulation of learning from feedback (docs/MODEL.md §4): one linear-readout neuron, N
// Poisson inputs, a drifting teacher, and a feedback rule.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleRandom

/// The single-neuron experiments of the paper (docs/MODEL.md §6), simulated event by event.
///
/// Bin `k` covers `((k-1) dt, k dt]`. In a bin only the inputs that spiked (about 2% at the paper's
/// rates) are touched; every other synapse would see `x = 0`, for which every rule's increment is
/// zero, so its posterior only relaxes and its teacher only drifts. Both are brought forward lazily
/// when the synapse is next touched: the posterior by the closed-form relaxation over the skipped
/// bins (`e^(-n dt/tau)` is the n-fold product of one-bin factors, so it equals per-bin exact
/// relaxation up to rounding), the teacher by the exact OU transition over the skipped bins, which
/// is Gaussian with mean factor `e^(-n dt/tau)` and variance `sigma2_pr (1 - e^(-2 n dt/tau))`: the
/// same distribution as `n` one-bin transitions, not the same draws. The published code relaxes the
/// posterior with the Euler step per bin (docs/MODEL.md §3); the exact form differs from it by O(dt/tau)^2 per bin.
///
/// Presynaptic spikes are Bernoulli(nu dt) per bin, drawn by geometric skipping: the gap to the next
/// spiking bin is `1 + floor(ln U / ln(1 - p))`, exact in distribution.
///
/// Within a bin the order is docs/MODEL.md §4's: advance the teacher, draw spikes, draw releases, compute
/// delta, apply the rule's increments, apply the prior relaxation.
public struct FeedbackExperiment {
    public let parameters: FeedbackExperimentParameters
    /// Rate of each input, Hz.
    public let rates: [Double]
    /// Index of the last completed bin.
    public internal(set) var binIndex = 0
    /// Bins the network spec asked for (warm-up + duration); nil when built from parameters.
    public let plannedBins: Int?
    public internal(set) var metrics = TrackingMetrics()
    /// Per-synapse variability statistics; empty unless `parameters.measuresVariability`.
    public internal(set) var variability: [SynapseVariability]
    public internal(set) var traces: [SynapseTraceSample] = []
    /// Synapse touches so far (spike updates plus lazy catch-ups for metrics and traces).
    public internal(set) var synapseUpdates = 0
    /// Called after every bin with what the synapses saw; nil (the default) costs nothing.
    public var binObserver: ((FeedbackBinRecord) -> Void)?

    // Internal: `FeedbackExperiment+Checkpoint.swift` restores them.
    var synapses: [FeedbackSynapse]
    var releaseStream: RandomStream
    /// The output noise's key: bin k's noise is the first normal of (seed, feedbackNoise, 0, k mod 2^32),
    /// event k >> 32, so it depends on the bin alone, not on what was drawn before (issue 13 item 3).
    private let noiseKey: CounterKey
    var queue: SpikeBinQueue
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
    private var releases: [BinRelease] = []

    public init(parameters p: FeedbackExperimentParameters) throws {
        try self.init(parameters: p, plannedBins: nil)
    }

    init(parameters p: FeedbackExperimentParameters, plannedBins: Int?) throws {
        try p.validate()
        parameters = p
        self.plannedBins = plannedBins
        let inputs = try Self.initialInputs(p)
        rates = inputs.rates
        synapses = inputs.synapses
        relaxes = p.rule.isBayesianFeedbackRule
        releaseStream = RandomStream(seed: p.seed, purpose: .release)
        noiseKey = CounterKey(seed: p.seed, purpose: .feedbackNoise)

        // sigma_0^2 + sum_j nu_j dt (1 - nu_j dt) (s2_pr + r2_pr), docs/MODEL.md §4.
        let priorMoments = p.link.moments(mu: p.prior.mean, sigma2: p.prior.variance)
        let priorR2 = assumedReleaseVariance(priorMoments, mode: p.release, assumedRatio: p.assumedReleaseRatio)
        var activity = 0.0
        for q in synapses.lazy.map(\.spikeProbability) { activity += q * (1 - q) }
        let assumedNoise = p.assumedNoiseSD ?? p.noiseSD
        constantSigmaDelta2 = assumedNoise * assumedNoise + activity * (priorMoments.variance + priorR2)
        switch p.sigmaDelta {
        case .exact: exactSigmaDeltaBins = Int.max
        case .constant: exactSigmaDeltaBins = 0
        case .exactThenConstant: exactSigmaDeltaBins = Int((p.prior.tau / p.bin).rounded(.down))
        }
        threshold = p.cerebellarThreshold * p.noiseSD
        burnInBin = p.burnInBins
        metricEvery = p.metricIntervalBins
        traceEvery = max(1, Int((p.traceInterval / p.bin).rounded()))
        variability = p.measuresVariability ? rates.map { SynapseVariability(rate: $0) } : []

        priorBins = OrnsteinUhlenbeckBinTable(prior: p.prior, bin: p.bin)
        teacherBins = OrnsteinUhlenbeckBinTable(prior: p.teacher, bin: p.bin, jumps: p.teacherJumps)
        queue = Self.initialQueue(&synapses)
    }

    /// The inputs' rates and their synapses at bin 0: rates (stream `.rates`), initial posterior means
    /// (`.posteriorInit`, in input order), initial targets and teacher streams (`.teacher`, one per input),
    /// spike streams (`.poissonSource`, one per input). Every stream depends on the seed and the input
    /// alone, never on the rule or its learning rate, so runs that differ only in their rule see the
    /// same inputs, targets, releases and noise (what `ClassicalRateSweep` relies on).
    static func initialInputs(_ p: FeedbackExperimentParameters) throws
        -> (rates: [Double], synapses: [FeedbackSynapse]) {
        let n = p.inputCount
        var rateStream = RandomStream(seed: p.seed, purpose: .rates)
        var rates = [Double]()
        rates.reserveCapacity(n)
        for i in 0..<n {
            let r = try p.explicitRates?[i] ?? p.rate.draw(using: &rateStream, name: "rate")
            try SynapseError.require(r >= 0 && r.isFinite, "rate", r, ">= 0 Hz")
            rates.append(r)
        }
        let spikeProbability = rates.map { min(1, $0 * p.bin / 1000) }

        var initStream = RandomStream(seed: p.seed, purpose: .posteriorInit)
        let meanDistribution = p.initialMean
            ?? .normal(mean: p.prior.mean, sd: abs(p.prior.mean), clipToSign: nil)
        let initialVariance = p.rule.isBayesianFeedbackRule ? (p.initialVariance ?? p.prior.variance) : 0
        var synapses: [FeedbackSynapse] = []
        synapses.reserveCapacity(n)
        for i in 0..<n {
            let initialMean = try meanDistribution.draw(using: &initStream, name: "initial mean")
            var teacherStream = RandomStream(seed: p.seed, purpose: .teacher, index: UInt64(i))
            let initialTarget = try p.teacherInitial?.draw(using: &teacherStream, name: "initial target")
                ?? p.teacher.stationarySample(rng: &teacherStream)
            synapses.append(FeedbackSynapse(
                mu: initialMean, sigma2: initialVariance, target: initialTarget, lastBin: 0,
                spikeProbability: spikeProbability[i], logNoSpike: log1p(-spikeProbability[i]),
                teacherStream: teacherStream,
                spikeStream: RandomStream(seed: p.seed, purpose: .poissonSource, index: UInt64(i))))
        }
        return (rates, synapses)
    }

    /// The spike queue at bin 0: each input's first spiking bin, drawn in input order.
    static func initialQueue(_ synapses: inout [FeedbackSynapse]) -> SpikeBinQueue {
        var queue = SpikeBinQueue(inputCount: synapses.count)
        for i in synapses.indices {
            if let b = nextSpikeBin(of: &synapses[i], after: 0) { queue.push(bin: b, input: i) }
        }
        return queue
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
        var table: [FeedbackSynapse] = []
        swap(&table, &synapses)
        defer { swap(&table, &synapses) }
        return table.withUnsafeMutableBufferPointer { s in
            catchUp(i, in: s)
            return (s[i].mu, s[i].sigma2, s[i].target)
        }
    }

    /// The next bin after `bin` in which the input spikes: Bernoulli(p) per bin by geometric skipping.
    @inline(__always)
    static func nextSpikeBin(of synapse: inout FeedbackSynapse, after bin: Int) -> Int? {
        let q = synapse.spikeProbability
        if q <= 0 { return nil }
        if q >= 1 { return bin + 1 }
        // Failures before the next success: floor(ln U / ln(1 - p)) >= 0, so truncation is the floor.
        let failures = log(synapse.spikeStream.uniformPositive()) / synapse.logNoSpike
        return failures < Double(SpikeBinQueue.lastBin - bin - 1) ? bin + 1 + Int(failures) : nil
    }

    /// The standard normal of bin `k`'s output noise, from its own counter key.
    /// - Complexity: O(1), one Philox block (rarely more).
    @inline(__always)
    static func noise(bin k: Int, key: CounterKey) -> Double {
        var draws = key.with(index: UInt32(truncatingIfNeeded: k)).stream(event: UInt32(truncatingIfNeeded: k >> 32))
        return draws.normal()
    }

    /// The exact OU transition of the target over `n` bins (docs/MODEL.md §4, Teacher).
    @inline(__always)
    private func advanceTeacher(_ synapse: inout FeedbackSynapse, bins n: Int) {
        synapse.advanceTeacher(bins: n, mean: parameters.teacher.mean, table: teacherBins)
    }

    private mutating func step() throws {
        let k = binIndex + 1
        spiking.removeAll(keepingCapacity: true)
        queue.drain(bin: k, into: &spiking)
        // The table is moved out for the bin so the hot loops address it through one buffer pointer.
        var table: [FeedbackSynapse] = []
        swap(&table, &synapses)
        defer { swap(&table, &synapses) }
        try table.withUnsafeMutableBufferPointer { try process(bin: k, synapses: $0) }
    }

    private mutating func process(bin k: Int, synapses s: UnsafeMutableBufferPointer<FeedbackSynapse>) throws {
        let p = parameters
        let link = p.link
        for i in spiking {
            if let b = Self.nextSpikeBin(of: &s[i], after: k) { queue.push(bin: b, input: i) }
        }

        // Teacher to bin k; posterior to the end of bin k-1; releases.
        releases.removeAll(keepingCapacity: true)
        var vTarget = 0.0
        var v = 0.0
        let assumedNoise = p.assumedNoiseSD ?? p.noiseSD
        var exactSigmaDelta2 = assumedNoise * assumedNoise
        let exact = k <= exactSigmaDeltaBins
        let needsVariance = exact || p.release == .gaussian
        for i in spiking {
            let skipped = k - s[i].lastBin
            advanceTeacher(&s[i], bins: skipped)
            if relaxes && skipped > 1 {
                s[i].relax(p.prior, decay: priorBins.decay(bins: skipped - 1))
            }
            let (mu, sigma2) = (s[i].mu, s[i].sigma2)
            // s2 (an expm1) only when something reads it: the exact sigma_delta^2 or a gaussian release.
            let m = link.meanWeight(mu: mu, sigma2: sigma2)
            let w = WeightMoments(mean: m, variance: needsVariance ? link.weightVariance(mean: m, sigma2: sigma2) : 0)
            let amplitude = releaseAmplitude(w, mu: mu, sigma2: sigma2, mode: p.release, link: link,
                                             rng: &releaseStream)
            if !(w.mean.isFinite && w.variance.isFinite && amplitude.isFinite) {
                // A posterior whose weight moments overflow (e.g. mu + sigma2/2 > 709) has left the domain
                // as surely as a non-finite one; stop here, naming it, before it poisons delta.
                throw SynapseError.posteriorLeftDomain(synapse: i, time: Double(k) * p.bin, mu: mu, sigma2: sigma2)
            }
            exactSigmaDelta2 += w.variance
                + assumedReleaseVariance(w, mode: p.release, assumedRatio: p.assumedReleaseRatio)
            vTarget += link.weight(s[i].target)
            v += amplitude
            releases.append(BinRelease(input: i, moments: w, slope: link.meanSlope(w), amplitude: amplitude))
        }
        let delta = vTarget - v + p.noiseSD * Self.noise(bin: k, key: noiseKey)
        let sigmaDelta2 = exact ? exactSigmaDelta2 : constantSigmaDelta2
        let signal = FeedbackBinSignal(rule: p.rule, delta: delta, sigmaDelta2: sigmaDelta2,
                                       sigma0: p.noiseSD, threshold: threshold)

        // The posterior each release was drawn from, for release logs (before this bin's increments).
        let releasedPosterior = binObserver == nil ? [] : releases.map { (s[$0.input].mu, s[$0.input].sigma2) }

        // Increments, then the one-bin relaxation of bin k.
        let oneBin = priorBins.decay(bins: 1)
        let measuring = !variability.isEmpty && k > burnInBin
        for r in releases {
            let i = r.input
            let d = p.rule.increment(sigma2: s[i].sigma2, moments: r.moments, slope: r.slope, x: 1,
                                     released: r.amplitude, signal: signal)
            s[i].mu += d.mu
            s[i].sigma2 += d.sigma2
            let (mu, sigma2) = (s[i].mu, s[i].sigma2)
            if !(mu.isFinite && sigma2.isFinite && (sigma2 > 0 || !relaxes)) {
                throw SynapseError.posteriorLeftDomain(synapse: i, time: Double(k) * p.bin, mu: mu, sigma2: sigma2)
            }
            if measuring {
                let before = r.moments.mean
                let after = link.meanWeight(mu: mu, sigma2: sigma2)
                variability[i].relativeChangeSum += abs(after - before) / abs(before)
                variability[i].spikeCount += 1
            }
            if relaxes { s[i].relax(p.prior, decay: oneBin) }
            s[i].lastBin = k
        }
        synapseUpdates += spiking.count
        binIndex = k

        if let observer = binObserver {
            observer(FeedbackBinRecord(time: Double(k) * p.bin, delta: delta, sigmaDelta2: sigmaDelta2,
                                       spikingInputs: releases.map(\.input), released: releases.map(\.amplitude),
                                       releasedMu: releasedPosterior.map(\.0), releasedSigma2: releasedPosterior.map(\.1)))
        }
        if k > burnInBin && k % metricEvery == 0 { sampleMetrics(s) }
        if !p.tracedSynapses.isEmpty && k % traceEvery == 0 { sampleTraces(s) }
    }

    /// Brings synapse `i` of the moved-out table to the end of bin `binIndex` (teacher drift and
    /// posterior relaxation).
    private mutating func catchUp(_ i: Int, in s: UnsafeMutableBufferPointer<FeedbackSynapse>) {
        let skipped = binIndex - s[i].lastBin
        if skipped == 0 { return }
        advanceTeacher(&s[i], bins: skipped)
        if relaxes {
            s[i].relax(parameters.prior, decay: priorBins.decay(bins: skipped))
        }
        s[i].lastBin = binIndex
        synapseUpdates += 1
    }

    private mutating func sampleMetrics(_ s: UnsafeMutableBufferPointer<FeedbackSynapse>) {
        for i in 0..<parameters.inputCount {
            catchUp(i, in: s)
            metrics.add(mu: s[i].mu, sigma2: s[i].sigma2, target: s[i].target, priorMean: parameters.prior.mean)
            if !variability.isEmpty {
                let w = parameters.link.moments(mu: s[i].mu, sigma2: s[i].sigma2)
                variability[i].normalizedVariabilitySum += w.variance / abs(w.mean)
                variability[i].sampleCount += 1
            }
        }
    }

    private mutating func sampleTraces(_ s: UnsafeMutableBufferPointer<FeedbackSynapse>) {
        for i in parameters.tracedSynapses {
            catchUp(i, in: s)
            let w = parameters.link.moments(mu: s[i].mu, sigma2: s[i].sigma2)
            traces.append(SynapseTraceSample(time: time, synapse: i, mu: s[i].mu, sigma2: s[i].sigma2,
                                             target: s[i].target, weightMean: w.mean,
                                             weightSD: w.variance.squareRoot()))
        }
    }
}
