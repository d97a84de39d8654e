import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// Escape noise (docs/MODEL.md §2): hazard rho(V) = rho_0 exp((V - theta)/Delta_V), sampled by thinning.
final class EscapeNoiseTests: XCTestCase {
    func neuron(rest: Double, reset: Double, refractory: Double, rho0: Double = 50, deltaV: Double = 2) -> LIFParameters {
        var p = TestNetworks.lif(tauM: 10, rest: rest, threshold: -50, reset: reset, refractory: refractory)
        p.escapeNoise = EscapeNoise(rateAtThreshold: rho0, deltaV: deltaV)
        return p
    }

    /// V held at E_L = V_reset = -52 mV: a renewal process with intervals t_ref + Exp(rho(-52)),
    /// rho = 50 Hz e^{-1} = 18.39 Hz. 200 neurons x 10 s, seed 4: the spike count is within 5 sd of
    /// T/(t_ref + 1/rho) per neuron (sd from the renewal CLT: sqrt(N T) (1/rho) / (t_ref + 1/rho)^{3/2}),
    /// and the intervals minus t_ref pass a Kolmogorov-Smirnov test against Exp(rho) at alpha = 1e-3.
    func testConstantPotentialIsARenewalProcessWithDeadTime() throws {
        let p = neuron(rest: -52, reset: -52, refractory: 5)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 10_000, seed: 4),
                               populations: [PopulationSpec(name: "n", size: 200, model: .lifDelta(p), initialPotential: .constant(-52))])
        spec.recordings = []
        let (_, spikes) = try TestNetworks.run(spec)
        let rho = 50 * exp(-1.0) / 1000                 // per ms
        let meanInterval = 5 + 1 / rho
        let expected = 200 * 10_000 / meanInterval
        let sd = (200 * 10_000.0).squareRoot() * (1 / rho) / pow(meanInterval, 1.5)
        let count = spikes.times[0].reduce(0) { $0 + $1.count }
        XCTAssertEqual(Double(count), expected, accuracy: 5 * sd)
        var intervals: [Double] = []
        for train in spikes.times[0] { for (a, b) in zip(train, train.dropFirst()) { intervals.append(b - a - 5) } }
        XCTAssertTrue(intervals.allSatisfy { $0 >= -1e-9 }, "no spike inside the refractory period")
        intervals.sort()
        let n = Double(intervals.count)
        var d = 0.0
        for (i, x) in intervals.enumerated() {
            let f = -expm1(-rho * x)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        XCTAssertLessThan(d, 1.949 / n.squareRoot())
    }

    /// V relaxing from -60 mV towards E_L = -45 mV (above theta): the first spike time T has survival
    /// S(t) = exp(-integral_0^t rho(V(s)) ds), integrated here by Simpson's rule on a 1e-3 ms grid.
    /// 5000 neurons, seed 8: Kolmogorov-Smirnov of the first spike times against 1 - S at alpha = 1e-3.
    func testFirstSpikeTimesFollowTheInhomogeneousHazard() throws {
        let p = neuron(rest: -45, reset: -70, refractory: 100, rho0: 20, deltaV: 1.5)
        let spec = NetworkSpec(simulation: SimulationSpec(duration: 60, seed: 8),
                               populations: [PopulationSpec(name: "n", size: 5000, model: .lifDelta(p), initialPotential: .constant(-60))])
        let (_, spikes) = try TestNetworks.run(spec)
        let firsts = spikes.times[0].compactMap(\.first).sorted()
        func rho(_ s: Double) -> Double { 0.02 * exp((-45 - 15 * exp(-s / 10) + 50) / 1.5) }
        // Cumulative hazard on a grid.
        let h = 1e-3
        var cumulative = [0.0]
        var s = 0.0
        while s < 60 {
            cumulative.append(cumulative.last! + h / 6 * (rho(s) + 4 * rho(s + h / 2) + rho(s + h)))
            s += h
        }
        func cdf(_ t: Double) -> Double {
            let k = min(Int(t / h), cumulative.count - 2)
            let fraction = (t - Double(k) * h) / h
            let lambda = cumulative[k] + fraction * (cumulative[k + 1] - cumulative[k])
            return -expm1(-lambda)
        }
        // Neurons that did not fire within 60 ms are censored: compare on the fired ones, conditioned.
        let total = cdf(60)
        XCTAssertEqual(Double(firsts.count) / 5000, total, accuracy: 5 * (total * (1 - total) / 5000).squareRoot())
        let n = Double(firsts.count)
        var d = 0.0
        for (i, t) in firsts.enumerated() {
            let f = cdf(t) / total
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        XCTAssertLessThan(d, 1.949 / n.squareRoot())
    }

    func testEscapeNoiseOnLifExpIsRejected() {
        var p = TestNetworks.lif()
        p.escapeNoise = EscapeNoise(rateAtThreshold: 10, deltaV: 1)
        let spec = NetworkSpec(populations: [PopulationSpec(name: "n", size: 1, model: .lifExp(p))])
        XCTAssertThrowsError(try NetworkBuilder.build(spec)) { XCTAssertTrue("\($0)".contains("escape noise")) }
        p.escapeNoise = EscapeNoise(rateAtThreshold: 10, deltaV: 0)
        let zero = NetworkSpec(populations: [PopulationSpec(name: "n", size: 1, model: .lifDelta(p))])
        XCTAssertThrowsError(try NetworkBuilder.build(zero)) { XCTAssertTrue("\($0)".contains("delta_V")) }
    }
}
