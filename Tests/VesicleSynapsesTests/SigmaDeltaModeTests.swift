import Foundation
import VesicleModel
import VesicleSynapses
import XCTest

final class SigmaDeltaModeTests: XCTestCase {
    /// docs/MODEL.md §4: the constant sigma_delta^2 is sigma_0^2 + sum_j nu_j dt (1 - nu_j dt)(s2_pr + r2_pr),
    /// computed here from the log-normal prior moments and r2_pr = k m_pr; exact_then_constant uses the
    /// exact value for bins ending at or before tau and the constant after. Five inputs at 1-50 Hz,
    /// tau = 1 s (100 bins), seed 8.
    func testConstantValueAndSwitchAtTau() throws {
        let ou = try OrnsteinUhlenbeckPrior(mean: -0.669, variance: 0.07448, tau: 1_000)
        var p = FeedbackExperimentParameters(inputCount: 5, rate: .constant(0), prior: ou, teacher: ou,
                                             rule: .supervised, release: .mean)
        p.explicitRates = [1, 5, 10, 20, 50]
        p.assumedReleaseRatio = 0.0877
        p.seed = 8
        var experiment = try FeedbackExperiment(parameters: p)
        nonisolated(unsafe) var records: [FeedbackBinRecord] = []
        experiment.binObserver = { records.append($0) }
        try experiment.run(bins: 300)

        let m = exp(-0.669 + 0.07448 / 2)
        let s2 = m * m * (exp(0.07448) - 1)
        let r2 = 0.0877 * m
        let activity = [1.0, 5, 10, 20, 50].map { $0 * 0.01 * (1 - $0 * 0.01) }.reduce(0, +)
        let constant = 4 + activity * (s2 + r2)
        for record in records where !record.spikingInputs.isEmpty {
            if record.time <= 1_000 {
                // Exact: sigma_0^2 plus each spiking synapse's own s2 + k m, so never the constant by chance.
                XCTAssertGreaterThan(record.sigmaDelta2, 4)
                XCTAssertNotEqual(record.sigmaDelta2, constant)
            } else {
                XCTAssertEqual(record.sigmaDelta2, constant, accuracy: 1e-12)
            }
        }
        XCTAssertTrue(records.contains { $0.time <= 1_000 && !$0.spikingInputs.isEmpty })
        XCTAssertTrue(records.contains { $0.time > 1_000 && !$0.spikingInputs.isEmpty })
    }
}
