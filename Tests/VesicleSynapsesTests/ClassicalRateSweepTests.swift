import VesicleModel
import VesicleSynapses
import XCTest

/// A classical rule swept over learning rates in one pass equals, rate by rate and bit for bit, the
/// separate runs it replaces (ClassicalRateSweep: the streams do not depend on eta).
final class ClassicalRateSweepTests: XCTestCase {
    /// The paper's tracking settings, shrunk: 40 inputs, tau = 2 s (200 bins), 3000 bins, metrics
    /// every 5 bins after the 400-bin burn-in; sigma_delta^2 exact for the first tau (the separate
    /// run's finiteness check on s2 applies there). The grid spans [1e-4, 1e-1] and adds rates large
    /// enough for a run to leave the domain, so the stop of one rate amid the others is compared too.
    private func compare(_ rule: LearningRule, etas: [Double], seed: UInt64,
                         file: StaticString = #filePath, line: UInt = #line) throws -> [SynapseError?] {
        var p = try FeedbackExperimentParameters.tracking(rule: rule, inputCount: 40, tau: 2_000, seed: seed)
        p.metricInterval = 50
        let bins = 3_000
        let sweep = try ClassicalRateSweep(parameters: p, learningRates: etas)
        sweep.run(bins: bins)
        XCTAssertEqual(sweep.learningRates, etas, file: file, line: line)
        for (j, eta) in etas.enumerated() {
            var separate = try FeedbackExperiment(parameters: ClassicalRateSweep.parameters(p, eta: eta))
            var failure: SynapseError?
            do {
                try separate.run(bins: bins)
            } catch let error as SynapseError {
                failure = error
            }
            XCTAssertEqual(sweep.rates, separate.rates, file: file, line: line)
            if failure == nil {
                XCTAssertGreaterThan(separate.metrics.pairCount, 0, "eta \(eta)", file: file, line: line)
            }
            XCTAssertEqual(sweep.metrics[j], separate.metrics, "eta \(eta)", file: file, line: line)
            // Descriptions, because a non-finite mu (NaN) is never == itself.
            XCTAssertEqual(sweep.failures[j]?.description, failure?.description, "eta \(eta)", file: file, line: line)
            if failure == nil {
                XCTAssertEqual(sweep.synapseUpdates, separate.synapseUpdates, file: file, line: line)
            }
        }
        XCTAssertEqual(sweep.binIndex, bins, file: file, line: line)
        return sweep.failures
    }

    private static let grid = [1e-4, 1e-3, 1e-2, 3e-2, 1e-1]

    func testSupervisedSweepEqualsSeparateRuns() throws {
        let failures = try compare(.classicalSupervised(eta: 0.01), etas: Self.grid + [30], seed: 3)
        XCTAssertTrue(failures.allSatisfy { $0 == nil })
    }

    func testCerebellarSweepEqualsSeparateRuns() throws {
        _ = try compare(.classicalCerebellar(eta: 0.01), etas: Self.grid + [10], seed: 4)
    }

    func testReinforcementSweepEqualsSeparateRuns() throws {
        let failures = try compare(.classicalReinforcement(eta: 0.01), etas: [10] + Self.grid, seed: 5)
        XCTAssertNotNil(failures[0], "eta = 10 must leave the domain, or the stop amid live rates is not exercised")
        XCTAssertNil(failures[1])
    }

    /// A sweep runs until every rate has stopped and no further.
    func testStopsWhenEveryRateHasStopped() throws {
        let p = try FeedbackExperimentParameters.tracking(rule: .classicalReinforcement(eta: 1), inputCount: 40,
                                                          tau: 2_000, seed: 5)
        let sweep = try ClassicalRateSweep(parameters: p, learningRates: [10, 30])
        sweep.run(bins: 100_000)
        XCTAssertTrue(sweep.failures.allSatisfy { $0 != nil })
        XCTAssertLessThan(sweep.binIndex, 100_000)
    }

    func testRejectsWhatItCannotSweep() throws {
        let p = try FeedbackExperimentParameters.tracking(rule: .supervised, inputCount: 10, tau: 2_000)
        XCTAssertThrowsError(try ClassicalRateSweep(parameters: p, learningRates: [0.01]), "a Bayesian rule")
        var q = try FeedbackExperimentParameters.tracking(rule: .classicalSupervised(eta: 0.01), inputCount: 10,
                                                          tau: 2_000)
        XCTAssertThrowsError(try ClassicalRateSweep(parameters: q, learningRates: []), "no rates")
        XCTAssertThrowsError(try ClassicalRateSweep(parameters: q, learningRates: [0.01, -1]), "eta <= 0")
        q.tracedSynapses = [0]
        XCTAssertThrowsError(try ClassicalRateSweep(parameters: q, learningRates: [0.01]), "traces")
    }
}
