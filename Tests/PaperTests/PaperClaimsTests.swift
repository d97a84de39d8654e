import Foundation
import VesicleAnalysis
import VesicleModel
import VesiclePaper
import VesicleSynapses
import XCTest

/// The paper's claims (docs/MODEL.md §1, §6; issue 7), at the settings of `vesicle paper --quick`: the
/// `Networks/paper` files as written (1000 inputs, 100 for reinforcement; tau = 1000 s, 5000 s for
/// reinforcement) run for 12 tau of which 2 tau are burn-in, classical rules at 7 rates log-spaced over
/// [1e-4, 1e-1]. Seed 2. Checked on seeds 1, 2 and 3 (`vesicle paper --quick --seed N`): best classical
/// MSE / Bayesian MSE 1.35-1.43 (supervised), 2.16-2.30 (cerebellar), 2.54-2.98 (reinforcement);
/// calibration 0.954-0.973; s2/m upper-half slope -0.412 to -0.405; learning-rate slope 0.985-0.987.
///
/// Each configuration simulates 12 000 s (60 000 s for reinforcement) at the paper's sizes, about 45 s
/// in all in a release build (`swift test -c release --filter PaperClaimsTests`); a debug build is some
/// ten times slower, so these tests skip themselves there.
final class PaperClaimsTests: XCTestCase {
    static let seed: UInt64 = 2
    static let rates = (0..<7).map { 1e-4 * pow(1e3, Double($0) / 6) }

    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("paper-sized runs: use a release build (swift test -c release --filter PaperClaimsTests)")
        #endif
    }

    /// Bayesian MSE < the best classical MSE on the grid; calibration in [0.9, 0.99] (0.954 if calibrated).
    /// Both through the paper library (`PaperComparison`), as `vesicle paper --quick` runs them.
    private func check(_ rule: String) throws {
        let bayesianParameters = try PaperNetworks.feedback("tracking_\(rule)", seed: Self.seed)
        let bayesian = try PaperComparison.bayesianMetrics(bayesianParameters, duration: 12 * bayesianParameters.teacher.tau)
        var p = try PaperNetworks.feedback("bayesian_vs_classical_\(rule)", seed: Self.seed)
        p.rule = try PaperComparison.classicalRule(rule, eta: Self.rates[0])
        let classical = try PaperComparison.classicalMetrics(p, learningRates: Self.rates, duration: 12 * p.teacher.tau)
        XCTAssertEqual(classical.count, Self.rates.count)
        // A classical rule at too large a rate runs away (nil); it cannot be the best.
        let best = classical.compactMap { $0?.meanSquaredError }.min() ?? .infinity
        XCTAssertLessThan(bayesian.meanSquaredError, best, rule)
        XCTAssertGreaterThanOrEqual(bayesian.calibration, 0.9, rule)
        XCTAssertLessThanOrEqual(bayesian.calibration, 0.99, rule)
    }

    func testSupervisedBeatsEveryClassicalRate() throws {
        try check("supervised")
    }

    func testCerebellarBeatsEveryClassicalRate() throws {
        try check("cerebellar")
    }

    func testReinforcementBeatsEveryClassicalRate() throws {
        try check("reinforcement")
    }

    /// variability_vs_rate.vsl as written (1000 inputs, gaussian release, 10 tau of which 2 burn-in),
    /// s2/m sampled every second. The log-log slope of s2/m against rate over the upper half of the rates
    /// lies in [-0.7, -0.2] (asymptote -1/2, docs/MODEL.md §1); the slope of the per-spike relative change of
    /// m against s2/m lies in [0.8, 1.2] (the learning rate is proportional to the variability).
    func testVariabilityFallsWithRateAndSetsTheLearningRate() throws {
        let p = try PaperNetworks.feedback("variability_vs_rate", seed: Self.seed)
        let synapses = try PaperVariability.measure(p, duration: 10 * p.teacher.tau).filter { $0.spikeCount > 0 }
        XCTAssertGreaterThan(synapses.count, 990)
        let slope = PaperVariability.upperHalfSlope(synapses)
        XCTAssertGreaterThanOrEqual(slope, -0.7)
        XCTAssertLessThanOrEqual(slope, -0.2)
        let learning = ReleaseStatistics.logLogSlope(x: synapses.map(\.normalizedVariability),
                                                     y: synapses.map(\.relativeChangePerSpike))
        XCTAssertGreaterThanOrEqual(learning, 0.8)
        XCTAssertLessThanOrEqual(learning, 1.2)
    }
}
