// `vesicle check FILE --ranks R` prints the memory per rank (issue 16): today the whole network's peak
// on every rank and R times it on one machine; the per-target figure below the whole.

import Foundation
import XCTest

final class CheckRanksTests: MPITestCase {
    func testCheckPrintsThePerRankEstimate() throws {
        let result = try run(["check", network("brunel_ai.vsl"), "--ranks", "4"], ranks: nil, timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stdout)
        // "peak while running X MiB" on the first line is the "now" figure per rank.
        func figure(after marker: String, in line: String) throws -> Double {
            let rest = try XCTUnwrap(line.range(of: marker).map { line[$0.upperBound...] }, line)
            return try XCTUnwrap(Double(rest.split(separator: " ")[0]), line)
        }
        let peak = try figure(after: "peak while running ", in: lines[0])
        XCTAssertTrue(lines[0].contains("peak while running \(String(format: "%.1f", peak)) MiB"), lines[0])
        XCTAssertEqual(try figure(after: "on 4 ranks: ", in: lines[1]), peak, lines[1])
        XCTAssertEqual(try figure(after: "per rank now (each rank builds the whole network until connectivity is built per target), ", in: lines[1]),
                       peak * 4, accuracy: 0.2, lines[1])
        let perTarget = try figure(after: "with a per-target build: about ", in: lines[2])
        XCTAssertLessThan(perTarget, peak / 2, "synapses and their build, most of Brunel's memory, divide by 4: \(lines[2])")
        let plain = try run(["check", network("brunel_ai.vsl")], ranks: nil, timeout: 60)
        XCTAssertEqual(plain.stdout.split(separator: "\n").count, 1, "without --ranks nothing more: \(plain.stdout)")
    }
}
