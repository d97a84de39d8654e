import Foundation
import VesicleAnalysis
import VesicleModel
import VesiclePaper
import XCTest

/// Bayesian release inside the cortical circuit (Networks/paper/circuit_bayesian.vsl; issue 18 item 5),
/// through the paper library as `vesicle paper` runs it, at scale 0.01 (772 neurons) for 3 s after 2 s of
/// warm-up, seed 1.
final class CircuitClaimsTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("network-sized run: use a release build (swift test -c release --filter CircuitClaimsTests)")
        #endif
    }

    static let settings = PaperSettings(quick: true, networks: PaperNetworks.directory.path)

    /// The release log of the two plastic projections:
    /// - every plastic synapse that released has a finite posterior with 0 < <s2> (the filter's
    ///   variance stays positive) and the mean posterior variance fell below the prior's (it learned:
    ///   the evidence of 5 s of L5E spikes: below 0.998 sigma2_pr; measured 0.987 and 0.993);
    /// - the log-log slope of s2/m against rate is finite. Its value is not asserted: with the file's
    ///   weak evidence (beta = 1/(10 mV)) it is -0.05 to +0.04 after 5 s (measured -0.018 and -0.048 on
    ///   2026-12-03); the mean-field prediction at this nu0 (about 27 Hz) is itself nearly flat over
    ///   these rates (see the README and the file's comment; CircuitSlopeTests tests the slope tools).
    func testReleaseLogMeasuresVariabilityAgainstRate() throws {
        let spec = try PaperCircuit.spec(settings: Self.settings, scale: 0.01, duration: 3_000, warmup: 2_000,
                                         bayesian: true, seed: 1)
        let m = try PaperCircuit.measure(spec)
        for projection in PaperCircuit.plasticProjections {
            let sums = try XCTUnwrap(m.synapses[projection], projection)
            let released = sums.filter { $0.releases > 0 }
            XCTAssertGreaterThan(released.count, 1000, projection)
            for s in released {
                XCTAssertTrue(s.mu.isFinite && s.sigma2 > 0 && s.sigma2.isFinite, "\(projection): \(s)")
            }
            let meanS2 = released.reduce(0) { $0 + $1.sigma2 / Double($1.releases) } / Double(released.count)
            XCTAssertLessThan(meanS2, 0.998 * m.priorVariance, projection)
            let v = PaperCircuit.variability(sums, duration: m.duration)
            let slope = ReleaseStatistics.logLogSlope(x: v.rates, y: v.posterior)
            XCTAssertTrue(slope.isFinite, "\(projection): slope \(slope) over \(v.rates.count) synapses")
            print("\(projection): \(released.count) synapses released, <s2>/s2_pr = \(meanS2 / m.priorVariance), slope \(slope)")
        }
        XCTAssertGreaterThan(m.rate("L5E"), 0.5)
        XCTAssertLessThan(m.rate("L5E"), 50)
    }

    /// The static circuit has no Bayesian synapses on the two projections and records no releases; its
    /// L5E rate lies within a factor 3 of the Bayesian circuit's (same connectivity and mean weights).
    func testStaticCircuitIsTheSameCircuitWithoutReleases() throws {
        let spec = try PaperCircuit.spec(settings: Self.settings, scale: 0.01, duration: 1_000, warmup: 500,
                                         bayesian: false, seed: 1)
        for name in PaperCircuit.plasticProjections {
            XCTAssertEqual(spec.projections.first { $0.name == name }?.synapseType, "static")
        }
        let s = try PaperCircuit.measure(spec)
        XCTAssertTrue(s.synapses.isEmpty)
        let b = try PaperCircuit.measure(PaperCircuit.spec(settings: Self.settings, scale: 0.01, duration: 1_000,
                                                           warmup: 500, bayesian: true, seed: 1))
        XCTAssertEqual(s.synapseCounts, b.synapseCounts)
        XCTAssertGreaterThan(s.rate("L5E"), b.rate("L5E") / 3)
        XCTAssertLessThan(s.rate("L5E"), b.rate("L5E") * 3)
    }
}
