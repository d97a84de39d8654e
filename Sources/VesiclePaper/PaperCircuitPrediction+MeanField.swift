// The mean-field prediction of the diagonal Synaptic Filter's posterior variance for one synapse in a
// circuit (docs/MODEL.md §5; issue 18 item 5), with the two effects the paper's form leaves out, so
// the circuit's measured slope is compared with what the filter itself implies at the circuit's rates:
//
// Per step the variance falls by gbar h beta^2 sigma2^2 x^2 and relaxes to sigma2_pr at rate 2/tau, so in
// the mean  d sigma2/dt = -beta^2 sigma2^2 E[gbar x^2] + 2 (sigma2_pr - sigma2) / tau.
// gbar = G exp(h(x)), h(x) = a x + b x^2, a = beta mu, b = beta^2 sigma2 / 2: this synapse's own term
// (its trace x) times G, everything else (the bias and the other inputs). With x a Poisson shot noise
// of rate nu and kernel e^(-s/tau_eps), independent of G, Campbell's theorem gives (for b = 0, exactly)
//     E[x^2 e^(a x)] / E[e^(a x)] = nu tau_eps F(a) + (nu tau_eps E1(a))^2,
//     F(a) = int_0^1 z e^(a z) dz,  E1(a) = int_0^1 e^(a z) dz,
// and, with the model's mean rate E[gbar] matched to the neuron's rate nu_post,
//     E[gbar x^2] = nu_post (nu tau_eps F + (nu tau_eps E1)^2) =: K(nu) / beta^2.
// F is 1/2 at a = 0 (the paper's form): the self term raises it (gbar rises after the synapse's own
// spike), the square term is the overlap of successive PSPs. With b > 0 the integrals carry
// e^(a z + b z^2) (exact for the single-spike term, an approximation for the overlap term).
// The stationary variance solves K s^4 = 2 (sigma2_pr - s) / tau:
//     s = (sqrt(1 + 2 K tau sigma2_pr) - 1) / (K tau),
// which is the paper's (a/nu)(sqrt(1 + nu/nu0) - 1) when K is proportional to nu.

import Foundation

extension PaperCircuitPrediction {
    /// F = int_0^1 z e^(a z + b z^2) dz, E1 = int_0^1 e^(a z + b z^2) dz and
    /// Phi = int_0^1 (e^(a z + b z^2) - 1) / z dz (the log of the mean of e^(h(x)) per unit nu tau_eps,
    /// Campbell), by composite Simpson over 512 intervals (error below 1e-10 for |a|, |b| <= 2).
    /// - Complexity: O(1) (513 exponentials).
    public static func evidenceIntegrals(a: Double, b: Double) -> (f: Double, e1: Double, phi: Double) {
        let n = 512
        var f = 0.0, e1 = 0.0, phi = 0.0
        for k in 0...n {
            let z = Double(k) / Double(n)
            let w: Double = (k == 0 || k == n) ? 1 : (k % 2 == 1 ? 4 : 2)
            let e = exp(a * z + b * z * z)
            f += w * z * e
            e1 += w * e
            // (e^(h) - 1)/z -> a at z = 0; expm1 keeps it exact for small h.
            phi += w * (k == 0 ? a : expm1(a * z + b * z * z) / z)
        }
        let h = 1 / (3 * Double(n))
        return (f * h, e1 * h, phi * h)
    }

    /// The filter's settings the prediction needs (units: mV, 1/mV, s, Hz).
    public struct FilterSettings: Sendable {
        public var beta: Double
        public var g0: Double
        public var tauEpsilon: Double
        public var priorMean: Double
        public var priorVariance: Double
        public var tau: Double
        public init(beta: Double, g0: Double, tauEpsilon: Double, priorMean: Double, priorVariance: Double, tau: Double) {
            self.beta = beta
            self.g0 = g0
            self.tauEpsilon = tauEpsilon
            self.priorMean = priorMean
            self.priorVariance = priorVariance
            self.tau = tau
        }

        /// The self term's coefficients at the prior: a = beta mu_pr, b = beta^2 sigma2_pr / 2.
        var selfTerm: (a: Double, b: Double) { (beta * priorMean, beta * beta * priorVariance / 2) }
    }

    /// The evidence rate coefficient K(nu) = beta^2 nu_post (nu tau_eps F + (nu tau_eps E1)^2) (1/(mV^2 s)),
    /// with the self term at the prior (header comment).
    /// - Complexity: O(1).
    public static func evidenceRate(nu: Double, postRate: Double, filter s: FilterSettings) -> Double {
        let (a, b) = s.selfTerm
        let i = evidenceIntegrals(a: a, b: b)
        let x = nu * s.tauEpsilon
        return s.beta * s.beta * postRate * (x * i.f + x * x * i.e1 * i.e1)
    }

    /// The stationary posterior variance (mV^2) of a synapse with presynaptic rate nu onto a neuron
    /// firing at postRate (both Hz): (sqrt(1 + 2 K tau sigma2_pr) - 1) / (K tau).
    /// - Complexity: O(1).
    public static func predictedVariance(nu: Double, postRate: Double, filter s: FilterSettings) -> Double {
        let kt = evidenceRate(nu: nu, postRate: postRate, filter: s) * s.tau
        guard kt > 0 else { return s.priorVariance }
        return ((1 + 2 * kt * s.priorVariance).squareRoot() - 1) / kt
    }

    /// The mean-field variance averaged over [t1, t2] (s) of a run that starts at sigma2 = sigma2_pr: the
    /// Riccati equation d s/dt = -K s^2 - (2/tau) s + 2 sigma2_pr / tau has roots s+ (the stationary
    /// variance) and s- < 0, and s(t) = s- + (s+ - s-) / (1 - C e^(-D t)) with D = K (s+ - s-) and
    /// C = (sigma2_pr - s+) / (sigma2_pr - s-), whose integral is t + ln(1 - C e^(-D t)) / D.
    /// - Complexity: O(1).
    public static func predictedVariance(nu: Double, postRate: Double, filter s: FilterSettings,
                                         averagedFrom t1: Double, to t2: Double) -> Double {
        let k = evidenceRate(nu: nu, postRate: postRate, filter: s)
        guard k > 0, t2 > t1 else { return s.priorVariance }
        let r = 2 / s.tau
        let root = (r * r + 4 * k * r * s.priorVariance).squareRoot()
        let plus = (root - r) / (2 * k), minus = (-root - r) / (2 * k)
        let d = k * (plus - minus)
        let c = (s.priorVariance - plus) / (s.priorVariance - minus)
        let integral = (log1p(-c * exp(-d * t2)) - log1p(-c * exp(-d * t1))) / d
        return minus + (plus - minus) * (1 + integral / (t2 - t1))
    }

    /// The paper's form's nu0 = 1 / (2 k sigma2_pr tau) for the low-rate evidence k nu, k = beta^2 nu_post
    /// tau_eps F (no overlap term): with F = 1/2 it is `PaperCircuit.predictedFit`'s.
    /// - Complexity: O(1).
    public static func paperFormNu0(postRate: Double, filter s: FilterSettings) -> Double {
        let (a, b) = s.selfTerm
        let k = s.beta * s.beta * postRate * s.tauEpsilon * evidenceIntegrals(a: a, b: b).f
        return 1 / (2 * k * s.priorVariance * s.tau)
    }

    /// The model's mean rate for one neuron, g0 exp(beta mu_b + beta^2 sigma2_b / 2 + sum_j nu_j tau_eps
    /// Phi(beta mu_j, beta^2 sigma2_j / 2)) (Hz): Campbell's theorem for independent Poisson inputs with
    /// posteriors held at (mu_j, sigma2_j); exact for b = 0 up to the overlap of x^2 terms.
    /// - Complexity: O(inputs).
    public static func modelRate(bias: (mu: Double, sigma2: Double), inputs: [(nu: Double, mu: Double, sigma2: Double)],
                                 filter s: FilterSettings) -> Double {
        var exponent = s.beta * bias.mu + s.beta * s.beta * bias.sigma2 / 2
        for input in inputs {
            exponent += input.nu * s.tauEpsilon
                * evidenceIntegrals(a: s.beta * input.mu, b: s.beta * s.beta * input.sigma2 / 2).phi
        }
        return s.g0 * exp(exponent)
    }
}
