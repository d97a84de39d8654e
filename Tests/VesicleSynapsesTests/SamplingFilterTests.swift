import Foundation
import VesicleRandom
import VesicleSynapses
import XCTest

/// The sampling Synaptic Filter (SynapticFilter+Sampling.swift, docs/MODEL.md §5) against independent
/// computations: its estimates are unbiased for Sigma x and x^T Sigma x (closed forms with a Monte Carlo
/// bound), one step equals the formulas written out here, and with beta = 0 the posterior is the prior's.
final class SamplingFilterTests: XCTestCase {
    /// Frozen traces x and a frozen posterior (beta = 0: no evidence, so mu and sigma2 never move), fresh
    /// samples w~ ~ N(mu, sigma2) every step from the test's own stream (seed 20261202). The time average
    /// of c_i over N = 400 000 steps must equal sigma2_i x_i and that of v must equal sum sigma2 x^2 within
    /// 5 standard errors plus the filter's start-up term. The products are independent across steps with
    /// Var[(w~_i - mu_i) u'] = sigma2_i q + (sigma2_i x_i)^2 and Var[u'^2] = 2 q^2 (q = x^T Sigma x); the
    /// low-pass filter has unit gain, so the mean of its output over N steps is the mean of its inputs up
    /// to |c(0) - c_inf| tau_s / (N h).
    func testEstimatesAreUnbiasedForSigmaXAndXSigmaX() {
        let mu = [0.3, -0.2, 1.1, 0.0]
        let sigma2 = [0.5, 1.3, 0.2, 0.8]
        let x = [1.4, 0.3, 2.0, 1.0]
        let h = 0.5, tauS = 100.0
        var m = mu, s = sigma2
        // Start the estimates far from their expectations, to exercise the start-up bound.
        var e = SamplingFilterEstimates(samples: mu, sigma2: Array(repeating: 0, count: 4), x: x, step: h, tauS: tauS)
        var rng = RandomStream(seed: 20_261_202, purpose: .release)
        let n = 400_000
        var sumC = [Double](repeating: 0, count: 4)
        var sumV = 0.0
        for _ in 0..<n {
            for i in 0..<4 { e.samples[i] = mu[i] + sigma2[i].squareRoot() * rng.normal() }
            samplingFilterUpdate(mu: &m, sigma2: &s, estimates: &e, x: x, y: 0, beta: 0, g0: 0.001, h: h)
            for i in 0..<4 { sumC[i] += e.correlation[i] }
            sumV += e.spread
        }
        XCTAssertEqual(m, mu)
        // beta = 0: the Kalman-form variance step s^2 / (s + 0) is s to rounding.
        for i in 0..<4 { XCTAssertEqual(s[i], sigma2[i], accuracy: 1e-12 * sigma2[i]) }
        let q = zip(sigma2, x).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
        let startUp = tauS / (Double(n) * h)
        for i in 0..<4 {
            let expected = sigma2[i] * x[i]
            let sd = (sigma2[i] * q + expected * expected).squareRoot()
            // The low-pass output is correlated over tau_s / h steps, but it is a filter of independent
            // inputs: the standard error of its long-run mean is that of the inputs' mean.
            let bound = 5 * sd / Double(n).squareRoot() + abs(expected) * startUp
            XCTAssertEqual(sumC[i] / Double(n), expected, accuracy: bound, "c_\(i)")
        }
        XCTAssertEqual(sumV / Double(n), q, accuracy: 5 * (2 * q * q).squareRoot() / Double(n).squareRoot() + q * startUp)
    }

    /// One step on given numbers against the formulas of the file comment, written out: u' from the
    /// samples, c and v low-passed with r = e^(-h/tau_s), gbar h from v, then the mean and variance steps.
    func testOneStepEqualsTheFormulas() {
        let mu0 = [0.4, -0.7, 0.1]
        let sigma20 = [0.9, 0.4, 1.2]
        let x = [0.8, 1.7, 1.0]
        let samples = [1.1, -0.2, -0.5]
        let beta = 0.6, g0 = 0.002, h = 0.5, tauS = 100.0
        var e = SamplingFilterEstimates(samples: samples, sigma2: sigma20, x: x, step: h, tauS: tauS)
        e.correlation = [0.05, -0.3, 0.2]
        e.spread = 1.7
        var mu = mu0, sigma2 = sigma20
        let gbar = samplingFilterUpdate(mu: &mu, sigma2: &sigma2, estimates: &e, x: x, y: 1, beta: beta, g0: g0, h: h)

        let r = exp(-0.5 / 100.0)
        let u = (1.1 - 0.4) * 0.8 + (-0.2 + 0.7) * 1.7 + (-0.5 - 0.1) * 1.0
        let c = [r * 0.05 + (1 - r) * (1.1 - 0.4) * u, r * -0.3 + (1 - r) * (-0.2 + 0.7) * u,
                 r * 0.2 + (1 - r) * (-0.5 - 0.1) * u]
        let v = r * 1.7 + (1 - r) * u * u
        let expected = 0.002 * 0.5 * exp(0.6 * (0.4 * 0.8 - 0.7 * 1.7 + 0.1 * 1.0) + 0.5 * 0.36 * v)
        XCTAssertEqual(gbar, expected, accuracy: 1e-15 * expected)
        XCTAssertEqual(e.spread, v, accuracy: 1e-14)
        for i in 0..<3 {
            XCTAssertEqual(e.correlation[i], c[i], accuracy: 1e-14)
            XCTAssertEqual(mu[i], mu0[i] + 0.6 * c[i] * (1 - expected), accuracy: 1e-14)
            XCTAssertEqual(sigma2[i], sigma20[i] * sigma20[i] / (sigma20[i] + expected * 0.36 * c[i] * c[i]), accuracy: 1e-14)
        }
    }

    /// In the single-neuron experiment (d = 5, beta_0 = 0: no evidence, seed 3) the sampling filter's
    /// posterior stays the prior's exactly, while its estimates move; a beta_0 = 1 run (200 s) stays in
    /// the domain and its final means differ from the prior mean (it learned).
    func testExperimentRunsAndLearns() throws {
        var p = try SynapticFilterParameters(inputCount: 5, rule: .synapticFilter)
        p.step = 0.5
        p.samplingTimeConstant = 100
        p.seed = 3
        p.beta0 = 0
        var silent = try SynapticFilterExperiment(parameters: p)
        try silent.run(until: 2_000)
        XCTAssertEqual(silent.mu, Array(repeating: 0, count: 6))
        XCTAssertEqual(silent.sigma2, Array(repeating: 1, count: 6))
        XCTAssertNotEqual(try XCTUnwrap(silent.sampling).spread, 1)

        p.beta0 = 1
        p.burnIn = 0
        var learner = try SynapticFilterExperiment(parameters: p)
        try learner.run(until: 200_000)
        XCTAssertTrue(learner.mu.contains { abs($0) > 0.05 }, "\(learner.mu)")
        XCTAssertTrue(learner.sigma2.allSatisfy { $0 > 0 && $0 < 1 }, "\(learner.sigma2)")

        var wrong = p
        wrong.covariance = .full
        XCTAssertThrowsError(try SynapticFilterExperiment(parameters: wrong))
    }
}
