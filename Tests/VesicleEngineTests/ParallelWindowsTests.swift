import XCTest
import VesicleEngine
import VesicleModel

/// Windows on several threads (`ParallelWindows`): every neuron receives its inputs in the same
/// order through the same arithmetic as on one thread, so every spike, count and statistic must be
/// exactly equal, whatever the thread count.
final class ParallelWindowsTests: XCTestCase {
    /// An E/I network with Poisson drives, a spike source, per-synapse Float weights and random delays
    /// (rows in several delay classes, each sorted by target), over 300 ms, seed 9: threads 2, 3 and 7
    /// (more threads than some rows have targets) against 1.
    func testThreadCountsGiveIdenticalRuns() throws {
        let spec = Self.network()
        let serial = try TestNetworks.simulate(spec, threads: 1)
        XCTAssertGreaterThan(serial.collector.count, 200, "the network must fire")
        for threads in [2, 3, 7] {
            let parallel = try TestNetworks.simulate(spec, threads: threads)
            XCTAssertNil(parallel.simulator.parallelRefusal)
            XCTAssertEqual(parallel.simulator.threadCount, threads)
            XCTAssertTrue(parallel.collector.times == serial.collector.times,
                          "\(threads) threads: \(parallel.collector.count) spikes against \(serial.collector.count)")
            XCTAssertEqual(parallel.simulator.counters.recurrentEvents, serial.simulator.counters.recurrentEvents)
            XCTAssertEqual(parallel.simulator.counters.externalEvents, serial.simulator.counters.externalEvents)
            XCTAssertEqual(parallel.simulator.counters.spikes, serial.simulator.counters.spikes)
        }
    }

    /// A network the threads cannot take runs on one thread, says why, and gives the same result.
    func testRefusedNetworkRunsOnOneThread() throws {
        var spec = Self.network()
        spec.projections[0].rule = .fixedOutdegree(12)
        let serial = try TestNetworks.simulate(spec, threads: 1)
        let asked = try TestNetworks.simulate(spec, threads: 2)
        XCTAssertEqual(asked.simulator.threadCount, 1)
        XCTAssertTrue(asked.simulator.parallelRefusal?.contains("fixed_outdegree") == true,
                      asked.simulator.parallelRefusal ?? "no refusal")
        XCTAssertTrue(asked.collector.times == serial.collector.times)

        var current = Self.network()
        current.populations[0].model = .lifExp(TestNetworks.lif(tauM: 20, threshold: 20, reset: 10))
        XCTAssertTrue(try TestNetworks.simulate(current, threads: 2).simulator.parallelRefusal?.contains("lif_exp") == true)
    }

    private static func network() -> NetworkSpec {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 20, reset: 10, refractory: 2)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 300, seed: 9))
        spec.populations = [
            PopulationSpec(name: "E", size: 160, model: .lifDelta(p)),
            PopulationSpec(name: "I", size: 40, model: .lifDelta(p)),
            PopulationSpec(name: "S", size: 1, model: .spikeSource(times: [(0..<60).map { 5 * Double($0) + 0.7 }])),
        ]
        spec.projections = [
            ProjectionSpec(name: "E->all", source: .init(population: "E"), target: .init(population: "E"),
                           rule: .fixedIndegree(16), weight: .normal(mean: 0.3, sd: 0.1, clipToSign: .positive),
                           delay: .uniform(low: 1, high: 3)),
            ProjectionSpec(name: "E->I", source: .init(population: "E"), target: .init(population: "I"),
                           rule: .fixedIndegree(16), weight: .constant(0.3), delay: .constant(1.5)),
            ProjectionSpec(name: "I->E", source: .init(population: "I"), target: .init(population: "E"),
                           rule: .pairwiseBernoulli(0.2), weight: .constant(-1.2), delay: .constant(1.5)),
            ProjectionSpec(name: "S->E", source: .init(population: "S"), target: .init(population: "E"),
                           rule: .allToAll, weight: .constant(2), delay: .constant(1)),
        ]
        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: 18_000), targets: [.init(population: "E"), .init(population: "I")],
                                 weight: 0.1, delay: 0.1)]
        return spec
    }
}
