// The rank spans rank 0 merges a checkpoint from (VesicleModel/CheckpointCoding+Ranks.swift; docs/
// CHECKPOINT.md, On ranks): a scattered list is every rank's elements at their indices, a rank
// maximum each element's largest, and a scattered list that two ranks both hold an element of, or
// that leaves one unheld, is refused. The merged bytes are compared with a one-process encoder's.

import VesicleModel
import XCTest

final class CheckpointRankSpanTests: XCTestCase {
    /// Rank r's encoder: a plain int, a scattered list of 7 Floats (rank 0 holds 0, 1 and 5; rank 1
    /// 2 ... 4 and 6; `runs` overrides rank 1's runs), a maximum of 3 UInt32 and of 2 Doubles, a plain tail.
    func encoder(rank: Int, runs: [(start: Int, length: Int)]? = nil) -> CheckpointEncoder {
        var e = CheckpointEncoder()
        e.int(42)
        e.int(7)
        let mine: [(start: Int, length: Int)] = rank == 0 ? [(0, 2), (5, 1)] : (runs ?? [(2, 3), (6, 1)])
        e.rankScattered(count: 7, width: 4, runs: mine) { e in
            for run in mine { for i in run.start..<(run.start + run.length) { e.u32(Float(i * 10 + 1).bitPattern) } }
        }
        e.rankMaximum(width: 4) { e in
            for v: UInt32 in rank == 0 ? [5, 0, 0x1_0000] : [3, 9, 0xFFFF] { e.u32(v) }
        }
        e.rankMaximum(width: 8) { e in
            for v in rank == 0 ? [2.5, 0.0] : [1.0, 1e-300] { e.double(v) }
        }
        e.string("end")
        return e
    }

    func testScatteredListsAndMaximaMergeIntoTheOneProcessBytes() throws {
        var one = CheckpointEncoder()
        one.int(42)
        one.floats((0..<7).map { Float($0 * 10 + 1) })
        for v: UInt32 in [5, 9, 0x1_0000] { one.u32(v) }
        one.double(2.5)
        one.double(1e-300)
        one.string("end")
        let merged = try CheckpointEncoder.mergingRanks(root: encoder(rank: 0), contributions: [encoder(rank: 1).rankContribution()])
        XCTAssertEqual(merged, one.bytes)
    }

    func testScatteredListsHeldTwiceOrNotAtAllAreRefused() {
        for (runs, reason) in [([(1, 4), (6, 1)], "held by two ranks"), ([(3, 2), (6, 1)], "held by no rank")] as [([(start: Int, length: Int)], String)] {
            XCTAssertThrowsError(try CheckpointEncoder.mergingRanks(root: encoder(rank: 0),
                                                                   contributions: [encoder(rank: 1, runs: runs).rankContribution()])) {
                XCTAssertTrue("\($0)".contains(reason), "\($0)")
            }
        }
    }
}
