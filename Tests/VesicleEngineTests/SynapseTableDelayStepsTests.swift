import XCTest
@testable import VesicleEngine
import VesicleRandom

/// The build's delay bookkeeping (`SynapseTable+DelaySteps.swift`, `ConnectivityBuilder.delayStep`)
/// against the plain forms it replaced, written here: a stable comparison sort by (step, index), a
/// set of the steps, and `UInt16(min(max(x.rounded(), 1), 65535))`. Exact equality, seed 20261203.
final class SynapseTableDelayStepsTests: XCTestCase {
    /// Random rows (lengths 0-300, step spans 1, 3, 60 and 10 000, the last beyond the counting sort's
    /// span so that it takes the comparison sort), with and without per-synapse weights.
    func testCountingSortEqualsStableComparisonSort() {
        var rng = CounterKey(seed: 20261203, purpose: .connectivity, entity: 0, index: 0).stream(event: 0)
        for trial in 0..<200 {
            let rows = 1 + rng.index(below: 20)
            let span = [1, 3, 60, 10_000][trial % 4]
            let base = 1 + rng.index(below: 50)
            var rowStart = [0]
            var targets: [UInt32] = [], steps: [UInt16] = [], weights: [Float] = []
            for _ in 0..<rows {
                let n = rng.index(below: 300)
                for _ in 0..<n {
                    targets.append(UInt32(rng.index(below: 5000)))
                    steps.append(UInt16(base + rng.index(below: span)))
                    weights.append(Float(rng.uniform()))
                }
                rowStart.append(targets.count)
            }
            let withWeights = trial % 2 == 0
            var table = SynapseTable(rowStart: rowStart, targets: targets, uniformWeight: withWeights ? nil : 1,
                                     weights: withWeights ? weights : [], uniformDelay: nil, delaySteps: steps,
                                     delayResolution: 0.1)
            table.sortRowsByDelay()
            var expectedTargets: [UInt32] = [], expectedSteps: [UInt16] = [], expectedWeights: [Float] = []
            for r in 0..<rows {
                let order = (rowStart[r]..<rowStart[r + 1]).sorted { (steps[$0], $0) < (steps[$1], $1) }
                expectedTargets += order.map { targets[$0] }
                expectedSteps += order.map { steps[$0] }
                if withWeights { expectedWeights += order.map { weights[$0] } }
            }
            XCTAssertEqual(table.targets, expectedTargets, "trial \(trial)")
            XCTAssertEqual(table.delaySteps, expectedSteps, "trial \(trial)")
            XCTAssertEqual(table.weights, expectedWeights, "trial \(trial)")
            XCTAssertEqual(table.rowStart, rowStart)
            XCTAssertEqual(table.distinctDelaySteps, Set(steps).sorted(), "trial \(trial)")
        }
    }

    /// Every half-step boundary up to 70 000, the doubles next to each, and random values, negative
    /// and beyond the range: the same step as the rounding it replaced.
    func testDelayStepEqualsLibmRounding() {
        func reference(_ x: Double) -> UInt16 { UInt16(min(max(x.rounded(), 1), Double(UInt16.max))) }
        var values: [Double] = [-3, -0.5, 0, 0.25, 0.5, 0.75, 1, 1e-300, 65534.5, 65535, 65535.4, 65536, 1e9, .infinity]
        for k in 0..<70_000 {
            let half = Double(k) + 0.5
            values += [half, half.nextUp, half.nextDown, Double(k), Double(k).nextUp, Double(k).nextDown]
        }
        var rng = CounterKey(seed: 20261203, purpose: .delays, entity: 1, index: 0).stream(event: 0)
        for _ in 0..<100_000 { values.append(rng.uniform() * 70_000 - 10) }
        for x in values {
            XCTAssertEqual(ConnectivityBuilder.delayStep(x), reference(x), "x = \(x)")
        }
    }
}
