// The rank benchmarks are commands that print their figures and a JSON line last (issue 16,
// Performance): `bench weak` under mpirun (every rank the same neurons and synapses) and
// `bench microcircuit` under mpirun (one rank against R in the same processes, spikes compared).
// Small sizes: these check the commands' figures and their invariants, never a time.

import Foundation
import XCTest

final class RankBenchTests: MPITestCase {
    func json(_ stdout: String) throws -> [String: Any] {
        let last = try XCTUnwrap(stdout.split(separator: "\n").last, stdout)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], String(last))
    }

    /// 2 ranks of 400 neurons: the network has 800, with the in-degrees of 400 (C_E = 32, C_I = 8),
    /// so 800 x 40 synapses; each rank reports its own figures and memory.
    func testWeakScalingKeepsTheWorkPerRank() throws {
        let result = try run(["bench", "weak", "--per-rank", "400", "--duration", "20ms"], ranks: 2)
        XCTAssertEqual(result.status, 0, result.stderr)
        let figures = try json(result.stdout)
        XCTAssertEqual(figures["benchmark"] as? String, "weak_scaling")
        XCTAssertEqual(figures["ranks"] as? Int, 2)
        XCTAssertEqual(figures["neurons"] as? Int, 800)
        XCTAssertEqual(figures["synapses"] as? Int, 800 * (32 + 8))
        for r in 0..<2 {
            XCTAssertGreaterThan(figures["rank\(r)_peak_rss_bytes"] as? Int ?? 0, 1 << 20, "rank \(r)")
            XCTAssertNotNil(figures["rank\(r)_wait_us_per_window"] as? Double, "rank \(r)")
        }
        XCTAssertTrue(result.stdout.contains("rank 1: per window compute"), result.stdout)
    }

    /// The microcircuit at scale 0.003 on 2 ranks: the one-rank and two-rank spikes are the same.
    func testMicrocircuitBenchOnRanksComparesWithOneRank() throws {
        let result = try run(["bench", "microcircuit", "--scale", "0.003", "--duration", "20ms", "--warmup", "5ms",
                              "--network", network("microcircuit.vsl")], ranks: 2)
        XCTAssertEqual(result.status, 0, result.stderr)
        let figures = try json(result.stdout)
        XCTAssertEqual(figures["benchmark"] as? String, "microcircuit_ranks")
        XCTAssertEqual(figures["identical_spikes"] as? Int, 1, result.stdout)
        XCTAssertEqual(figures["windows"] as? Int, 200, "20 ms of 0.1 ms windows")
        XCTAssertNotNil(figures["rank1_exchange_us_per_window"] as? Double)
    }
}
