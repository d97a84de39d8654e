import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// Suprathreshold constant current: first spike t* = tau_m ln((V_inf - V0)/(V_inf - theta)) and
/// period t_ref + tau_m ln((V_inf - V_reset)/(V_inf - theta)), V_inf = E_L + tau_m I / C (docs/MODEL.md §2).
final class ConstantCurrentTests: XCTestCase {
    func check(_ model: (LIFParameters) -> NeuronModel, file: StaticString = #filePath, line: UInt = #line) throws {
        // The numbers: tau_m 10 ms, C 250 pF, I 1000 pA, theta 15 mV => V_inf = 40 mV.
        let p = TestNetworks.lif(tauM: 10, capacitance: 250, rest: 0, threshold: 15, reset: 0, refractory: 2, bias: 1000)
        let spec = NetworkSpec(simulation: SimulationSpec(duration: 100, seed: 1),
                               populations: [PopulationSpec(name: "n", size: 1, model: model(p))])
        let (_, spikes) = try TestNetworks.run(spec)
        let times = spikes.times[0][0]
        let vInf = 40.0
        let first = 10 * log(vInf / (vInf - 15))
        let period = 2 + 10 * log((vInf - 0) / (vInf - 15))
        XCTAssertGreaterThan(times.count, 5, file: file, line: line)
        XCTAssertEqual(times[0], first, accuracy: 1e-12 * first, file: file, line: line)
        for k in 1..<times.count {
            let expected = first + Double(k) * period
            XCTAssertEqual(times[k], expected, accuracy: 1e-12 * expected, "spike \(k)", file: file, line: line)
        }
        XCTAssertEqual(times.count, Int(((100 - first) / period).rounded(.down)) + 1, file: file, line: line)
    }

    func testDeltaModelFiresAtTheAnalyticTimes() throws { try check { .lifDelta($0) } }

    func testExponentialCurrentModelFiresAtTheAnalyticTimes() throws { try check { .lifExp($0) } }

    /// A bias switched on by a current input at t = 5 ms shifts the first spike by exactly 5 ms.
    func testCurrentInputWithStartTime() throws {
        let p = TestNetworks.lif(tauM: 10, capacitance: 250, rest: 0, threshold: 15, reset: 0, refractory: 2)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 30, seed: 1),
                               populations: [PopulationSpec(name: "n", size: 1, model: .lifDelta(p))])
        spec.inputs = [InputSpec(name: "dc", kind: .constantCurrent(amplitude: 1000, start: 5, stop: .infinity),
                                 targets: [.init(population: "n")])]
        let (_, spikes) = try TestNetworks.run(spec)
        let expected = 5 + 10 * log(40.0 / 25)
        XCTAssertEqual(spikes.times[0][0][0], expected, accuracy: 1e-12 * expected)
    }

    /// A neuron that starts at or above threshold fires at time 0 (as NEST's does on its first step),
    /// for both models, with and without a drive fused into its line (weight 0, so V is unchanged).
    /// With V_inf = 32 mV above the 20 mV threshold it then fires every t_ref + tau_m ln((V_inf -
    /// V_reset)/(V_inf - theta)); with no current, never again. It used to loop on the drift path.
    func testNeuronStartingAboveThresholdFiresAtTimeZero() throws {
        for bias in [400.0, 0] {
            let p = TestNetworks.lif(tauM: 20, capacitance: 250, rest: 0, threshold: 20, reset: 10, refractory: 2, bias: bias)
            let models: [(String, NeuronModel)] = [("lif_delta", .lifDelta(p)), ("lif_exp", .lifExp(p))]
            for (name, model) in models {
                for drive in [false, true] {
                    var spec = NetworkSpec(simulation: SimulationSpec(duration: 50, seed: 1),
                                           populations: [PopulationSpec(name: "n", size: 2, model: model,
                                                                        initialPotential: .constant(25))])
                    if drive {
                        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: 10_000), targets: [.init(population: "n")],
                                                 weight: 0, delay: 0.5)]
                    }
                    let times = try TestNetworks.run(spec).1.times[0][1]
                    let label = "\(name), bias \(bias), drive \(drive)"
                    guard bias > 0 else {
                        XCTAssertEqual(times, [0], label)
                        continue
                    }
                    let period = 2 + 20 * log((32.0 - 10) / (32 - 20))
                    XCTAssertEqual(times.count, Int((50 / period).rounded(.down)) + 1, label)
                    for (k, t) in times.enumerated() {
                        XCTAssertEqual(t, Double(k) * period, accuracy: 1e-11 * max(1, t), "\(label), spike \(k)")
                    }
                }
            }
        }
    }
}
