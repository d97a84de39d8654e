import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// An idle neuron is not touched at window ends (issue 14): `lif_delta`'s wake times and lagging epoch
/// (`LIFDeltaPopulation+Idle.swift`), `lif_exp`'s quiet horizon with its predicted crossing. Both are
/// checked here against closed forms or an independent reference over many short windows.
final class IdleNeuronTests: XCTestCase {
    /// A drifting lif_delta neuron (V_inf = 16 mV above theta = 15 mV, V(0) = 0, tau_m = 10 ms) in
    /// windows of 0.05 ms (a spike source's delay), about 800 per interspike interval, with the epoch
    /// moved only every tau_m/32: it fires at t* = tau_m ln 16, then every t_ref + t*; an input of
    /// +3 mV at 100.05 ms moves the next crossing to the closed form from V(100.05) + 3. Without a
    /// drive (wake times) and with a fused drive of weight 1e-13 mV (the scaled clock's drift path).
    /// Spike times to 1e-9 ms.
    func testDriftingDeltaNeuronAcrossShortWindows() throws {
        let tau = 10.0, vInf = 16.0, theta = 15.0, refractory = 2.0
        let p = TestNetworks.lif(tauM: tau, capacitance: 250, rest: 0, threshold: theta, reset: 0, refractory: refractory,
                                 bias: 400)
        let period = tau * log(vInf / (vInf - theta)) + refractory
        var expected: [Double] = []
        var t = tau * log(vInf / (vInf - theta))
        while t < 100.05 { expected.append(t); t += period }
        // After the last spike before the input: V rises from 0 at (last + t_ref).
        let restart = expected.last! + refractory
        let vBefore = vInf * (1 - exp(-(100.05 - restart) / tau))
        XCTAssertLessThan(vBefore + 3, theta, "the input itself must not fire")
        t = 100.05 + tau * log((vInf - vBefore - 3) / (vInf - theta))
        while t < 150 { expected.append(t); t += period }
        for fused in [false, true] {
            var spec = TestNetworks.driven(target: .lifDelta(p), inputs: [([100.0], 3, 0.05)], duration: 150)
            spec.populations[0].initialPotential = .constant(0)
            if fused {
                spec.inputs = [InputSpec(name: "drive", kind: .poisson(rate: 1000), targets: [.init(population: "target")],
                                         weight: 1e-13, delay: 0.5)]
            }
            let spikes = try TestNetworks.run(spec).1.times[0][0]
            XCTAssertEqual(spikes.count, expected.count, "fused \(fused)")
            for (s, e) in zip(spikes, expected) { XCTAssertEqual(s, e, accuracy: 1e-9, "fused \(fused)") }
        }
    }

    /// A drifting lif_exp neuron (V_inf = 16 mV, theta = 15 mV) near threshold gets 120 inputs of
    /// either sign at random times from three spike sources (seed 1414) through 0.1 ms delays, so
    /// that predicted crossings are made, fired, and overtaken by inputs. Against an independent
    /// Float80 event loop (`ExponentialCurrentReference`): its first crossing on an interval is the
    /// least s with max_[0,s] V >= theta - 1e-12 mV (the engine's touch tolerance), by bisection.
    /// Every reference maximum must clear that level by more than 1e-9 mV either way (checked), and
    /// then every spike time must agree to 1e-9 ms.
    func testDriftingExponentialNeuronMatchesAnIndependentReference() throws {
        typealias F = Float80
        let tauM = 10.0, c = 250.0, theta = 15.0, tauE = 2.0, tauI = 4.0, refractory = 2.0, vInf = 16.0
        let level = theta - 1e-12
        var random = TestRandom(state: 1414)
        let weights = [250.0, 400.0, -600.0]
        let trains = weights.map { _ in (0..<40).map { _ in (random.uniform(0, 300) * 64).rounded() / 64 }.sorted() }
        var events: [(time: Double, weight: Double)] = []
        for (k, train) in trains.enumerated() { for t in train { events.append((t + 0.1, weights[k])) } }
        events.sort { $0.time < $1.time }

        var expected: [Double] = []
        var v = 0.0, iE = 0.0, iI = 0.0, last = 0.0, until = -Double.infinity
        var closest = Double.infinity
        func propagate(to t: Double) {
            while last < t {
                if last < until {
                    let end = min(until, t)
                    iE *= exp(-(end - last) / tauE); iI *= exp(-(end - last) / tauI)
                    v = 0; last = end
                    continue
                }
                let reference = ExponentialCurrentReference(asymptote: vInf, v0: v, tauM: tauM, capacitance: c,
                                                            iE0: iE, tauE: tauE, iI0: iI, tauI: tauI)
                let h = t - last
                let peak = reference.maximum(within: h).value
                closest = min(closest, abs(Double(peak) - level))
                if peak < F(level) {
                    v = Double(reference.potential(F(h)))
                    iE *= exp(-h / tauE); iI *= exp(-h / tauI); last = t
                    continue
                }
                var lo = 0.0, hi = h
                for _ in 0..<200 {
                    let mid = lo + (hi - lo) / 2
                    if mid <= lo || mid >= hi { break }
                    if reference.maximum(within: mid).value >= F(level) { hi = mid } else { lo = mid }
                }
                expected.append(last + hi)
                iE *= exp(-hi / tauE); iI *= exp(-hi / tauI)
                last += hi; v = 0; until = last + refractory
            }
        }
        for e in events {
            propagate(to: e.time)
            if e.weight >= 0 { iE += e.weight } else { iI += e.weight }
        }
        propagate(to: 320)
        XCTAssertGreaterThan(closest, 1e-9, "a grazing maximum: choose another seed")
        XCTAssertGreaterThan(expected.count, 5)

        let p = TestNetworks.lif(tauM: tauM, capacitance: c, rest: 0, threshold: theta, reset: 0, refractory: refractory,
                                 bias: 400, tauE: tauE, tauI: tauI)
        var spec = TestNetworks.driven(target: .lifExp(p), inputs: zip(trains, weights).map { ($0, $1, 0.1) }, duration: 320)
        spec.populations[0].initialPotential = .constant(0)
        let spikes = try TestNetworks.run(spec).1.times[0][0]
        XCTAssertEqual(spikes.count, expected.count)
        for (s, e) in zip(spikes, expected) { XCTAssertEqual(s, e, accuracy: 1e-9) }
    }
}
