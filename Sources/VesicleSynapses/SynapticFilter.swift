// Spike-based learning: the Synaptic Filter in diagonal form and its gradient baseline (docs/MODEL.md §5).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleRandom

/// One Synaptic Filter step of the diagonal form (docs/MODEL.md §5) for posteriors (mu_i, sigma2_i), traces
/// x_i, output y (0 or 1) in a step of length `h` ms, before the prior terms:
/// `gbar h = g_0 h exp(beta mu.x + beta^2 sum_i sigma2_i x_i^2 / 2)`,
/// `d mu_i = beta sigma2_i x_i (y - gbar h)`, `d sigma2_i = -gbar h beta^2 sigma2_i^2 x_i^2`.
/// `g0` is per ms. Returns gbar h.
@discardableResult
public func synapticFilterUpdate(mu: inout [Double], sigma2: inout [Double], x: [Double], y: Double,
                                 beta: Double, g0: Double, h: Double) -> Double {
    var drive = 0.0
    var spread = 0.0
    for i in x.indices {
        drive += mu[i] * x[i]
        spread += sigma2[i] * x[i] * x[i]
    }
    let expected = g0 * h * exp(beta * drive + 0.5 * beta * beta * spread)
    for i in x.indices where x[i] != 0 {
        let s = sigma2[i] * x[i]
        mu[i] += beta * s * (y - expected)
        sigma2[i] -= expected * beta * beta * s * s
    }
    return expected
}

/// The gradient baseline (docs/MODEL.md §5): `d mu_i = eta beta x_i (y - g_0 h exp(beta mu.x))`.
public func synapticGradientUpdate(mu: inout [Double], x: [Double], y: Double, eta: Double, beta: Double,
                                   g0: Double, h: Double) {
    var drive = 0.0
    for i in x.indices { drive += mu[i] * x[i] }
    let error = y - g0 * h * exp(beta * drive)
    for i in x.indices where x[i] != 0 { mu[i] += eta * beta * x[i] * error }
}

/// Time-stepped simulation of an escape-noise neuron whose drifting weights a learner infers from
/// its output spikes (docs/MODEL.md §5).
///
/// Per step `[t, t + h)`: the traces at `t` (exact: each decays by e^(-h/tau_eps) per step and every
/// input spike at time s <= t adds e^(-(t - s)/tau_eps), with s at its real time, not the grid);
/// the teacher neuron spikes with probability `1 - exp(-g(u*) h)`, `u* = sum w*_i x_i`; the rule's
/// update; the teacher weights take the exact OU transition over h; the posterior (filter only)
/// relaxes toward the prior exactly over h. The gradient rule has no prior term.
///
/// The per-step variance decrement of docs/MODEL.md §5 is a first-order (Euler) step: when
/// `gbar h beta^2 sigma2 x^2 >= 1` (a strongly driven neuron, e.g. teacher rates of ~100 Hz at 1-ms
/// steps) it would make sigma2 negative. The run then stops with `posteriorLeftDomain`, as
/// docs/MODEL.md §4 requires; a smaller step is the remedy, not a clamp.
public struct SynapticFilterExperiment {
    // Internal setters: `SynapticFilterExperiment+Checkpoint.swift` restores the state.
    public let parameters: SynapticFilterParameters
    public internal(set) var stepIndex = 0
    public internal(set) var outputSpikes = 0
    public internal(set) var metrics = TrackingMetrics()
    /// z^2 = (mu - w)^T Sigma^-1 (mu - w) / d over the d inputs, at the metric times (filter only).
    public internal(set) var calibration = FilterCalibration()
    /// The particle filter's MSE on the same samples, when `particleReference` is set.
    public internal(set) var particleMetrics = TrackingMetrics()
    /// The full posterior, when `covariance = full`.
    public internal(set) var fullPosterior: FullCovariancePosterior?
    /// The particle-filter reference, when `particleReference` is set.
    public internal(set) var particleFilter: SynapticParticleFilter?
    /// The sampling filter's estimates, when `samplingTimeConstant` is set.
    public internal(set) var sampling: SamplingFilterEstimates?
    var sampleStream: RandomStream

    /// Posterior means and variances; index `inputCount` is the bias input.
    public internal(set) var mu: [Double]
    public internal(set) var sigma2: [Double]
    /// Teacher weights w*.
    public internal(set) var target: [Double]
    /// Traces at the start of the next step.
    public internal(set) var trace: [Double]
    var nextSpike: [Double]
    var inputStreams: [RandomStream]
    var teacherStream: RandomStream
    var outputStream: RandomStream
    private let hazard: Double
    private let traceDecay: Double
    private let priorDecay: Double
    private let burnInStep: Int
    private let metricEvery: Int

    public init(parameters p: SynapticFilterParameters) throws {
        try p.validate()
        parameters = p
        let n = p.inputCount + 1
        hazard = p.inputRate / 1000 / (1 - p.inputRate / 1000 * p.refractoryPeriod)
        traceDecay = exp(-p.step / p.tauEpsilon)
        priorDecay = p.prior.decay(over: p.step)
        burnInStep = Int(((p.burnIn ?? 2 * p.prior.tau) / p.step).rounded(.up))
        metricEvery = max(1, Int((p.metricInterval / p.step).rounded()))
        mu = Array(repeating: p.prior.mean, count: n)
        let isFilter = p.rule == .synapticFilter
        sigma2 = Array(repeating: isFilter ? (p.initialVariance ?? p.prior.variance) : 0, count: n)
        teacherStream = RandomStream(seed: p.seed, purpose: .teacher)
        target = []
        for _ in 0..<n { target.append(p.prior.stationarySample(rng: &teacherStream)) }
        trace = Array(repeating: 0, count: n)
        trace[p.inputCount] = 1
        inputStreams = (0..<p.inputCount).map { RandomStream(seed: p.seed, purpose: .poissonSource, index: UInt64($0)) }
        nextSpike = []
        for i in 0..<p.inputCount { nextSpike.append(inputStreams[i].exponential() / hazard) }
        outputStream = RandomStream(seed: p.seed, purpose: .escapeNoise)
        if isFilter && p.covariance == .full {
            fullPosterior = try FullCovariancePosterior(mean: mu, variances: sigma2)
        }
        if let count = p.particleReference {
            particleFilter = try SynapticParticleFilter(
                mean: mu, variances: Array(repeating: p.initialVariance ?? p.prior.variance, count: n),
                particleCount: count, seed: p.seed)
        }
        sampleStream = RandomStream(seed: p.seed, purpose: .release)
        if let tauS = p.samplingTimeConstant, isFilter {
            var samples: [Double] = []
            for i in 0..<n { samples.append(mu[i] + sigma2[i].squareRoot() * sampleStream.normal()) }
            sampling = SamplingFilterEstimates(samples: samples, sigma2: sigma2, x: trace, step: p.step, tauS: tauS)
        }
        priorMeans = Array(repeating: p.prior.mean, count: n)
        priorVariances = Array(repeating: p.prior.variance, count: n)
        decays = Array(repeating: priorDecay, count: n)
    }

    private let priorMeans: [Double]
    private let priorVariances: [Double]
    private let decays: [Double]

    public var time: Double { Double(stepIndex) * parameters.step }

    public mutating func run(until end: Double) throws {
        while time < end { try step() }
    }

    private mutating func step() throws {
        let p = parameters
        let t = time
        let beta = p.beta
        let g0 = p.g0 / 1000
        var drive = 0.0
        for i in target.indices { drive += target[i] * trace[i] }
        let y: Double = outputStream.uniform() < -expm1(-g0 * p.step * exp(beta * drive)) ? 1 : 0
        if y == 1 { outputSpikes += 1 }

        switch p.rule {
        case .synapticFilter where fullPosterior != nil:
            fullPosterior!.update(x: trace, y: y, beta: beta, g0: g0, h: p.step)
            fullPosterior!.relax(priorMeans: priorMeans, priorVariances: priorVariances, decays: decays)
            mu = fullPosterior!.mean
            sigma2 = fullPosterior!.variances
            for i in mu.indices where !(mu[i].isFinite && sigma2[i].isFinite && sigma2[i] > 0) {
                throw SynapseError.posteriorLeftDomain(synapse: i, time: t + p.step, mu: mu[i], sigma2: sigma2[i])
            }
        case .synapticFilter where sampling != nil:
            samplingFilterUpdate(mu: &mu, sigma2: &sigma2, estimates: &sampling!, x: trace, y: y, beta: beta, g0: g0,
                                 h: p.step)
            for i in mu.indices {
                p.prior.relax(mu: &mu[i], sigma2: &sigma2[i], decay: priorDecay)
                if !(mu[i].isFinite && sigma2[i].isFinite && sigma2[i] > 0) {
                    throw SynapseError.posteriorLeftDomain(synapse: i, time: t + p.step, mu: mu[i], sigma2: sigma2[i])
                }
            }
        case .synapticFilter:
            synapticFilterUpdate(mu: &mu, sigma2: &sigma2, x: trace, y: y, beta: beta, g0: g0, h: p.step)
            for i in mu.indices {
                p.prior.relax(mu: &mu[i], sigma2: &sigma2[i], decay: priorDecay)
                if !(mu[i].isFinite && sigma2[i].isFinite && sigma2[i] > 0) {
                    throw SynapseError.posteriorLeftDomain(synapse: i, time: t + p.step, mu: mu[i], sigma2: sigma2[i])
                }
            }
        case .gradient(let eta):
            synapticGradientUpdate(mu: &mu, x: trace, y: y, eta: eta, beta: beta, g0: g0, h: p.step)
            for i in mu.indices where !mu[i].isFinite {
                throw SynapseError.posteriorLeftDomain(synapse: i, time: t + p.step, mu: mu[i], sigma2: 0)
            }
        default:
            break
        }
        particleFilter?.step(x: trace, y: y, beta: beta, g0: g0, h: p.step, priorMeans: priorMeans,
                             priorVariances: priorVariances, decays: decays)
        for i in target.indices {
            target[i] = p.prior.transition(target[i], decay: priorDecay, rng: &teacherStream)
        }

        // Traces at the start of the next step, t + h.
        let end = t + p.step
        for i in 0..<p.inputCount {
            trace[i] *= traceDecay
            var spiked = false
            while nextSpike[i] <= end {
                trace[i] += exp(-(end - nextSpike[i]) / p.tauEpsilon)
                nextSpike[i] += p.refractoryPeriod + inputStreams[i].exponential() / hazard
                spiked = true
            }
            // The sampling filter: a spike releases a fresh PSP sample from the posterior of this moment.
            if spiked && sampling != nil {
                sampling!.samples[i] = mu[i] + sigma2[i].squareRoot() * sampleStream.normal()
            }
        }
        if sampling != nil {
            let b = p.inputCount
            sampling!.samples[b] = mu[b] + sigma2[b].squareRoot() * sampleStream.normal()
        }
        stepIndex += 1
        if stepIndex > burnInStep && stepIndex % metricEvery == 0 {
            for i in 0..<p.inputCount { metrics.add(mu: mu[i], sigma2: sigma2[i], target: target[i], priorMean: p.prior.mean) }
            if p.rule == .synapticFilter {
                if let full = fullPosterior {
                    calibration.add(full.normalizedSquaredError(target: target, count: p.inputCount))
                } else {
                    var z2 = 0.0
                    for i in 0..<p.inputCount { z2 += (mu[i] - target[i]) * (mu[i] - target[i]) / sigma2[i] }
                    calibration.add(z2 / Double(p.inputCount))
                }
            }
            if let pf = particleFilter {
                let m = pf.mean
                let v = pf.variances
                for i in 0..<p.inputCount {
                    particleMetrics.add(mu: m[i], sigma2: v[i], target: target[i], priorMean: p.prior.mean)
                }
            }
        }
    }
}
