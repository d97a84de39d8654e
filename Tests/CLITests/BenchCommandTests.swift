// `vesicle bench brunel` ends with one JSON object holding every figure (docs/BENCHMARKS.md).

import Foundation
import XCTest

final class BenchCommandTests: CLITestCase {
    func testBrunelBenchmarkEndsWithAJSONLine() throws {
        let result = try vesicle("bench", "brunel", "--neurons", "500", "--duration", "50")
        let (last, object) = try lastJSONLine(of: result)
        for key in ["mean_rate_hz", "mean_cv", "fano", "simulate_wall_s", "bytes_per_synapse"] {
            XCTAssertNotNil(object[key], "no '\(key)' in \(last)")
        }
        let rate = try XCTUnwrap(object["mean_rate_hz"] as? Double)
        XCTAssertTrue(rate.isFinite && rate > 0, "regime C at N = 500 fires: \(rate) Hz")
        XCTAssertTrue(result.stdout.hasPrefix("machine: "), "the machine is printed first:\n\(result.stdout)")
        XCTAssertTrue(result.stdout.contains("command: vesicle bench brunel --neurons 500"), result.stdout)
    }

    /// `vesicle bench release` times every kernel the machine has and checks that they gave the same
    /// bits; it reports the portable loop always.
    func testReleaseBenchmarkComparesTheKernelsItChecked() throws {
        let result = try vesicle("bench", "release", "--rows", "20", "--rounds", "2")
        let (last, object) = try lastJSONLine(of: result)
        let portable = try XCTUnwrap(object["portable_ns_per_release"] as? Double, last)
        XCTAssertTrue(portable.isFinite && portable > 0, last)
        XCTAssertEqual(object["identical"] as? Int, 1, last)
        XCTAssertTrue(result.stdout.contains("identical bit for bit; selected: "), result.stdout)
    }

    /// A benchmark's last line, which must be one JSON object, after a successful exit.
    private func lastJSONLine(of result: CommandResult, file: StaticString = #filePath,
                              line: UInt = #line) throws -> (String, [String: Any]) {
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        let last = try XCTUnwrap(result.lastStdoutLine, file: file, line: line)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
                                   "last line is not a JSON object: \(last)", file: file, line: line)
        return (last, object)
    }
}
