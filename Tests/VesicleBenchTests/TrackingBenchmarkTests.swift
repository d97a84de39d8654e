import VesicleBench
import VesicleModel
import VesicleSynapses
import XCTest

final class TrackingBenchmarkTests: XCTestCase {
    /// The figures are consistent with each other and with the run (no wall-clock threshold):
    /// 50 inputs, tau = 10 s, 30 s simulated = 3 000 bins.
    func testFiguresAreConsistent() throws {
        let r = try runTrackingBenchmark(rule: .supervised, inputs: 50, tau: 10_000, duration: 30_000, seed: 2, cores: 2,
                                         sweep: false)
        XCTAssertEqual(r.rule, "supervised")
        XCTAssertEqual(r.bins, 3_000)
        XCTAssertEqual(r.simulatedSeconds, 30, accuracy: 1e-12)
        XCTAssertGreaterThan(r.wallSeconds, 0)
        let binRate = Double(r.bins) / r.wallSeconds
        XCTAssertEqual(r.synapseBinUpdatesPerSecond, 50 * binRate, accuracy: 1e-9 * r.synapseBinUpdatesPerSecond)
        // 32 configurations x 500 tau / 10 ms bins, over 2 cores.
        let figureBins = 32 * 500 * 10_000 / 10.0
        XCTAssertEqual(r.figure3Hours * 3600, figureBins / binRate / 2, accuracy: 1e-9 * r.figure3Hours * 3600)
        XCTAssertEqual(r.figure3PythonCoreHours * 3600, figureBins * 50 / 2.7e6, accuracy: 1e-6)
        XCTAssertTrue(try XCTUnwrap(r.meanSquaredError).isFinite)
        XCTAssertEqual(r.sweepLearningRates, 0)
        let short = try runTrackingBenchmark(rule: .supervised, inputs: 5, tau: 10_000, duration: 5_000)
        XCTAssertNil(short.meanSquaredError, "no metrics within the burn-in")
    }

    /// With the classical sweep, Figure 3 is the Bayesian configuration plus 31 rates in one pass, each
    /// scaled from the simulated 3 000 bins to 500 tau = 500 000 bins.
    func testFigure3FromTheSweep() throws {
        let r = try runTrackingBenchmark(rule: .cerebellar, inputs: 20, tau: 10_000, duration: 30_000, seed: 2, cores: 2)
        XCTAssertEqual(r.sweepLearningRates, 31)
        XCTAssertGreaterThan(r.sweepCPUSeconds, 0)
        let scale = 500 * 10_000 / 10.0 / 3_000
        XCTAssertEqual(r.figure3Hours * 3600, scale * (r.wallSeconds + r.sweepWallSeconds) / 2,
                       accuracy: 1e-9 * r.figure3Hours * 3600)
        XCTAssertEqual(r.figure3HoursFromCPUTime * 3600, scale * (r.cpuSeconds + r.sweepCPUSeconds) / 2,
                       accuracy: 1e-9 * r.figure3HoursFromCPUTime * 3600)
        XCTAssertEqual(r.figure3ClassicalRateCPUSeconds, scale * r.sweepCPUSeconds / 31,
                       accuracy: 1e-9 * r.figure3ClassicalRateCPUSeconds)
    }

    func testRejectsRulesWithoutFeedback() {
        XCTAssertThrowsError(try runTrackingBenchmark(rule: .synapticFilter, duration: 1_000))
        XCTAssertThrowsError(try runTrackingBenchmark(rule: .supervised, inputs: 10, tau: 1_000, duration: -1))
    }
}
