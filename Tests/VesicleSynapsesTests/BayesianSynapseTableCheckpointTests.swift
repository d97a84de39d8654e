import Foundation
import VesicleModel
import VesicleRandom
@testable import VesicleSynapses
import XCTest

/// BayesianSynapseTable+Checkpoint.swift against the layout docs/CHECKPOINT.md gives a Bayesian table,
/// written here field by field with the encoder's list writers; and a rank's `encodePart` holding the
/// whole table, merged alone, against the one-process `encode`. Tables with and without shared row
/// posteriors, rows relaxed to different times, one row empty.
final class BayesianSynapseTableCheckpointTests: XCTestCase {
    func table(shared: Bool) throws -> BayesianSynapseTable<Float> {
        let prior = try OrnsteinUhlenbeckPrior(mean: -0.669, variance: 0.07448, tau: 1_000)
        var rng = RandomStream(seed: 53, purpose: .posteriorInit)
        let initial = (0..<10).map { _ in shared ? -0.5 : -0.669 * (1 + rng.normal()) }
        let table = try BayesianSynapseTable<Float>(rowOffsets: [0, 3, 3, 7, 10], prior: prior, link: .log, release: .mean,
                                                    initialMean: initial, initialVariance: 0.2)
        table.bringRow(0, to: 12.5)
        table.bringRow(3, to: 40)
        return table
    }

    /// Row count; means and variances (count, Float32s); row times (count, Doubles); whether rows share
    /// one posterior; the shared posteriors (count, Float32s; none when not shared).
    func documentedLayout(_ t: BayesianSynapseTable<Float>) -> [UInt8] {
        var e = CheckpointEncoder()
        e.int(t.rowCount)
        e.floats(t.mu)
        e.floats(t.sigma2)
        e.doubles(t.rowTime)
        e.bool(t.rowsShareOnePosterior)
        e.floats(t.rowsShareOnePosterior ? Array(UnsafeBufferPointer(start: t.storedRowPosterior, count: 2 * t.rowCount)) : [])
        return e.bytes
    }

    func testEncodeWritesTheDocumentedLayout() throws {
        for shared in [false, true] {
            let t = try table(shared: shared)
            XCTAssertEqual(t.rowsShareOnePosterior, shared)
            var encoder = CheckpointEncoder()
            t.encode(into: &encoder)
            XCTAssertEqual(encoder.bytes, documentedLayout(t), "shared \(shared)")
            XCTAssertEqual(encoder.rankSpans, [], "shared \(shared)")
        }
    }

    func testWholeTableAsOneRanksPartMergesIntoTheOneProcessEncoding() throws {
        for shared in [false, true] {
            let t = try table(shared: shared)
            var whole = CheckpointEncoder()
            t.encode(into: &whole)
            var part = CheckpointEncoder()
            t.encodePart(into: &part, wholeSynapseCount: t.synapseCount, runs: [(0, t.synapseCount)],
                         ownedRows: [(0, t.rowCount)])
            XCTAssertEqual(part.rankSpans.count, shared ? 4 : 3, "shared \(shared)")
            XCTAssertEqual(try CheckpointEncoder.mergingRanks(root: part, contributions: []), whole.bytes, "shared \(shared)")
        }
    }
}
