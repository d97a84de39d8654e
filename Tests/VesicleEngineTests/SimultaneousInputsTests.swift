import Foundation
import XCTest
@testable import VesicleEngine
import VesicleModel

/// Simultaneous inputs are summed before the threshold test (docs/MODEL.md §7), for both models,
/// whatever the order in which the network declares them.
final class SimultaneousInputsTests: XCTestCase {
    /// A drifting lif_delta neuron (V_inf = 10 mV above theta = 8 mV, V(0) = 0) gets +10 and -5 mV at
    /// t = 2 ms. Summed, V(2) + 5 lies below threshold, so the neuron fires later by drift at the
    /// closed-form time 2 + tau ln((V_inf - V(2^+)) / (V_inf - theta)); excitation first no longer fires it at 2.
    /// Both declaration orders, with and without a fused Poisson drive (weight 1e-12 mV, so that the
    /// drive path runs without moving the crossing by more than 1e-9 ms).
    func testDriftingNeuronSumsBothSignsInEitherOrder() throws {
        let tau = 20.0, vInf = 10.0, theta = 8.0
        // V_inf = rest + tau I / C: I = 10 mV * 250 pF / 20 ms = 125 pA.
        let p = TestNetworks.lif(tauM: tau, rest: 0, threshold: theta, reset: 0, refractory: 2, bias: 125)
        let v2 = vInf * (1 - exp(-2 / tau)) + 5
        let expected = 2 + tau * log((vInf - v2) / (vInf - theta))
        for fused in [false, true] {
            var results: [[Double]] = []
            for inputs in [[([1.0], 10.0, 1.0), ([1.0], -5.0, 1.0)], [([1.0], -5.0, 1.0), ([1.0], 10.0, 1.0)]] {
                var spec = TestNetworks.driven(target: .lifDelta(p), inputs: inputs, duration: 20)
                if fused {
                    spec.inputs = [InputSpec(name: "drive", kind: .poisson(rate: 1000), targets: [.init(population: "target")],
                                             weight: 1e-12, delay: 0.5)]
                }
                let (network, spikes) = try TestNetworks.run(spec)
                if case .neurons(let pop) = network.dynamics[0] {
                    XCTAssertEqual((pop as? LIFDeltaPopulation)?.fusedDrive, fused)
                }
                let times = spikes.times[0][0]
                XCTAssertEqual(times.count, 1, "fused \(fused)")
                XCTAssertEqual(times.first ?? 0, expected, accuracy: 1e-9, "fused \(fused)")
                results.append(times)
            }
            XCTAssertEqual(results[0], results[1], "fused \(fused): both orders")
        }
    }

    /// lif_exp: an excitatory current jump that fires the neuron alone (checked) is cancelled by an
    /// inhibitory one at the same instant, in either order; and the membrane samples of the two orders
    /// are bit for bit the same (the two currents are separate state, and a jump does not move V).
    func testExponentialCurrentsSumInEitherOrder() throws {
        let p = TestNetworks.lif(tauM: 10, capacitance: 250, rest: 0, threshold: 15, reset: 0, refractory: 2, tauE: 2, tauI: 2)
        let alone = TestNetworks.driven(target: .lifExp(p), inputs: [([1], 5000, 1)], duration: 20)
        XCTAssertEqual(try TestNetworks.run(alone).1.times[0][0].count, 1, "the excitation alone must cross")
        var samples: [[Double]] = []
        for inputs in [[([1.0], 5000.0, 1.0), ([1.0], -3000.0, 1.0)], [([1.0], -3000.0, 1.0), ([1.0], 5000.0, 1.0)]] {
            let spec = TestNetworks.driven(target: .lifExp(p), inputs: inputs, duration: 20, sampleInterval: 0.25)
            let network = try NetworkBuilder.build(spec)
            let simulator = Simulator(network: network)
            let collector = SpikeCollector(populationSizes: network.populationSizes)
            simulator.recordAllSpikes()
            simulator.run(observer: collector)
            XCTAssertEqual(collector.times[0][0], [], "the sum 2000 pA stays below threshold")
            let v = collector.samples.filter { $0.population == 0 }.map(\.potential)
            XCTAssertEqual(v.count, 80)
            // The peak of the net current's response: below theta, and not trivially (above 5 mV).
            XCTAssertGreaterThan(v.max() ?? 0, 5)
            samples.append(v)
        }
        XCTAssertEqual(samples[0], samples[1])
    }

    /// Against an independent event-by-event reference written here (inputs grouped by time, summed,
    /// then tested): 40 lif_delta neurons, 8 spike sources firing on a 1 ms grid, 400 synapses of
    /// either sign from an explicit list with duplicates (multapses), all with one delay, so most
    /// inputs arrive together. Seed 14. Every reference sum must lie more than 1e-9 mV from threshold
    /// (checked), and then the spike times must agree exactly, with and without a fused drive of
    /// weight 1e-13 mV (at most ~100 arrivals per neuron: < 1e-10 mV).
    func testRandomSimultaneousInputsMatchASummingReference() throws {
        let tau = 20.0, theta = 10.0, reset = 0.0, refractory = 2.0, delay = 1.0
        let neurons = 40, sources = 8, synapses = 400
        var random = TestRandom(state: 14)
        var trains: [[Double]] = []
        for _ in 0..<sources { trains.append((1...80).filter { _ in random.uniform() < 0.3 }.map(Double.init)) }
        var pre: [Int] = [], post: [Int] = [], weight: [Double] = []
        for _ in 0..<synapses {
            pre.append(Int(random.next() % UInt64(sources)))
            post.append(Int(random.next() % UInt64(neurons)))
            weight.append(random.uniform() < 0.6 ? 2 + 4 * random.uniform() : -(1 + 5 * random.uniform()))
        }
        // Duplicates: the first 40 synapses again (multapses of one sign each).
        pre += pre[0..<40]; post += post[0..<40]; weight += weight[0..<40]

        // The reference: per neuron, its inputs by arrival time, each group summed and then tested.
        var expected = [[Double]](repeating: [], count: neurons)
        var closest = Double.infinity
        for j in 0..<neurons {
            var byTime: [Double: Double] = [:]
            for s in pre.indices where post[s] == j {
                for t in trains[pre[s]] { byTime[t + delay, default: 0] += weight[s] }
            }
            var v = 0.0, last = 0.0, until = -Double.infinity
            for t in byTime.keys.sorted() where t >= until {
                let from = max(last, until)
                v = (until > last ? reset : v) * exp(-(t - from) / tau)
                v += byTime[t]!
                last = t
                closest = min(closest, abs(v - theta))
                if v >= theta {
                    expected[j].append(t)
                    v = reset
                    until = t + refractory
                }
            }
        }
        XCTAssertGreaterThan(closest, 1e-9, "a reference sum within rounding of threshold")
        XCTAssertGreaterThan(expected.joined().count, 50, "the reference must fire")

        for fused in [false, true] {
            var spec = NetworkSpec(simulation: SimulationSpec(duration: 85, seed: 14))
            spec.populations = [
                PopulationSpec(name: "n", size: neurons,
                               model: .lifDelta(TestNetworks.lif(tauM: tau, rest: 0, threshold: theta, reset: reset,
                                                                 refractory: refractory))),
                PopulationSpec(name: "s", size: sources, model: .spikeSource(times: trains)),
            ]
            spec.projections = [ProjectionSpec(name: "s->n", source: .init(population: "s"), target: .init(population: "n"),
                                               rule: .fromList(ConnectionList(sources: pre, targets: post, weights: weight)),
                                               weight: .constant(1), delay: .constant(delay))]
            if fused {
                spec.inputs = [InputSpec(name: "drive", kind: .poisson(rate: 1000), targets: [.init(population: "n")],
                                         weight: 1e-13, delay: 0.5)]
            }
            let (network, spikes) = try TestNetworks.run(spec)
            if case .neurons(let pop) = network.dynamics[0] {
                XCTAssertEqual((pop as? LIFDeltaPopulation)?.fusedDrive, fused)
            }
            XCTAssertEqual(spikes.times[0], expected, "fused \(fused)")
        }
    }
}
