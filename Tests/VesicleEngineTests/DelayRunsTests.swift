import XCTest
@testable import VesicleEngine

/// The delay-run table (`DeliveryPlan+DelayRuns.swift`) against the bisection it replaces
/// (`SynapseTable.range(in:delaySteps:)`): the same run of every row and member step.
final class DelayRunsTests: XCTestCase {
    /// Random rows (seeded), each sorted by step, with steps drawn from a few values, empty rows and
    /// steps absent from some rows included: every (row, step) run agrees with the bisection's.
    func testRunsAreTheBisectionsRuns() throws {
        var rng = TestRandom(state: 20261207)
        let memberSteps: [UInt16] = [1, 2, 5, 9, 10, 40]
        var rowStart = [0], targets: [UInt32] = [], delaySteps: [UInt16] = []
        for _ in 0..<500 {
            let n = Int(rng.next() % 30)
            var steps = (0..<n).map { _ in memberSteps[Int(rng.next() % UInt64(memberSteps.count))] }
            steps.sort()
            for st in steps { delaySteps.append(st); targets.append(UInt32(rng.next() % 1000)) }
            rowStart.append(delaySteps.count)
        }
        let table = SynapseTable(rowStart: rowStart, targets: targets, uniformWeight: 1, weights: [],
                                 uniformDelay: nil, delaySteps: delaySteps, delayResolution: 0.1)
        let runs = try XCTUnwrap(DeliveryPlan.delayRuns(of: table, steps: memberSteps))
        defer { runs.deallocate() }
        var checked = 0
        for row in 0..<table.sourceCount {
            for (c, st) in memberSteps.enumerated() {
                let whole = rowStart[row]..<rowStart[row + 1]
                let expected = SynapseTable.range(in: whole, delaySteps: st) { delaySteps[$0] }
                let got = runs.run(c, row: row, rowStart: rowStart[row])
                // An empty run may sit anywhere between its neighbours; only its emptiness matters.
                if expected.isEmpty { XCTAssertTrue(got.isEmpty, "row \(row) step \(st)") } else { XCTAssertEqual(got, expected, "row \(row) step \(st)") }
                checked += expected.count
            }
        }
        XCTAssertEqual(checked, delaySteps.count, "every synapse lies in exactly one run")
    }

    /// A synapse whose step no member delivers, or a uniform delay: no table (the bisection stays).
    func testNoRunsWhenAStepIsNotAMembersOrTheDelayIsUniform() {
        let table = SynapseTable(rowStart: [0, 3], targets: [0, 1, 2], uniformWeight: 1, weights: [],
                                 uniformDelay: nil, delaySteps: [1, 3, 4], delayResolution: 0.1)
        XCTAssertNil(DeliveryPlan.delayRuns(of: table, steps: [1, 4]))
        XCTAssertNotNil(DeliveryPlan.delayRuns(of: table, steps: [1, 3, 4]).map { $0.deallocate(); return 1 })
        let uniform = SynapseTable(rowStart: [0, 2], targets: [0, 1], uniformWeight: 1, weights: [],
                                   uniformDelay: 1, delaySteps: [], delayResolution: 0.1)
        XCTAssertNil(DeliveryPlan.delayRuns(of: uniform, steps: [10]))
    }
}
