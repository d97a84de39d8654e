import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// Connection rules, autapse and multapse options, random weights and delays (seeded).
final class ConnectivityTests: XCTestCase {
    func table(_ rule: ConnectionRule, sizes: (Int, Int) = (200, 200), same: Bool = false, autapses: Bool = true,
               multapses: Bool = true, weight: Distribution = .constant(0.1), delay: Distribution = .constant(1),
               seed: UInt64 = 9) throws -> SynapseTable {
        let p = TestNetworks.lif()
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 1, seed: seed))
        spec.populations = [PopulationSpec(name: "A", size: sizes.0, model: .lifDelta(p))]
        if !same { spec.populations.append(PopulationSpec(name: "B", size: sizes.1, model: .lifDelta(p))) }
        spec.projections = [ProjectionSpec(name: "p", source: .init(population: "A"),
                                           target: .init(population: same ? "A" : "B"), rule: rule,
                                           allowAutapses: autapses, allowMultapses: multapses, weight: weight, delay: delay)]
        return try NetworkBuilder.build(spec).projections[0].synapses
    }

    func pairs(_ t: SynapseTable) -> [(Int, Int)] {
        (0..<t.sourceCount).flatMap { s in (t.rowStart[s]..<t.rowStart[s + 1]).map { (s, Int(t.targets[$0])) } }
    }

    func testAllToAllAndAutapses() throws {
        XCTAssertEqual(try table(.allToAll, sizes: (30, 40)).synapseCount, 1200)
        let noSelf = try table(.allToAll, sizes: (30, 30), same: true, autapses: false)
        XCTAssertEqual(noSelf.synapseCount, 30 * 29)
        XCTAssertTrue(pairs(noSelf).allSatisfy { $0.0 != $0.1 })
    }

    func testOneToOne() throws {
        let t = try table(.oneToOne, sizes: (50, 50))
        XCTAssertEqual(pairs(t).map { $0.0 }, Array(0..<50))
        XCTAssertEqual(pairs(t).map { $0.1 }, Array(0..<50))
    }

    func testFixedIndegreeWithoutMultapsesOrAutapses() throws {
        let t = try table(.fixedIndegree(20), sizes: (100, 100), same: true, autapses: false, multapses: false)
        var sources = [[Int]](repeating: [], count: 100)
        for (s, target) in pairs(t) { sources[target].append(s) }
        for (target, list) in sources.enumerated() {
            XCTAssertEqual(list.count, 20)
            XCTAssertEqual(Set(list).count, 20, "no multapses")
            XCTAssertFalse(list.contains(target), "no autapses")
        }
    }

    /// Disjoint slices of one population have no autapse to exclude: an in-degree equal to the
    /// source slice draws every source once per target (the builder once refused it, the checker not).
    func testInDegreeOfTheWholeDisjointSliceWithoutAutapsesOrMultapses() throws {
        let p = TestNetworks.lif()
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 1, seed: 3))
        spec.populations = [PopulationSpec(name: "E", size: 10, model: .lifDelta(p))]
        spec.projections = [ProjectionSpec(name: "p", source: .init(population: "E", range: 0..<5),
                                           target: .init(population: "E", range: 5..<10), rule: .fixedIndegree(5),
                                           allowAutapses: false, allowMultapses: false, weight: .constant(0.1), delay: .constant(1))]
        let t = try NetworkBuilder.build(spec).projections[0].synapses
        var sources = [Int: [Int]]()
        for (s, target) in pairs(t) { sources[target, default: []].append(s) }
        XCTAssertEqual(sources.keys.sorted(), Array(5..<10))
        for list in sources.values { XCTAssertEqual(list.sorted(), Array(0..<5)) }
    }

    func testFixedOutdegree() throws {
        let t = try table(.fixedOutdegree(15), sizes: (40, 60), multapses: false)
        for s in 0..<40 {
            let targets = (t.rowStart[s]..<t.rowStart[s + 1]).map { t.targets[$0] }
            XCTAssertEqual(targets.count, 15)
            XCTAssertEqual(Set(targets).count, 15)
        }
    }

    /// Pair count ~ Binomial(40 000, 0.1): mean 4000, sd 60; 5-sigma bound (seed 9).
    func testPairwiseBernoulliCount() throws {
        let t = try table(.pairwiseBernoulli(0.1))
        XCTAssertEqual(Double(t.synapseCount), 4000, accuracy: 300)
        XCTAssertEqual(try table(.pairwiseBernoulli(0)).synapseCount, 0)
        XCTAssertEqual(try table(.pairwiseBernoulli(1), sizes: (20, 30)).synapseCount, 600)
    }

    func testRandomWeightsKeepTheirSignAndRange() throws {
        let clipped = try table(.allToAll, sizes: (50, 50), weight: .normal(mean: 0.05, sd: 0.1, clipToSign: .positive))
        XCTAssertNil(clipped.uniformWeight)
        XCTAssertTrue((0..<clipped.synapseCount).allSatisfy { clipped.weight(at: $0) > 0 })
        let inhibitory = try table(.allToAll, sizes: (50, 50), weight: .lognormal(mu: 0, sigma: 0.5, sign: .negative))
        XCTAssertTrue((0..<inhibitory.synapseCount).allSatisfy { inhibitory.weight(at: $0) < 0 })
        let uniform = try table(.allToAll, sizes: (50, 50), weight: .uniform(low: 0.2, high: 0.3))
        XCTAssertTrue((0..<uniform.synapseCount).allSatisfy { (0.2...0.3).contains(uniform.weight(at: $0)) })
        XCTAssertEqual(uniform.bytesPerSynapse, 8)
    }

    func testRandomDelaysAreWholeStepsAndSortedPerRow() throws {
        let t = try table(.allToAll, sizes: (20, 50), delay: .uniform(low: 0.5, high: 3))
        XCTAssertEqual(t.bytesPerSynapse, 6)
        for k in 0..<t.synapseCount {
            let d = t.delay(at: k)
            XCTAssertGreaterThanOrEqual(d, 0.5 - 1e-12)
            XCTAssertLessThanOrEqual(d, 3 + 1e-12)
            XCTAssertEqual((d / 0.1).rounded() * 0.1, d, accuracy: 1e-12)
        }
        for s in 0..<t.sourceCount {
            let steps = (t.rowStart[s]..<t.rowStart[s + 1]).map { t.delay(at: $0) }
            XCTAssertEqual(steps, steps.sorted())
        }
    }

    /// A static synapse with uniform weight and delay costs 4 bytes (BENCHMARKS.md target: <= 8).
    func testStaticSynapseBytes() throws {
        XCTAssertEqual(try table(.fixedIndegree(10)).bytesPerSynapse, 4)
    }

    /// The same spike-time input reaches every target at t + d (NEST spike_generator semantics).
    func testSpikeTimeInputReachesEveryTarget() throws {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 10, reset: 0)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 20, seed: 1),
                               populations: [PopulationSpec(name: "n", size: 3, model: .lifDelta(p))])
        spec.inputs = [InputSpec(name: "times", kind: .spikeTimes([2, 7.25]), targets: [.init(population: "n", range: 1..<3)],
                                 weight: 12, delay: 0.5)]
        let (_, spikes) = try TestNetworks.run(spec)
        XCTAssertEqual(spikes.times[0][0], [])
        XCTAssertEqual(spikes.times[0][1], [2.5, 7.75])
        XCTAssertEqual(spikes.times[0][2], [2.5, 7.75])
    }
}
