// The sampling Synaptic Filter (docs/MODEL.md §5, issue 18 item 1): the diagonal filter in which the two
// posterior expectations the filter needs, Sigma x and x^T Sigma x, are not computed from the stored
// variances but estimated from the synapses' released PSP samples, low-pass filtered with tau_s = 0.1 s.
//
// The exact published equations are not in docs/MODEL.md or ../shared/MODEL.md (the filter paper gives the
// sampling variant in prose: samples drawn per presynaptic spike, correlations low-pass filtered with
// tau_s). Vesicle's choices, stated here and in the README:
// - Each input i holds the PSP amplitude it released at its last spike, w~_i ~ N(mu_i, sigma2_i), drawn
//   with the posterior of that moment; the bias input, which has no spikes, redraws every step.
// - The neuron's potential deviates from its mean by u' = sum_j (w~_j - mu_j) x_j. For independent
//   samples E[(w~_i - mu_i) u'] = sigma2_i x_i = (Sigma x)_i and E[u'^2] = x^T Sigma x: each synapse can
//   read its share of the evidence from the correlation of its own release with the potential, a local
//   quantity, instead of from sigma2_i x_i.
// - c_i and v are those products low-pass filtered over tau_s (exactly: c <- r c + (1 - r) sample, r =
//   e^(-h/tau_s)), and replace (Sigma x)_i and x^T Sigma x everywhere in the diagonal step:
//   gbar h = g0 h exp(beta mu.x + beta^2 v / 2), d mu_i = beta c_i (y - gbar h),
//   d sigma2_i = -gbar h beta^2 c_i^2, taken in the Kalman form sigma2_i <- sigma2_i^2 / (sigma2_i + gbar h
//   beta^2 c_i^2) (equal to first order; a noisy c_i can make the Euler step negative, a 200 s run at d = 5
//   did); then the exact OU relaxation of (mu, sigma2).
// - The estimates start at their expectations for the initial traces: c_i = sigma2_i x_i, v = sum sigma2 x^2.
// In expectation over the samples this is the diagonal filter with its evidence smoothed over tau_s; the
// sampling noise of c_i makes E[c_i^2] exceed (sigma2_i x_i)^2, so it forgets less and shrinks sigma2 more.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sampling filter's running estimates (see the file comment): the held samples w~_i, c_i ~ (Sigma x)_i
/// and v ~ x^T Sigma x.
public struct SamplingFilterEstimates: Sendable, Equatable {
    /// The PSP amplitude each weight released at its input's last spike (the bias: at this step).
    public var samples: [Double]
    /// c_i, the low-pass filtered (w~_i - mu_i) u'.
    public var correlation: [Double]
    /// v, the low-pass filtered u'^2.
    public var spread: Double
    /// r = e^(-h / tau_s) per step.
    public let retention: Double

    /// Estimates that start at their expectations for traces `x` and posterior (mu, sigma2), with the
    /// samples given.
    public init(samples: [Double], sigma2: [Double], x: [Double], step h: Double, tauS: Double) {
        precondition(samples.count == sigma2.count && x.count == sigma2.count, "one sample, variance and trace per weight")
        self.samples = samples
        correlation = zip(sigma2, x).map { $0 * $1 }
        spread = zip(sigma2, x).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
        retention = exp(-h / tauS)
    }
}

/// One sampling-filter step (see the file comment) for posteriors (mu_i, sigma2_i), traces x_i, output
/// y in a step of `h` ms with intensity g0 exp(beta u), `g0` per ms, before the prior terms. First the
/// estimates take this step's products, then the step uses them. Returns gbar h.
/// - Complexity: O(n).
@discardableResult
public func samplingFilterUpdate(mu: inout [Double], sigma2: inout [Double], estimates e: inout SamplingFilterEstimates,
                                 x: [Double], y: Double, beta: Double, g0: Double, h: Double) -> Double {
    let n = x.count
    var deviation = 0.0
    var drive = 0.0
    for i in 0..<n {
        deviation += (e.samples[i] - mu[i]) * x[i]
        drive += mu[i] * x[i]
    }
    let r = e.retention
    for i in 0..<n {
        e.correlation[i] = r * e.correlation[i] + (1 - r) * (e.samples[i] - mu[i]) * deviation
    }
    e.spread = r * e.spread + (1 - r) * deviation * deviation
    let expected = g0 * h * exp(beta * drive + 0.5 * beta * beta * e.spread)
    for i in 0..<n {
        let c = e.correlation[i]
        mu[i] += beta * c * (y - expected)
        sigma2[i] = sigma2[i] * sigma2[i] / (sigma2[i] + expected * beta * beta * c * c)
    }
    return expected
}
