import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// Membrane traces against closed forms written here independently of the engine's expm1 form.
final class PostsynapticPotentialTests: XCTestCase {
    /// lif_exp: one PSP of w pA at t0 gives V(t) = (w/C) tau_m tau_s/(tau_s - tau_m) (e^{-s/tau_s} - e^{-s/tau_m}).
    func testExponentialCurrentPSPShape() throws {
        let w = 500.0, c = 250.0, tauM = 10.0, tauS = 2.0, t0 = 1.0, delay = 0.5
        let p = TestNetworks.lif(tauM: tauM, capacitance: c, rest: 0, threshold: 100, tauE: tauS)
        let spec = TestNetworks.driven(target: .lifExp(p), inputs: [([t0], w, delay)], duration: 40, sampleInterval: 0.25)
        let (_, collector) = try TestNetworks.run(spec)
        let samples = collector.samples.filter { $0.population == 0 }
        XCTAssertEqual(samples.count, 160)
        for sample in samples {
            let s = sample.time - (t0 + delay)
            let expected = s <= 0 ? 0 : (w / c) * tauM * tauS / (tauS - tauM) * (exp(-s / tauS) - exp(-s / tauM))
            XCTAssertEqual(sample.potential, expected, accuracy: 1e-12 * max(1, abs(expected)), "t = \(sample.time)")
        }
    }

    /// Equal time constants: the limit (w/C) s e^{-s/tau}.
    func testExponentialCurrentPSPWithEqualTimeConstants() throws {
        let w = 300.0, c = 250.0, tau = 5.0
        let p = TestNetworks.lif(tauM: tau, capacitance: c, rest: 0, threshold: 100, tauE: tau)
        let spec = TestNetworks.driven(target: .lifExp(p), inputs: [([0.5], w, 0.5)], duration: 20, sampleInterval: 0.5)
        let (_, collector) = try TestNetworks.run(spec)
        for sample in collector.samples {
            let s = sample.time - 1
            let expected = s <= 0 ? 0 : (w / c) * s * exp(-s / tau)
            XCTAssertEqual(sample.potential, expected, accuracy: 1e-12 * max(1, abs(expected)))
        }
    }

    /// lif_delta: jumps of J at arrival, exponential decay towards E_L between them.
    func testDeltaTraceIsJumpsAndExponentialDecay() throws {
        let p = TestNetworks.lif(tauM: 20, rest: -70, threshold: -50, reset: -70)
        let spec = TestNetworks.driven(target: .lifDelta(p), inputs: [([1, 3.3], 2.0, 1.5), ([2.2], -1.0, 0.7)],
                                       duration: 30, sampleInterval: 0.5)
        let (_, collector) = try TestNetworks.run(spec)
        let arrivals: [(Double, Double)] = [(2.5, 2), (2.9, -1), (4.8, 2)]
        for sample in collector.samples {
            var v = 0.0
            for (ta, j) in arrivals where ta <= sample.time { v += j * exp(-(sample.time - ta) / 20) }
            XCTAssertEqual(sample.potential, -70 + v, accuracy: 1e-12 * 70, "t = \(sample.time)")
        }
    }
}
