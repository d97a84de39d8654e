// A misspelt unit after a number is an unknown unit at the word, with the symbol meant, wherever a
// number stands: inside an argument list, a clause, a record interval, the simulated time (issue 15).

import XCTest
@testable import VesicleDSL

final class UnknownUnitTests: XCTestCase {
    private func firstError(_ source: String) -> Diagnostic? {
        errors(compile(source).diagnostics).first
    }

    func testMisspeltUnitsAreNamedWhereverANumberStands() throws {
        let cases: [(source: String, word: String, meant: String, line: Int, column: Int)] = [
            ("population E = 10 lif_delta(tau_m = 20 msec)\nrecord spikes E\nsimulate 10 ms\n", "msec", "ms", 1, 40),
            ("population E = 10 lif_delta()\ninput x = poisson(rate = 20 hz) -> E weight 0.1 mV\nrecord spikes E\nsimulate 10 ms\n", "hz", "Hz", 2, 29),
            ("population E = 10 lif_delta()\nrecord membrane E every 0.1 sec\nsimulate 10 ms\n", "sec", "s", 2, 29),
            ("population E = 10 lif_delta()\nrecord spikes E\nsimulate 10 seconds\n", "seconds", "s", 3, 13),
            ("population E = 10 lif_delta()\nconnect E -> E fixed_indegree(2) weight 0.1 MV delay 1 ms\nrecord spikes E\nsimulate 10 ms\n", "MV", "mV", 2, 45),
        ]
        for c in cases {
            let error = try XCTUnwrap(firstError(c.source), c.source)
            XCTAssertEqual(error.message, "unknown unit '\(c.word)'", c.source)
            XCTAssertEqual(error.suggestion, c.meant, c.source)
            XCTAssertEqual(error.line, c.line, c.source)
            XCTAssertEqual(error.column, c.column, c.source)
        }
    }

    /// A declared name after a number is the name, even when it reads like a unit.
    func testADeclaredNameIsNeverTakenForAUnit() {
        XCTAssertNotNil(cleanSpec("neuron sec = lif_delta()\npopulation E = 10 sec\nrecord spikes E\nsimulate 10 ms\n"))
    }
}
