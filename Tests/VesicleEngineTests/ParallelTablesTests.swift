import XCTest
@testable import VesicleEngine
import VesicleModel

/// The synapse tables built on several threads (`NetworkBuilder+ParallelTables.swift`) against the
/// one-thread build: every projection's rows, targets, weights and delays equal, element for element,
/// and a failure reported as the one-thread build reports it.
final class ParallelTablesTests: XCTestCase {
    private static func spec(badLast: Bool = false) -> NetworkSpec {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 20, reset: 10, refractory: 2)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 10, seed: 31))
        spec.populations = [
            PopulationSpec(name: "E", size: 400, model: .lifDelta(p)),
            PopulationSpec(name: "I", size: 100, model: .lifDelta(p)),
        ]
        // Four rules, random weights and per-synapse delays, of different sizes (the threads take
        // them in turn from the cursor).
        spec.projections = [
            ProjectionSpec(name: "EE", source: .init(population: "E"), target: .init(population: "E"),
                           rule: .fixedIndegree(40), weight: .normal(mean: 0.3, sd: 0.1, clipToSign: .positive),
                           delay: .uniform(low: 1, high: 3)),
            ProjectionSpec(name: "EI", source: .init(population: "E"), target: .init(population: "I"),
                           rule: .fixedTotalNumber(5000), weight: .uniform(low: 0.1, high: 0.5), delay: .constant(1.5)),
            ProjectionSpec(name: "IE", source: .init(population: "I"), target: .init(population: "E"),
                           rule: .pairwiseBernoulli(0.2), weight: .constant(-1.2), delay: .normal(mean: 1.5, sd: 0.5, clipToSign: .positive)),
            ProjectionSpec(name: "II", source: .init(population: "I"), target: .init(population: "I"),
                           rule: .fixedOutdegree(10), weight: badLast ? .normal(mean: -100, sd: 0.1, clipToSign: .positive) : .constant(-1),
                           delay: .constant(1)),
        ]
        return spec
    }

    func testTablesOnThreeThreadsAreTheOneThreadTables() throws {
        let one = try NetworkBuilder.build(Self.spec(), buildThreads: 1)
        let three = try NetworkBuilder.build(Self.spec(), buildThreads: 3)
        XCTAssertEqual(one.projections.count, 4)
        for (a, b) in zip(one.projections, three.projections) {
            XCTAssertGreaterThan(a.synapses.synapseCount, 0, a.name)
            XCTAssertEqual(a.synapses.rowStart, b.synapses.rowStart, a.name)
            XCTAssertEqual(a.synapses.targets, b.synapses.targets, a.name)
            XCTAssertEqual(a.synapses.weights, b.synapses.weights, a.name)
            XCTAssertEqual(a.synapses.uniformWeight, b.synapses.uniformWeight, a.name)
            XCTAssertEqual(a.synapses.delaySteps, b.synapses.delaySteps, a.name)
            XCTAssertEqual(a.synapses.uniformDelay, b.synapses.uniformDelay, a.name)
        }
    }

    /// A projection whose weights cannot be drawn (a normal clipped to a sign it cannot reach): the
    /// same error on three threads as on one.
    func testAFailureIsTheOneThreadFailure() {
        var errors: [String] = []
        for threads in [1, 3] {
            XCTAssertThrowsError(try NetworkBuilder.build(Self.spec(badLast: true), buildThreads: threads)) { errors.append("\($0)") }
        }
        XCTAssertEqual(errors.count, 2)
        XCTAssertEqual(errors.first, errors.last)
        XCTAssertTrue(errors.first?.contains("II") == true, errors.first ?? "")
    }
}
