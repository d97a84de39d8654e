// `vesicle check FILE --ranks R` prints the memory per rank (issue 16): each rank holds its own
// targets' share of the static projections' synapses and of their build, and the rest whole
// (`MemoryEstimate(spec:ranks:)`); Bayesian projections are built whole on every rank, and it says so.

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

    func testBayesianProjectionsAreWholeOnEveryRank() throws {
        let result = try run(["check", network("brunel_bayesian.vsl"), "--ranks", "2"], ranks: nil, timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stdout)
        let peak = try figure(after: "peak while running ", in: lines[0])
        // Every synapse is Bayesian, so no synapse divides; the 12 500 lif_delta neurons (64 bytes
        // each) and their one Poisson drive each (68 bytes) do, and Open MPI adds its 6 MiB.
        let mib = 1024.0 * 1024
        let expected = peak + 6 - 12_500.0 * (64 + 68) / 2 / mib
        XCTAssertEqual(try figure(after: "on 2 ranks: ", in: lines[1]), expected, accuracy: 0.06,
                       "nothing but the neurons and drives divides: \(lines[1])")
        XCTAssertTrue(lines[2].hasPrefix("  built whole on every rank (Bayesian synapses release from per-row streams every rank draws in full): "), lines[2])
    }
}
