import XCTest
import VesicleModel
@testable import VesicleEngine

/// The split table (`DeliveryPlan.PartitionSplits`, DeliveryPlan+PartitionSplits.swift): where each
/// local partition's targets start in every row part, computed once, which deliveries read instead of
/// bisecting. Each entry is checked against an independent count, the number of synapses of the part
/// whose target lies below the partition's first neuron (the rows ascend by target within a delay).
final class PartitionSplitsTests: XCTestCase {
    /// Brunel regime C, N = 1000, seed 3, with its E rows' delays uniform on 1..1.3 ms (four delay
    /// steps: several parts per row, each delay a member of its own) and the I rows' one delay; 2, 3
    /// and 7 partitions, and the local partitions of an MPI rank (1..<3 of 5, 4..<6 of 6). Every
    /// entry equals the count; on 2 partitions the I rows and the E->E delay parts must hold tables
    /// (else the check would compare nothing).
    func testSplitsAreTheCountOfTargetsBelowEachPartition() throws {
        var spec = ReferenceNetworks.brunel(regime: .C, neurons: 1000, seed: 3, duration: 10, warmup: 0)
        for k in spec.projections.indices where spec.projections[k].source.population == "E" {
            spec.projections[k].delay = .uniform(low: 1, high: 1.3)
        }
        let network = try NetworkBuilder.build(spec)
        let limits = [Int?](repeating: nil, count: network.projections.count)
        for (count, local) in [(2, 0..<2), (3, 0..<3), (7, 0..<7), (5, 1..<3), (6, 4..<6)] {
            let plan = DeliveryPlan(network: network, partitions: count, local: local, releaseLogLimit: limits)
            var tables = 0, delayParts = 0, checked = 0
            for p in network.delayClasses.indices {
                for c in network.delayClasses[p].indices {
                    let members = plan.members(population: p, delayClass: c)
                    for m in members.indices {
                        guard let splits = members[m].splits else { continue }
                        tables += 1
                        let member = members[m]
                        if member.steps != nil { delayParts += 1 }
                        XCTAssertEqual(splits.boundaries, max(1, local.lowerBound)..<min(count, local.upperBound + 1))
                        let rows = network.projections[member.projection].synapses.sourceCount
                        for row in 0..<rows {
                            let part = member.synapses(ofRow: row)
                            for b in splits.boundaries {
                                let first = plan.partition(b, of: member.targetPopulation).lowerBound
                                let below = part.filter { Int(member.targets[$0]) < first }.count
                                XCTAssertEqual(splits.start(row: row, boundary: b), below, "P = \(count), row \(row), boundary \(b)")
                                checked += 1
                            }
                        }
                    }
                }
            }
            if count == 2 {
                XCTAssertGreaterThanOrEqual(tables, 5, "2 partitions: I->E, I->I and E->E's delay parts have tables")
                XCTAssertGreaterThanOrEqual(delayParts, 3)
                XCTAssertGreaterThan(checked, 1000)
            }
        }
    }

    /// A table is not built where it would exceed an eighth of the member's target indices: Brunel
    /// with N = 100 (rows of about 8 and 2 synapses) on 7 partitions, 6 boundaries of 4 bytes a row
    /// against 4 bytes a target, bisects.
    func testShortRowsOnManyPartitionsBisect() throws {
        let spec = ReferenceNetworks.brunel(regime: .C, neurons: 100, seed: 3, duration: 10, warmup: 0)
        let network = try NetworkBuilder.build(spec)
        let limits = [Int?](repeating: nil, count: network.projections.count)
        let plan = DeliveryPlan(network: network, partitions: 7, releaseLogLimit: limits)
        for p in network.delayClasses.indices {
            for c in network.delayClasses[p].indices {
                for member in plan.members(population: p, delayClass: c) { XCTAssertNil(member.splits) }
            }
        }
    }
}
