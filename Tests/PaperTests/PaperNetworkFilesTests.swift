import Foundation
import VesicleModel
import VesiclePaper
import VesicleSynapses
import XCTest

/// Every `Networks/paper` file compiles, states the settings of docs/MODEL.md §5-§6, and runs (short durations).
final class PaperNetworkFilesTests: XCTestCase {
    /// docs/MODEL.md §6, tracking: 1000 inputs (100 for reinforcement), log10(nu/Hz) ~ N(0, 0.5^2), 10-ms bins,
    /// mu_pr = -0.669, sigma2_pr = 0.07448, tau = 1000 s (5000 s), sigma_0 = 2 mV,
    /// initial mu_i = mu_pr (1 + xi_i) = normal(mu_pr, |mu_pr|), sigma2_i = sigma2_pr.
    func testTrackingAndComparisonFilesHoldThePaperSettings() throws {
        let files: [(String, Int, Double, LearningRule)] = [
            ("tracking_supervised", 1000, 1_000_000, .supervised),
            ("tracking_cerebellar", 1000, 1_000_000, .cerebellar),
            ("tracking_reinforcement", 100, 5_000_000, .reinforcement),
            ("bayesian_vs_classical_supervised", 1000, 1_000_000, .classicalSupervised(eta: 0.01)),
            ("bayesian_vs_classical_cerebellar", 1000, 1_000_000, .classicalCerebellar(eta: 0.01)),
            ("bayesian_vs_classical_reinforcement", 100, 5_000_000, .classicalReinforcement(eta: 0.01)),
        ]
        for (name, inputs, tau, rule) in files {
            let p = try PaperNetworks.feedback(name)
            XCTAssertEqual(p.inputCount, inputs, name)
            XCTAssertEqual(p.rule, rule, name)
            XCTAssertEqual(p.rate, .lognormal(mu: 0, sigma: 0.5 * log(10), sign: .positive), name)
            XCTAssertEqual(p.bin, 10, name)
            XCTAssertEqual(p.noiseSD, 2, name)
            XCTAssertEqual(p.teacher.tau, tau, name)
            XCTAssertEqual(p.prior.tau, tau, name)
            XCTAssertEqual(p.prior.mean, -0.669, name)
            XCTAssertEqual(p.prior.variance, 0.07448, name)
            XCTAssertEqual(p.teacher.mean, -0.669, name)
            XCTAssertEqual(p.teacher.variance, 0.07448, name)
            XCTAssertEqual(p.initialMean, .normal(mean: -0.669, sd: 0.669, clipToSign: nil), name)
            XCTAssertEqual(p.burnIn, 2 * tau, name)
            let reinforcement = inputs == 100
            XCTAssertEqual(p.release, reinforcement ? .fixedRatio(k: 0.0877) : .mean, name)
        }
        // Figure 3 runs 500 tau per configuration.
        for (name, tau) in [("bayesian_vs_classical_supervised", 1_000_000.0),
                            ("bayesian_vs_classical_reinforcement", 5_000_000.0)] {
            let spec = try PaperNetworks.spec(name)
            XCTAssertEqual(spec.simulation.warmup + spec.simulation.duration, 500 * tau, name)
        }
    }

    /// Each feedback file runs for 20 s; the tracking files trace every synapse every 10 s.
    func testFeedbackFilesRun() throws {
        for name in ["tracking_supervised", "tracking_cerebellar", "tracking_reinforcement",
                     "bayesian_vs_classical_supervised", "bayesian_vs_classical_cerebellar",
                     "bayesian_vs_classical_reinforcement", "variability_vs_rate"] {
            var experiment = try FeedbackExperiment(spec: PaperNetworks.spec(name))
            try experiment.run(until: 20_000)
            XCTAssertEqual(experiment.binIndex, 2_000, name)
            let traced = name.hasPrefix("tracking") ? experiment.parameters.inputCount * 2 : 0
            XCTAssertEqual(experiment.traces.count, traced, name)
        }
    }

    /// synaptic_filter.vsl: d = 10 inputs at 40 Hz with a 10-ms dead time, tau_eps = 25 ms, g0 = 1 Hz,
    /// beta = ln(50) / (4 sqrt(10)) (beta_0 = 1), OU prior mean 0, variance 1, tau = 100 s, 1-ms steps.
    func testSynapticFilterFileHoldsTheFilterPaperSettingsAndRuns() throws {
        let p = try SynapticFilterParameters(spec: PaperNetworks.spec("synaptic_filter"))
        XCTAssertEqual(p.inputCount, 10)
        XCTAssertEqual(p.rule, .synapticFilter)
        XCTAssertEqual(p.inputRate, 40)
        XCTAssertEqual(p.refractoryPeriod, 10)
        XCTAssertEqual(p.tauEpsilon, 25)
        XCTAssertEqual(p.g0, 1)
        XCTAssertEqual(p.beta, log(50) / (4 * 10.0.squareRoot()), accuracy: 1e-12)
        XCTAssertEqual(p.beta0, 1, accuracy: 1e-12)
        XCTAssertEqual(p.prior.mean, 0)
        XCTAssertEqual(p.prior.variance, 1)
        XCTAssertEqual(p.prior.tau, 100_000)
        XCTAssertEqual(p.step, 1)
        var experiment = try SynapticFilterExperiment(parameters: p)
        try experiment.run(until: 2_000)
        XCTAssertEqual(experiment.stepIndex, 2_000)
    }

    /// stdp_pairing.vsl: one synapse, beta = 1 / mV, g0 = 1 Hz, tau_eps = 25 ms, 0.05-ms steps, prior mean 1,
    /// variance 1, tau 100 s (the issue's settings). In each of the three conditions (through the paper
    /// library, `PaperPairing.curve`), a post spike 10 ms after the pre spike raises the mean and one 10 ms
    /// before lowers it (x = 0 at the post spike, so only the drift -beta sigma2 x gbar dt acts); the
    /// variance falls in both. The heterosynaptic regression slope is negative for the full filter (the
    /// preconditioning correlates the weights negatively) and below 1e-3 in magnitude for the diagonal one
    /// (the unpaired synapse's trace has decayed to e^-10 by the pairing).
    func testPairingFileHoldsTheIssueSettingsAndTheCurvesHaveTheirSigns() throws {
        let p = try SynapticFilterParameters(spec: PaperNetworks.spec("stdp_pairing"))
        XCTAssertEqual(p.inputCount, 1)
        XCTAssertEqual(p.step, 0.05)
        XCTAssertEqual(p.beta, 1, accuracy: 1e-12)
        XCTAssertEqual(p.g0, 1)
        XCTAssertEqual(p.prior.mean, 1)
        XCTAssertEqual(p.prior.variance, 1)
        XCTAssertEqual(p.prior.tau, 100_000)
        for condition in PairingCondition.allCases {
            let r = try PaperPairing.curve(condition, p, offsets: [-10, 10])
            XCTAssertLessThan(r[0].deltaMu, 0, condition.rawValue)
            XCTAssertGreaterThan(r[1].deltaMu, 0, condition.rawValue)
            XCTAssertLessThan(r[0].deltaSigma2, 0, condition.rawValue)
            XCTAssertLessThan(r[1].deltaSigma2, 0, condition.rawValue)
        }
        let offsets = stride(from: -50.0, through: 50, by: 10).map { $0 }
        let full = try synapticFilterHeterosynaptic(offsets: offsets, preconditioning: 2, covariance: .full,
                                                    beta: p.beta, g0: p.g0, tauEpsilon: p.tauEpsilon, step: p.step)
        let diagonal = try synapticFilterHeterosynaptic(offsets: offsets, preconditioning: 2, covariance: .diagonal,
                                                        beta: p.beta, g0: p.g0, tauEpsilon: p.tauEpsilon, step: p.step)
        XCTAssertLessThan(PaperPairing.slope(full), 0)
        XCTAssertLessThan(abs(PaperPairing.slope(diagonal)), 1e-3)
    }

    /// A Synaptic Filter file must put the posterior on the weight (link = identity) and target an
    /// escape-noise neuron; otherwise building the experiment throws a named error, not a trap.
    func testSynapticFilterSpecRejectsALogLink() throws {
        var spec = try PaperNetworks.spec("synaptic_filter")
        let k = try XCTUnwrap(spec.synapseTypes.firstIndex { $0.name == "filter" })
        guard case .bayesian(var synapse) = spec.synapseTypes[k].kind else { return XCTFail("not bayesian") }
        synapse.link = .log
        spec.synapseTypes[k].kind = .bayesian(synapse)
        XCTAssertThrowsError(try SynapticFilterParameters(spec: spec)) { error in
            guard case SynapseError.unsupportedNetwork(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("link = identity"), message)
        }
        let feedback = try PaperNetworks.spec("tracking_supervised")
        XCTAssertThrowsError(try SynapticFilterParameters(spec: feedback))
    }
}

extension PaperNetworkFilesTests {
    /// filter_companion.vsl: d = 5, beta_0 = 1, covariance = full, dt = 0.5 ms, tau_ou = 100 s, 11 tau_ou
    /// of which the first (warmup) is discarded; it runs.
    func testFilterCompanionFileHoldsTheCompanionSettingsAndRuns() throws {
        let spec = try PaperNetworks.spec("filter_companion")
        let p = try SynapticFilterParameters(spec: spec)
        XCTAssertEqual(p.inputCount, 5)
        XCTAssertEqual(p.covariance, .full)
        XCTAssertEqual(p.rule, .synapticFilter)
        XCTAssertEqual(p.beta0, 1, accuracy: 1e-12)
        XCTAssertEqual(p.step, 0.5)
        XCTAssertEqual(p.prior.tau, 100_000)
        XCTAssertEqual(p.burnIn, 100_000)
        XCTAssertEqual(spec.simulation.warmup + spec.simulation.duration, 11 * 100_000)
        var experiment = try SynapticFilterExperiment(parameters: p)
        try experiment.run(until: 1_000)
        XCTAssertEqual(experiment.stepIndex, 2_000)
        XCTAssertEqual(experiment.fullPosterior?.dimension, 6)
    }
}
