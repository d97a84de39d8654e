// `vesicle check FILE --ranks R` prints the memory per rank (issue 16): each rank holds its own
// targets' share of the projections' synapses and of their build, and the rest whole
// (`MemoryEstimate(spec:ranks:)`); Bayesian projections that do not learn divide too, their rows'
// ordinals and row state stay whole; a learning one is built whole on every rank, and it says so.

import Foundation
import XCTest

final class CheckRanksTests: MPITestCase {
    func figure(after marker: String, in line: String) throws -> Double {
        let rest = try XCTUnwrap(line.range(of: marker).map { line[$0.upperBound...] }, line)
        return try XCTUnwrap(Double(rest.split(separator: " ")[0]), line)
    }

    func testCheckPrintsThePerRankEstimate() throws {
        let result = try run(["check", network("brunel_ai.vsl"), "--ranks", "4"], ranks: nil, timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, result.stdout)
        // "peak while running X MiB" on the first line is the one-process figure.
        let peak = try figure(after: "peak while running ", in: lines[0])
        XCTAssertTrue(lines[0].contains("peak while running \(String(format: "%.1f", peak)) MiB"), lines[0])
        let perRank = try figure(after: "on 4 ranks: ", in: lines[1])
        XCTAssertLessThan(perRank, peak / 2, "synapses and their build, most of Brunel's memory, divide by 4: \(lines[1])")
        XCTAssertTrue(lines[1].contains("each rank holds its own targets' synapses of 4 of 4 projections"), lines[1])
        XCTAssertEqual(try figure(after: "projections), ", in: lines[1]), perRank * 4, accuracy: 0.2, lines[1])
        let plain = try run(["check", network("brunel_ai.vsl")], ranks: nil, timeout: 60)
        XCTAssertEqual(plain.stdout.split(separator: "\n").count, 1, "without --ranks nothing more: \(plain.stdout)")
    }

    /// lif_exp neurons are held in part: 88 bytes each (state, asymptote, wake), half on each of 2 ranks.
    func testLIFExpNeuronStateDividesOverRanks() throws {
        let file = scratch.appendingPathComponent("lifexp.vsl").path
        try """
            neuron cell = lif_exp(tau_m = 10 ms, C_m = 250 pF, E_L = 0 mV, V_th = 15 mV, V_reset = 0 mV, t_ref = 2 ms)
            population X = 10000 cell { V_m = uniform(0 mV, 15 mV) }
            connect X -> X fixed_indegree(10) weight 30 pA delay 1 ms
            simulate 10 ms
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try run(["check", file, "--ranks", "2"], ranks: nil, timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, result.stdout)
        XCTAssertTrue(lines[1].contains("neuron state "), lines[1])
        XCTAssertEqual(try figure(after: "neuron state ", in: lines[1]), (10_000.0 * 88 / 2 / 1024 * 10).rounded() / 10,
                       accuracy: 0.05, lines[1])
    }

    func testBayesianProjectionsDivideOverRanks() throws {
        let mib = 1024.0 * 1024
        var perRank: [Int: Double] = [:]
        for ranks in [2, 3] {
            let result = try run(["check", network("brunel_bayesian.vsl"), "--ranks", "\(ranks)"], ranks: nil, timeout: 60)
            XCTAssertEqual(result.status, 0, result.stderr)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 2, "no projection is built whole: \(result.stdout)")
            XCTAssertTrue(lines[1].contains("each rank holds its own targets' synapses of 4 of 4 projections"), lines[1])
            perRank[ranks] = try figure(after: "on \(ranks) ranks: ", in: lines[1])
            // Every rank holds every row's ordinal (4 bytes, one delay), time and shared posterior
            // (16), three row starts (24) and its part's place in the whole rows (12 + 8): 64 bytes
            // for each of the 10 000 + 10 000 + 2 500 + 2 500 rows of the four projections.
            XCTAssertEqual(try figure(after: "Bayesian rows (ordinals, row state) ", in: lines[1]),
                           (25_000.0 * 64 / mib * 10).rounded() / 10, accuracy: 0.05, lines[1])
        }
        // What divides: the 15.625 million Bayesian synapses (12 bytes each) and their build's
        // transient, the 12 500 lif_delta neurons (64 bytes) and their drives (68 bytes); from 2 to 3
        // ranks each rank sheds a sixth of it. The synapses alone are 178.8 MiB.
        let shed = try XCTUnwrap(perRank[2]) - XCTUnwrap(perRank[3])
        XCTAssertGreaterThan(shed, (15_625_000.0 * 12 + 12_500 * (64 + 68)) / 6 / mib - 0.1, "\(perRank)")
        let learning = try run(["check", network("synaptic_filter_recurrent.vsl"), "--ranks", "2"], ranks: nil, timeout: 60)
        XCTAssertEqual(learning.status, 0, learning.stderr)
        XCTAssertTrue(learning.stdout.contains("built whole on every rank (learning Bayesian synapses are stepped by a learner over the whole table): "),
                      learning.stdout)
    }
}
