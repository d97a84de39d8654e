// The classical baselines of Figure 3 at many learning rates in one pass (docs/MODEL.md §4, §6).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleRandom

/// One classical feedback rule (docs/MODEL.md §4, classical baselines) at several learning rates `eta`,
/// simulated in one pass: what Figure 3 needs 31 separate runs for.
///
/// Why one pass gives the separate runs' results bit for bit: every random stream of a feedback run
/// depends on the seed and the input alone (`FeedbackExperiment.initialInputs`), and how many draws
/// each stream yields does not depend on eta: one uniform per spike (spike stream), one normal per
/// touch of an input (teacher stream; touches are its spikes and the metric samples), one normal per
/// spike (release stream, `fixed_ratio` only), the membrane noise keyed per bin, as `FeedbackExperiment`. So runs that differ
/// only in eta see the same spikes, targets, release noise and membrane noise, and differ only in their
/// log-weights mu (a classical rule carries no variance and no prior relaxation). The sweep keeps the
/// shared part once and mu per rate, the rates of one input side by side, and evaluates for every rate
/// the expressions of `FeedbackExperiment` in the same order; `ClassicalRateSweepTests` checks the
/// metrics against separate runs with `==`.
///
/// A rate whose log-weights leave the domain stops where its separate run would throw: its error is
/// kept in `failures`, its metrics stay those accumulated until then, and the other rates go on.
/// Traces, variability statistics and bin observers are not offered: the sweep measures MSE only.
public final class ClassicalRateSweep {
    public let parameters: FeedbackExperimentParameters
    /// eta of each rate's run, in the order given.
    public let learningRates: [Double]
    /// Rate of each input, Hz.
    public let rates: [Double]
    /// Index of the last completed bin.
    public private(set) var binIndex = 0
    /// Per learning rate: log-weight MSE after the burn-in (docs/MODEL.md §4 Metrics).
    public private(set) var metrics: [TrackingMetrics]
    /// Per learning rate: the error its separate run would have stopped with, or nil.
    public private(set) var failures: [SynapseError?]
    /// Touches of the shared inputs (spikes and metric catch-ups), as a separate run counts them.
    public private(set) var synapseUpdates = 0

    private enum Kind { case supervised, cerebellar, reinforcement }
    private let kind: Kind
    private let laneCount: Int
    /// The shared part of each input: target, spike process and streams. Its `mu` and `sigma2` fields
    /// are not used; the log-weights are in `logWeights`.
    private let inputs: UnsafeMutableBufferPointer<FeedbackSynapse>
    /// mu of input i under rate j at `logWeights[i * laneCount + j]`.
    private let logWeights: UnsafeMutableBufferPointer<Double>
    /// Per bin and rate: the summed release, delta, and the increment shared by the rate's inputs
    /// (supervised, cerebellar); per spiking input and rate, m - w (reinforcement).
    private let released: UnsafeMutableBufferPointer<Double>
    private let deltas: UnsafeMutableBufferPointer<Double>
    private let increments: UnsafeMutableBufferPointer<Double>
    private var deviations: UnsafeMutableBufferPointer<Double>
    private let live: UnsafeMutableBufferPointer<Bool>
    private var liveCount: Int
    private var queue: SpikeBinQueue
    private var releaseStream: RandomStream
    /// Bin k's membrane noise: `FeedbackExperiment.noise(bin:key:)`, the same counter key.
    private let noiseKey: CounterKey
    private let teacherBins: OrnsteinUhlenbeckBinTable
    private let releaseRatio: Double?
    private let exactSigmaDeltaBins: Int
    private let threshold: Double
    /// R(z) of the classical cerebellar rule for f = +1 and f = -1 (z = -f theta_f / sigma_0 takes two values).
    private let millsRatioUp: Double
    private let millsRatioDown: Double
    private let burnInBin: Int
    private let metricEvery: Int
    private var spiking: [Int] = []

    /// `parameters.rule` names the classical rule (its own eta is replaced by each of `learningRates`).
    public init(parameters p: FeedbackExperimentParameters, learningRates: [Double]) throws {
        guard !learningRates.isEmpty else {
            throw SynapseError.unsupportedNetwork("a learning-rate sweep needs at least one learning rate")
        }
        switch p.rule {
        case .classicalSupervised: kind = .supervised
        case .classicalCerebellar: kind = .cerebellar
        case .classicalReinforcement: kind = .reinforcement
        default:
            throw SynapseError.unsupportedNetwork("a learning-rate sweep runs a classical feedback rule, not \(p.rule.name)")
        }
        switch p.release {
        case .mean: releaseRatio = nil
        case .fixedRatio(let k): releaseRatio = k
        case .posterior, .gaussian:
            throw SynapseError.unsupportedNetwork(
                "a learning-rate sweep releases by mean or fixed_ratio, not \(p.release.name)")
        }
        if !p.tracedSynapses.isEmpty || p.measuresVariability {
            throw SynapseError.unsupportedNetwork("a learning-rate sweep measures MSE only: no traces, no variability")
        }
        parameters = p
        self.learningRates = learningRates
        for eta in learningRates { try Self.parameters(p, eta: eta).validate() }

        var shared = try FeedbackExperiment.initialInputs(p)
        rates = shared.rates
        queue = FeedbackExperiment.initialQueue(&shared.synapses)
        inputs = .allocate(capacity: p.inputCount)
        _ = inputs.initialize(from: shared.synapses)
        releaseStream = RandomStream(seed: p.seed, purpose: .release)
        noiseKey = CounterKey(seed: p.seed, purpose: .feedbackNoise)
        teacherBins = OrnsteinUhlenbeckBinTable(prior: p.teacher, bin: p.bin, jumps: p.teacherJumps)
        switch p.sigmaDelta {
        case .exact: exactSigmaDeltaBins = Int.max
        case .constant: exactSigmaDeltaBins = 0
        case .exactThenConstant: exactSigmaDeltaBins = Int((p.prior.tau / p.bin).rounded(.down))
        }
        threshold = p.cerebellarThreshold * p.noiseSD
        let up = 1.0, down = -1.0
        millsRatioUp = inverseMillsRatio(-up * threshold / p.noiseSD)
        millsRatioDown = inverseMillsRatio(-down * threshold / p.noiseSD)
        burnInBin = p.burnInBins
        metricEvery = p.metricIntervalBins

        let lanes = learningRates.count
        laneCount = lanes
        metrics = Array(repeating: TrackingMetrics(), count: lanes)
        failures = Array(repeating: nil, count: lanes)
        live = .allocate(capacity: lanes)
        live.initialize(repeating: true)
        liveCount = lanes
        logWeights = .allocate(capacity: p.inputCount * lanes)
        for i in 0..<p.inputCount {
            for j in 0..<lanes { logWeights[i * lanes + j] = inputs[i].mu }
        }
        released = .allocate(capacity: lanes)
        deltas = .allocate(capacity: lanes)
        increments = .allocate(capacity: lanes)
        deviations = .allocate(capacity: kind == .reinforcement ? 64 * lanes : 0)
    }

    deinit {
        inputs.deinitialize().deallocate()
        live.deallocate()
        logWeights.deallocate()
        released.deallocate()
        deltas.deallocate()
        increments.deallocate()
        deviations.deallocate()
    }

    /// The parameters of the separate run this sweep stands for at learning rate `eta`.
    public static func parameters(_ p: FeedbackExperimentParameters, eta: Double) throws -> FeedbackExperimentParameters {
        var q = p
        switch p.rule {
        case .classicalSupervised: q.rule = .classicalSupervised(eta: eta)
        case .classicalCerebellar: q.rule = .classicalCerebellar(eta: eta)
        case .classicalReinforcement: q.rule = .classicalReinforcement(eta: eta)
        default:
            throw SynapseError.unsupportedNetwork("a learning-rate sweep runs a classical feedback rule, not \(p.rule.name)")
        }
        return q
    }

    /// Time at the end of the last completed bin, ms.
    public var time: Double { Double(binIndex) * parameters.bin }

    /// Runs whole bins until `time >= until` (ms), or until every rate has stopped.
    public func run(until end: Double) {
        let bins = Int((end / parameters.bin).rounded(.up)) - binIndex
        if bins > 0 { run(bins: bins) }
    }

    /// Runs `bins` more bins, or fewer if every rate has stopped.
    public func run(bins: Int) {
        for _ in 0..<bins where liveCount > 0 { step() }
    }

    /// Lane `j` stops with the error its separate run would throw.
    private func stop(_ j: Int, synapse i: Int, bin k: Int, mu: Double) {
        guard live[j] else { return }
        live[j] = false
        liveCount -= 1
        failures[j] = .posteriorLeftDomain(synapse: i, time: Double(k) * parameters.bin, mu: mu, sigma2: 0)
        // Its log-weights no longer count; finite values keep the row checks of the live lanes fast.
        for row in stride(from: j, to: logWeights.count, by: laneCount) { logWeights[row] = 0 }
    }

    /// One bin in docs/MODEL.md §4's order, as `FeedbackExperiment.process` does it for a classical rule.
    private func step() {
        let k = binIndex + 1
        let lanes = laneCount
        let p = parameters
        spiking.removeAll(keepingCapacity: true)
        queue.drain(bin: k, into: &spiking)
        for i in spiking {
            if let b = FeedbackExperiment.nextSpikeBin(of: &inputs[i], after: k) { queue.push(bin: b, input: i) }
        }
        if kind == .reinforcement && deviations.count < spiking.count * lanes {
            deviations.deallocate()
            deviations = .allocate(capacity: 2 * spiking.count * lanes)
        }

        // Teacher to bin k; releases. A classical rule's variance is 0, so m = exp(mu + 0.5 * 0) and
        // s2 = m^2 expm1(0); s2 is formed only where the separate run forms it, for its finiteness check.
        // The lanes of a row are summed first and checked once (m + s2 + w is finite exactly when all
        // three are); a row with a non-finite value is scanned again to stop the lanes it belongs to.
        let exact = k <= exactSigmaDeltaBins
        let zeroVarianceFactor = expm1(0.0)
        let link = p.link
        let mu = logWeights
        let reinforcement = kind == .reinforcement
        for j in 0..<lanes { released[j] = 0 }
        var vTarget = 0.0
        for (n, i) in spiking.enumerated() {
            inputs[i].advanceTeacher(bins: k - inputs[i].lastBin, mean: p.teacher.mean, table: teacherBins)
            vTarget += link.weight(inputs[i].target)
            let row = i * lanes
            let ratio = releaseRatio ?? 0
            let xi = releaseRatio == nil ? 0 : releaseStream.normalZiggurat()
            var check = 0.0
            for j in 0..<lanes {
                let m = link.meanWeight(mu: mu[row + j], sigma2: 0)
                let variance = exact ? m * m * zeroVarianceFactor : 0
                let amplitude = releaseRatio == nil ? m : m + (ratio * abs(m)).squareRoot() * xi
                check += m + variance + amplitude
                released[j] += amplitude
                if reinforcement { deviations[n * lanes + j] = m - amplitude }
            }
            if !check.isFinite {
                for j in 0..<lanes {
                    let m = link.meanWeight(mu: mu[row + j], sigma2: 0)
                    let variance = exact ? m * m * zeroVarianceFactor : 0
                    let amplitude = releaseRatio == nil ? m : m + (ratio * abs(m)).squareRoot() * xi
                    if !(m.isFinite && variance.isFinite && amplitude.isFinite) {
                        stop(j, synapse: i, bin: k, mu: mu[row + j])
                    }
                }
            }
        }
        let noise = p.noiseSD * FeedbackExperiment.noise(bin: k, key: noiseKey)
        for j in 0..<lanes { deltas[j] = vTarget - released[j] + noise }

        // Increments (LearningRule.increment, classical cases, x = 1); no relaxation. The supervised and
        // cerebellar increments are the same for every input of a lane in a bin: formed once per lane.
        let x = 1.0
        if !reinforcement {
            for j in 0..<lanes {
                let eta = learningRates[j]
                let delta = deltas[j]
                if !live[j] {
                    increments[j] = 0
                } else if kind == .supervised {
                    increments[j] = eta * x * delta
                } else {
                    let f = delta - threshold >= 0 ? 1.0 : -1.0
                    increments[j] = eta * x * f * (f > 0 ? millsRatioUp : millsRatioDown)
                }
            }
        }
        for (n, i) in spiking.enumerated() {
            let row = i * lanes
            var check = 0.0
            if reinforcement {
                for j in 0..<lanes where live[j] {
                    let eta = learningRates[j]
                    let reward = -abs(deltas[j])
                    let deviation = deviations[n * lanes + j]
                    mu[row + j] += eta * x * (reward * tanh(reward * x * deviation) - deviation)
                    check += mu[row + j]
                }
            } else {
                for j in 0..<lanes {
                    mu[row + j] += increments[j]
                    check += mu[row + j]
                }
            }
            if !check.isFinite {
                for j in 0..<lanes where !mu[row + j].isFinite { stop(j, synapse: i, bin: k, mu: mu[row + j]) }
            }
            inputs[i].lastBin = k
        }
        synapseUpdates += spiking.count
        binIndex = k
        if k > burnInBin && k % metricEvery == 0 { sampleMetrics() }
    }

    /// Every input brought to bin `binIndex` (the teacher only: no relaxation), then each live rate's
    /// errors in input order, as `FeedbackExperiment.sampleMetrics` adds them.
    private func sampleMetrics() {
        let lanes = laneCount
        let priorMean = parameters.prior.mean
        for i in inputs.indices {
            let skipped = binIndex - inputs[i].lastBin
            if skipped > 0 {
                inputs[i].advanceTeacher(bins: skipped, mean: parameters.teacher.mean, table: teacherBins)
                inputs[i].lastBin = binIndex
                synapseUpdates += 1
            }
            let target = inputs[i].target
            for j in 0..<lanes where live[j] {
                metrics[j].add(mu: logWeights[i * lanes + j], sigma2: 0, target: target, priorMean: priorMean)
            }
        }
    }
}
