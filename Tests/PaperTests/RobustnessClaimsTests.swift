import Foundation
import VesiclePaper
import VesicleSynapses
import XCTest

/// Robustness to a wrong model, through the paper library (PaperRobustness.assuming,
/// PaperComparison.bayesianMetrics): tracking_supervised.vsl with 200 of its 1000 inputs (for time),
/// 12 tau of which 2 are burn-in, seed 2; the world fixed (paired: every factor sees the same inputs,
/// teacher path and noise), the assumed prior variance and the assumed sigma_0 at 5 factors
/// {0.5, 0.71, 1, 1.41, 2}: the lowest MSE lies at a factor in [0.7, 1.42] (next to 1), and the MSE at
/// the ends (0.5 and 2) exceeds the MSE at 1.
final class RobustnessClaimsTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("paper-sized runs: use a release build")
        #endif
    }

    func testMSEIsLowestNearTheTrueModel() throws {
        var p = try PaperNetworks.feedback("tracking_supervised", seed: 2)
        p.inputCount = 200
        p.tracedSynapses = []
        let factors = [0.5, 0.5.squareRoot(), 1, 2.0.squareRoot(), 2]
        for mismatch in [PaperRobustness.Mismatch.priorVariance, .noiseSD] {
            let mse = try factors.map {
                try PaperComparison.bayesianMetrics(PaperRobustness.assuming(p, mismatch, factor: $0),
                                                    duration: 12 * p.teacher.tau).meanSquaredError
            }
            let message = "\(mismatch.rawValue): \(mse)"
            let best = factors[mse.indices.min { mse[$0] < mse[$1] }!]
            XCTAssertGreaterThanOrEqual(best, 0.7, message)
            XCTAssertLessThanOrEqual(best, 1.42, message)
            XCTAssertGreaterThan(mse[0], mse[2], message)
            XCTAssertGreaterThan(mse[4], mse[2], message)
            print(message)
        }
    }
}
