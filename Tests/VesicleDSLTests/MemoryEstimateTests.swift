// The memory estimate against counts worked out by hand from its stated costs: 64 bytes per neuron;
// per synapse 4 bytes, +4 for a non-constant weight, +2 for a non-constant delay, +8 if Bayesian.

import XCTest
import VesicleModel

final class MemoryEstimateTests: XCTestCase {
    func testBrunelRegimeC() {
        // 12 500 neurons; 12 500 targets x (1000 + 250) sources = 15 625 000 static synapses, 4 bytes each.
        let spec = ReferenceNetworks.brunel(regime: .C)
        XCTAssertEqual(estimatedMemoryBytes(of: spec), 12_500 * 64 + 15_625_000 * 4)
    }

    func testEveryRuleAndCost() {
        let population = { (name: String, size: Int) in PopulationSpec(name: name, size: size, model: .lifDelta(LIFParameters())) }
        var bayesian = BayesianSynapseSpec()
        bayesian.rule = .none
        let spec = NetworkSpec(
            populations: [population("A", 100), population("B", 40)],
            synapseTypes: [.staticSynapse, SynapseTypeSpec(name: "b", kind: .bayesian(bayesian))],
            projections: [
                ProjectionSpec(name: "1", source: .init(population: "A"), target: .init(population: "B"), rule: .allToAll,
                               weight: .constant(1), delay: .constant(1)),
                ProjectionSpec(name: "2", source: .init(population: "A", range: 0..<40), target: .init(population: "B"),
                               rule: .oneToOne, weight: .uniform(low: 0, high: 1), delay: .constant(1)),
                ProjectionSpec(name: "3", source: .init(population: "A"), target: .init(population: "B"),
                               rule: .fixedIndegree(7), weight: .constant(1), delay: .uniform(low: 1, high: 2)),
                ProjectionSpec(name: "4", source: .init(population: "A"), target: .init(population: "B"),
                               rule: .fixedOutdegree(3), synapseType: "b", weight: .constant(1), delay: .constant(1)),
                ProjectionSpec(name: "5", source: .init(population: "A"), target: .init(population: "A"),
                               rule: .pairwiseBernoulli(0.1), synapseType: "b",
                               weight: .normal(mean: 1, sd: 0.1, clipToSign: .positive), delay: .uniform(low: 1, high: 2)),
            ])
        let neurons = 140 * 64
        let allToAll = 100 * 40 * 4
        let oneToOne = 40 * (4 + 4)
        let indegree = 40 * 7 * (4 + 2)
        let outdegree = 100 * 3 * (4 + 8)
        let bernoulli = 1000 * (4 + 4 + 2 + 8)  // 0.1 * 100 * 100 expected synapses
        XCTAssertEqual(estimatedMemoryBytes(of: spec), neurons + allToAll + oneToOne + indegree + outdegree + bernoulli)
    }

    func testEstimateSaturatesInsteadOfOverflowing() {
        let spec = NetworkSpec(
            populations: [PopulationSpec(name: "A", size: 1 << 40, model: .lifDelta(LIFParameters()))],
            projections: [ProjectionSpec(name: "x", source: .init(population: "A"), target: .init(population: "A"),
                                         rule: .allToAll, weight: .constant(1), delay: .constant(1))])
        XCTAssertEqual(estimatedMemoryBytes(of: spec), Int.max)
    }
}
