// `vesicle bench microcircuit` finds Networks/microcircuit.vsl from the executable, scales it, and
// ends with one JSON object holding every figure (docs/BENCHMARKS.md §2b).

import Foundation
import XCTest

final class BenchMicrocircuitTests: CLITestCase {
    func testMicrocircuitBenchmarkReportsEveryPopulation() throws {
        // 1 % of the neurons (772) with full in-degrees: about 3e6 synapses, seconds to build and run.
        let result = try vesicle("bench", "microcircuit", "--scale", "0.01", "--warmup", "20ms", "--duration", "0.03s", timeout: 300)
        XCTAssertEqual(result.status, 0, result.stderr + result.stdout)
        let last = try XCTUnwrap(result.lastStdoutLine)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], last)
        XCTAssertEqual(object["neurons"] as? Int, [207, 58, 219, 55, 48, 11, 144, 29].reduce(0, +), last)
        for key in ["build_s", "simulate_wall_s", "realtime_factor", "recurrent_events", "background_events",
                    "peak_rss_bytes", "bytes_per_synapse", "rate_L23E_hz", "rate_L6I_hz", "cv_L5E"] {
            XCTAssertNotNil(object[key], "no '\(key)' in \(last)")
        }
        XCTAssertGreaterThan(object["background_events"] as? Int ?? 0, 0, last)
        XCTAssertTrue(result.stdout.contains("command: vesicle bench microcircuit --scale 0.01"), result.stdout)
        XCTAssertTrue(result.stdout.contains("L23E"), result.stdout)
        XCTAssertTrue(result.stdout.contains("--duration 30ms --warmup 20ms"), result.stdout)
    }

    /// Times carry units; a wrong unit or a negative time is refused before anything is built.
    func testMicrocircuitBenchmarkRefusesTimesWithoutAUnitItKnows() throws {
        let unit = try vesicle("bench", "microcircuit", "--duration", "5sec")
        XCTAssertNotEqual(unit.status, 0)
        XCTAssertTrue(unit.stderr.contains("'sec' is not a unit of time"), unit.stderr)
        let negative = try vesicle("bench", "microcircuit", "--warmup", "-1ms")
        XCTAssertNotEqual(negative.status, 0)
        XCTAssertTrue(negative.stderr.contains("--warmup -1ms is out of range"), negative.stderr)
    }
}
