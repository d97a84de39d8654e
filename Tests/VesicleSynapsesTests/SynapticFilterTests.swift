import Foundation
import VesicleModel
import VesicleSynapses
import XCTest

final class SynapticFilterTests: XCTestCase {
    /// One diagonal-filter step against docs/MODEL.md §5 evaluated by hand for two inputs and a spike.
    func testDiagonalStepMatchesTheEquations() {
        var mu = [0.3, -0.2], sigma2 = [0.5, 0.8]
        let x = [1.2, 0.4], beta = 0.7, g0 = 0.001, h = 1.0
        let gbarH = g0 * h * exp(beta * (0.3 * 1.2 - 0.2 * 0.4) + 0.5 * beta * beta * (0.5 * 1.44 + 0.8 * 0.16))
        let returned = synapticFilterUpdate(mu: &mu, sigma2: &sigma2, x: x, y: 1, beta: beta, g0: g0, h: h)
        XCTAssertEqual(returned, gbarH, accuracy: 1e-15)
        XCTAssertEqual(mu[0], 0.3 + beta * 0.5 * 1.2 * (1 - gbarH), accuracy: 1e-15)
        XCTAssertEqual(mu[1], -0.2 + beta * 0.8 * 0.4 * (1 - gbarH), accuracy: 1e-15)
        XCTAssertEqual(sigma2[0], 0.5 - gbarH * beta * beta * 0.25 * 1.44, accuracy: 1e-15)
        XCTAssertEqual(sigma2[1], 0.8 - gbarH * beta * beta * 0.64 * 0.16, accuracy: 1e-15)
    }

    /// The filter learns drifting weights from output spikes alone: its MSE is below that of the prior
    /// mean on the same teacher path (paired, so the path's own variability cancels). d = 4 inputs at
    /// 40 Hz with 10 ms dead time, beta_0 = 1, 1-ms steps, tau = 50 s, 6 tau of which 2 are burn-in,
    /// seed 4. Seeds 1-6 gave ratios 0.38-0.64 (measured while writing this test); the bound is 0.8.
    /// Also beta = beta_0 ln 50 / (4 sqrt d).
    /// (Against the gradient rule at its best learning rate the diagonal filter did not win reliably
    /// at this size, 2 wins in 4 seeds at d = 4, tau = 50 s, so that is not asserted.)
    func testFilterLearnsBeyondThePrior() throws {
        var p = try SynapticFilterParameters(inputCount: 4, rule: .synapticFilter, tau: 50_000)
        p.seed = 4
        XCTAssertEqual(p.beta, log(50.0) / 8, accuracy: 1e-15)
        var experiment = try SynapticFilterExperiment(parameters: p)
        try experiment.run(until: 300_000)
        XCTAssertEqual(experiment.metrics.pairCount, 4 * 2_000)
        XCTAssertLessThan(experiment.metrics.meanSquaredError, 0.8 * experiment.metrics.priorMeanSquaredError)
        XCTAssertGreaterThan(experiment.outputSpikes, 0)
    }

    /// The gradient baseline on the same path: a learning rate in the useful range also beats the
    /// prior mean, and an excessive one does not (the comparison the filter paper makes; seed 4).
    func testGradientBaselineOnTheSamePath() throws {
        func metrics(eta: Double) throws -> TrackingMetrics {
            var p = try SynapticFilterParameters(inputCount: 4, rule: .gradient(eta: eta), tau: 50_000)
            p.seed = 4
            var experiment = try SynapticFilterExperiment(parameters: p)
            try experiment.run(until: 300_000)
            return experiment.metrics
        }
        let tuned = try metrics(eta: 0.3)
        XCTAssertLessThan(tuned.meanSquaredError, tuned.priorMeanSquaredError)
        let excessive = try metrics(eta: 5)
        XCTAssertGreaterThan(excessive.meanSquaredError, tuned.meanSquaredError)
    }

    /// The pairing protocol (docs/MODEL.md §5): pre before post potentiates, more for shorter delays
    /// (the trace has decayed less); post before pre only sees the negative drift -beta sigma2 x gbar h
    /// after the pre spike, the same at every negative offset; sigma2 always shrinks.
    /// For post before pre the change is also computed here independently: a sum over the steps after
    /// t_pre of the filter's y = 0 update.
    func testPairingProtocol() throws {
        let beta = log(50.0) / 4, g0 = 1.0
        let results = try synapticFilterPairing(offsets: [-40, -10, 5, 10, 20, 40], mu0: 0, sigma2_0: 1,
                                                beta: beta, g0: g0, tauEpsilon: 25, step: 0.5)
        XCTAssertEqual(results[0].deltaMu, results[1].deltaMu, accuracy: 1e-15)
        XCTAssertLessThan(results[0].deltaMu, 0)
        XCTAssertGreaterThan(results[2].deltaMu, results[3].deltaMu)
        XCTAssertGreaterThan(results[3].deltaMu, results[4].deltaMu)
        XCTAssertGreaterThan(results[4].deltaMu, results[5].deltaMu)
        XCTAssertGreaterThan(results[5].deltaMu, 0)
        for r in results { XCTAssertLessThan(r.deltaSigma2, 0) }

        var mu = 0.0, s2 = 1.0
        var t = 0.0
        while t < 10 * 25 {
            let x = exp(-t / 25)
            let gbarH = g0 / 1000 * 0.5 * exp(beta * mu * x + 0.5 * beta * beta * s2 * x * x)
            mu -= beta * s2 * x * gbarH
            s2 -= gbarH * beta * beta * s2 * s2 * x * x
            t += 0.5
        }
        XCTAssertEqual(results[0].deltaMu, mu, accuracy: 1e-12)
        XCTAssertEqual(results[0].deltaSigma2, s2 - 1, accuracy: 1e-12)
    }

    func testRejectsBadParameters() throws {
        XCTAssertThrowsError(try SynapticFilterExperiment(parameters: try SynapticFilterParameters(inputCount: 0, rule: .synapticFilter)))
        XCTAssertThrowsError(try SynapticFilterExperiment(parameters: try SynapticFilterParameters(inputCount: 3, rule: .supervised)))
        var p = try SynapticFilterParameters(inputCount: 3, rule: .synapticFilter)
        p.inputRate = 200
        XCTAssertThrowsError(try SynapticFilterExperiment(parameters: p), "rate above 1 / dead time")
    }
}
