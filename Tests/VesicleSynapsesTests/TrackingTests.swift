import VesicleModel
import VesicleSynapses
import XCTest

/// The paper's Fig. 2-3 claims in quick form (docs/MODEL.md §6): each Bayesian rule tracks a drifting
/// teacher better than its classical rule at the best of a grid of learning rates, and its posterior
/// is calibrated. Short runs: tau = 100 s, 20 inputs (10 for reinforcement), 12 tau of which 2 are
/// burn-in, metrics every second; seed 3 for every run. Across seeds 1-6 (measured while writing
/// this test) the Bayesian MSE was 0.055-0.094 against a best classical MSE above 0.13, and
/// calibration 0.92-0.97. At this size only the supervised rule resolves learning beyond the prior
/// (its MSE was 17-27% below the paired prior-mean error in all six seeds); the one-bit cerebellar and
/// the reinforcement feedback carry too little information in 10 tau of 20 inputs for that.
final class TrackingTests: XCTestCase {
    private let tau = 100_000.0
    private let etaGrid = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1]

    /// MSE and calibration of one run; a classical run whose weight diverges counts as infinite MSE.
    private func run(_ rule: LearningRule, inputs: Int) throws -> TrackingMetrics? {
        var p = try FeedbackExperimentParameters.tracking(rule: rule, inputCount: inputs, tau: tau, seed: 3)
        p.metricInterval = 1_000
        var experiment = try FeedbackExperiment(parameters: p)
        do {
            try experiment.run(until: 12 * tau)
        } catch SynapseError.posteriorLeftDomain {
            return nil
        }
        return experiment.metrics
    }

    private func check(_ rule: LearningRule, inputs: Int) throws {
        let bayesian = try XCTUnwrap(try run(rule, inputs: inputs))
        XCTAssertEqual(bayesian.pairCount, 1_000 * inputs)
        var best = Double.infinity
        for eta in etaGrid {
            let classical = try run(try XCTUnwrap(rule.classicalBaseline(eta: eta)), inputs: inputs)
            best = min(best, classical?.meanSquaredError ?? .infinity)
        }
        XCTAssertLessThan(bayesian.meanSquaredError, best, rule.name)
        if rule == .supervised {
            // Learning, not only relaxation to the prior: below the prior mean's error on the same path.
            XCTAssertLessThan(bayesian.meanSquaredError, 0.9 * bayesian.priorMeanSquaredError)
        }
        // A calibrated Gaussian posterior has 95.4% of targets within 2 sd; the paper's claim, in [0.9, 0.99].
        XCTAssertGreaterThan(bayesian.calibration, 0.9, rule.name)
        XCTAssertLessThan(bayesian.calibration, 0.99, rule.name)
    }

    func testSupervisedBeatsClassical() throws { try check(.supervised, inputs: 20) }
    func testCerebellarBeatsClassical() throws { try check(.cerebellar, inputs: 20) }
    func testReinforcementBeatsClassical() throws { try check(.reinforcement, inputs: 10) }
}
