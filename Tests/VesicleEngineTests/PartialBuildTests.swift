import XCTest
import VesicleEngine
import VesicleModel

/// "Partial builds" (issue 13): the synapses a partition builds for its own targets alone
/// (`NetworkBuilder.incomingSynapses`) equal, row by row and in order, the whole build's synapses
/// onto those targets, weights and delays included, for every connection rule. Exact equality: the
/// same keys give the same bits (docs/DESIGN.md, Random keys).
final class PartialBuildTests: XCTestCase {
    /// One synapse as a row holds it: target, weight, delay.
    struct Entry: Equatable { let target: Int, weight: Double, delay: Double }

    func spec(_ rule: ConnectionRule, same: Bool, autapses: Bool = true, multapses: Bool = true,
              weight: Distribution, delay: Distribution) -> NetworkSpec {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 1, seed: 31))
        spec.populations = [PopulationSpec(name: "A", size: 60, model: .lifDelta(TestNetworks.lif()))]
        if !same { spec.populations.append(PopulationSpec(name: "B", size: 90, model: .lifDelta(TestNetworks.lif()))) }
        spec.projections = [ProjectionSpec(name: "p", source: .init(population: "A"),
                                           target: .init(population: same ? "A" : "B"), rule: rule,
                                           allowAutapses: autapses, allowMultapses: multapses, weight: weight, delay: delay)]
        return spec
    }

    func rows(_ t: SynapseTable, keeping keeps: (Int) -> Bool = { _ in true }) -> [[Entry]] {
        (0..<t.sourceCount).map { s in
            (t.rowStart[s]..<t.rowStart[s + 1]).compactMap { k in
                keeps(Int(t.targets[k])) ? Entry(target: Int(t.targets[k]), weight: t.weight(at: k), delay: t.delay(at: k)) : nil
            }
        }
    }

    /// Each rule with random weights and delays (and the list's own where it has them), built whole
    /// and for three owned sets: a partition's block, scattered blocks, and the complement blocks.
    func testPartitionBuildsEqualTheWholeBuildsRowsOfItsTargets() throws {
        let list = ConnectionList(sources: [0, 5, 5, 59, 12, 5, 30], targets: [7, 3, 80, 0, 45, 3, 89],
                                  weights: [0.1, -0.2, 0.3, 0.4, 0.5, 0.6, 0.7], origin: "test")
        let weight = Distribution.normal(mean: 0.2, sd: 0.1, clipToSign: nil)
        let delay = Distribution.uniform(low: 0.5, high: 4)
        let cases: [(String, NetworkSpec)] = [
            ("all_to_all", spec(.allToAll, same: true, autapses: false, weight: weight, delay: delay)),
            ("one_to_one", spec(.oneToOne, same: true, weight: weight, delay: delay)),
            ("pairwise_bernoulli", spec(.pairwiseBernoulli(0.2), same: false, weight: weight, delay: delay)),
            ("fixed_indegree", spec(.fixedIndegree(12), same: true, autapses: false, multapses: false, weight: weight, delay: delay)),
            ("fixed_indegree multapses", spec(.fixedIndegree(80), same: false, weight: weight, delay: delay)),
            ("fixed_outdegree", spec(.fixedOutdegree(9), same: false, multapses: false, weight: weight, delay: delay)),
            ("fixed_total_number", spec(.fixedTotalNumber(700), same: true, autapses: false, weight: weight, delay: delay)),
            ("fixed_total_number distinct", spec(.fixedTotalNumber(500), same: false, multapses: false, weight: weight, delay: delay)),
            ("from_file", spec(.fromList(list), same: false, weight: weight, delay: delay)),
        ]
        for (name, spec) in cases {
            let whole = try NetworkBuilder.build(spec).projections[0].synapses
            let targetSize = spec.populations.last!.size
            let third = targetSize / 3
            for owned in [[third..<(2 * third)], [0..<4, 20..<21, 33..<50], [4..<20, 21..<33, 50..<targetSize]] {
                let part = try NetworkBuilder.incomingSynapses(spec, projection: "p", targets: owned)
                let expected = rows(whole) { t in owned.contains { $0.contains(t) } }
                XCTAssertEqual(rows(part), expected, "\(name), targets \(owned)")
                let count = expected.reduce(0) { $0 + $1.count }
                XCTAssertEqual(part.synapseCount, count, name)
                // Not vacuous: the part is a proper, non-empty part of the projection.
                XCTAssertGreaterThan(count, 0, name)
                XCTAssertLessThan(count, whole.synapseCount, name)
            }
            // Random weights and delays were drawn (the list's weights are its own).
            XCTAssertFalse(whole.weights.isEmpty, name)
            XCTAssertFalse(whole.delaySteps.isEmpty, name)
        }
    }

    /// One target built alone is its column of the whole build; the same target under another seed
    /// differs (the keys carry the seed).
    func testWeightsAndDelaysDependOnTheKeysOnly() throws {
        let weight = Distribution.uniform(low: 0.1, high: 0.9), delay = Distribution.uniform(low: 0.5, high: 4)
        let base = spec(.fixedIndegree(10), same: true, weight: weight, delay: delay)
        let whole = try NetworkBuilder.build(base).projections[0].synapses
        let part = try NetworkBuilder.incomingSynapses(base, projection: "p", targets: [10..<11])
        XCTAssertEqual(rows(part), rows(whole) { $0 == 10 })
        var reseeded = base
        reseeded.simulation.seed = 32
        let other = try NetworkBuilder.incomingSynapses(reseeded, projection: "p", targets: [10..<11])
        XCTAssertNotEqual(rows(other), rows(part))
    }
}
