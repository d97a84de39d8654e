import Foundation
import XCTest
import VesicleEngine
import VesicleModel

final class SchedulingTests: XCTestCase {
    /// A spike emitted at t arrives at exactly t + d: a suprathreshold jump fires the target at arrival.
    func testDeliveryHappensExactlyOneDelayLater() throws {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 10, reset: 0)
        for (t, d) in [(0.7, 1.3), (3.14159, 0.1), (10.0, 7.77)] {
            let spec = TestNetworks.driven(target: .lifDelta(p), inputs: [([t], 20, d)], duration: 30)
            let (_, spikes) = try TestNetworks.run(spec)
            XCTAssertEqual(spikes.times[0][0], [t + d], "emitted at \(t), delay \(d)")
        }
    }

    /// Per-synapse random delays: every synapse's arrival is its own stored delay after the spike.
    func testRandomDelaysArriveOnTheirOwnDelay() throws {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 10, reset: 0)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 20, seed: 3, delayResolution: 0.1))
        spec.populations = [PopulationSpec(name: "s", size: 1, model: .spikeSource(times: [[1.0]])),
                            PopulationSpec(name: "t", size: 50, model: .lifDelta(p))]
        spec.projections = [ProjectionSpec(name: "s->t", source: .init(population: "s"), target: .init(population: "t"),
                                           rule: .allToAll, weight: .constant(20), delay: .uniform(low: 0.5, high: 5))]
        let (network, spikes) = try TestNetworks.run(spec)
        let table = network.projections[0].synapses
        XCTAssertNil(table.uniformDelay)
        for k in 0..<table.synapseCount {
            let j = Int(table.targets[k])
            XCTAssertEqual(spikes.times[1][j], [1.0 + table.delay(at: k)])
        }
    }

    /// Simultaneous arrivals are summed before the threshold test (docs/MODEL.md §7), so the order
    /// of declaration no longer decides: -5 and +10 from V = 0 sum to 5 < theta = 8 and never fire,
    /// whichever source comes first (the old source-order rule fired when excitation came first);
    /// +10 and -1 sum to 9 and fire at the arrival in both orders. SimultaneousInputsTests has more.
    func testSimultaneousDeliveriesAreSummedWhateverTheSourceOrder() throws {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 8, reset: 0)
        for _ in 0..<3 {
            let inhibitionFirst = TestNetworks.driven(target: .lifDelta(p), inputs: [([1], -5, 1), ([1], 10, 1)], duration: 10)
            XCTAssertEqual(try TestNetworks.run(inhibitionFirst).1.times[0][0], [])
            let excitationFirst = TestNetworks.driven(target: .lifDelta(p), inputs: [([1], 10, 1), ([1], -5, 1)], duration: 10)
            XCTAssertEqual(try TestNetworks.run(excitationFirst).1.times[0][0], [])
            for inputs in [[([1.0], 10.0, 1.0), ([1.0], -1.0, 1.0)], [([1.0], -1.0, 1.0), ([1.0], 10.0, 1.0)]] {
                XCTAssertEqual(try TestNetworks.run(TestNetworks.driven(target: .lifDelta(p), inputs: inputs, duration: 10)).1.times[0][0], [2])
            }
        }
    }

    /// Inputs that arrive during the refractory period are dropped (NEST iaf_psc_delta default).
    func testInputsDuringRefractorinessAreDropped() throws {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 10, reset: 0, refractory: 2)
        let spec = TestNetworks.driven(target: .lifDelta(p), inputs: [([1], 20, 1), ([2.5], 20, 1), ([3.5], 20, 1)],
                                       duration: 10)
        XCTAssertEqual(try TestNetworks.run(spec).1.times[0][0], [2, 4.5])
    }

    /// All three queues give the same raster.
    func testQueuesAgree() throws {
        let spec = ReferenceNetworks.brunel(regime: .C, neurons: 500, seed: 4, duration: 100, warmup: 0)
        let reference = try TestNetworks.run(spec, queue: .binaryHeap).1.times
        XCTAssertGreaterThan(reference.joined().joined().count, 100)
        for kind in [EventQueueKind.collectionsHeap, .calendar] {
            XCTAssertEqual(try TestNetworks.run(spec, queue: kind).1.times, reference, kind.rawValue)
        }
    }

    /// Same seed, identical raster; another seed, another raster.
    func testSeedsReproduce() throws {
        let a = try TestNetworks.run(ReferenceNetworks.brunel(regime: .C, neurons: 500, seed: 7, duration: 100, warmup: 0)).1.times
        let b = try TestNetworks.run(ReferenceNetworks.brunel(regime: .C, neurons: 500, seed: 7, duration: 100, warmup: 0)).1.times
        let c = try TestNetworks.run(ReferenceNetworks.brunel(regime: .C, neurons: 500, seed: 8, duration: 100, warmup: 0)).1.times
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    /// Poisson drive: the number of arrivals to 100 neurons at 5 kHz over 200 ms is Poisson(100 000);
    /// 6-sigma bound (seed 5).
    func testPoissonDriveDeliversItsRate() throws {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 1e6, reset: 0, refractory: 0)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 200, seed: 5),
                               populations: [PopulationSpec(name: "n", size: 100, model: .lifDelta(p))])
        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: 5000), targets: [.init(population: "n")], weight: 0.1, delay: 1)]
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network)
        simulator.run()
        // Arrivals start one delay after the generator starts: 199 ms of drive.
        let expected = 100 * 5.0 * 199
        XCTAssertEqual(Double(simulator.counters.externalEvents), expected, accuracy: 6 * expected.squareRoot())
        // Mean potential of a shot-noise process: J nu tau (Campbell), here 0.1 * 5 * 20 = 10 mV, to 3%.
        let mean = (0..<100).map { network.potential(population: 0, neuron: $0, at: 200)! }.reduce(0, +) / 100
        XCTAssertEqual(mean, 10, accuracy: 0.3)
    }

    /// A sample that falls between a current change and a later delivery of the same window sees the
    /// state before the change. One 10-ms window (a recurrent projection with a 10 ms delay) holds a
    /// sample at 4 ms, a current step at 5 ms and a delivery at 6 ms: V(4) is still E_L = 0, and V(8)
    /// is the closed form of the step plus the PSP.
    func testSamplesSeeOnlyEarlierCurrentChanges() throws {
        let p = TestNetworks.lif(tauM: 10, capacitance: 250, rest: 0, threshold: 1e6, reset: 0)
        var spec = TestNetworks.driven(target: .lifDelta(p), inputs: [([5], 0.5, 1)], duration: 9, sampleInterval: 4)
        spec.populations.append(PopulationSpec(name: "other", size: 1, model: .lifDelta(p)))
        spec.projections.append(ProjectionSpec(name: "other->target", source: .init(population: "other"),
                                               target: .init(population: "target"), rule: .allToAll,
                                               weight: .constant(0), delay: .constant(10)))
        spec.inputs = [InputSpec(name: "step", kind: .constantCurrent(amplitude: 250, start: 5, stop: .infinity),
                                 targets: [.init(population: "target")])]
        let network = try NetworkBuilder.build(spec)
        XCTAssertEqual(network.minimumDelay, 10)
        let (_, collector) = try TestNetworks.run(spec)
        let v = Dictionary(uniqueKeysWithValues: collector.samples.filter { $0.population == 0 }.map { ($0.time, $0.potential) })
        XCTAssertEqual(v[4], 0)
        // 250 pA into 250 pF with tau_m = 10 ms: V_inf = 10 mV from t = 5; PSP of 0.5 mV at t = 6.
        let expected = 10 * (1 - exp(-3.0 / 10)) + 0.5 * exp(-2.0 / 10)
        XCTAssertEqual(v[8]!, expected, accuracy: 1e-12 * expected)
    }
}
