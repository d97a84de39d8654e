// `vesicle check FILE...` as a user runs it: exit status and rendered diagnostics (issue 3).

import Foundation
import XCTest

final class CheckCommandTests: CLITestCase {
    func testEveryNetworkFileChecksClean() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: VesicleExecutable.networks.path)
            .filter { $0.hasSuffix(".vsl") }.sorted()
        XCTAssertFalse(files.isEmpty)
        let result = try VesicleExecutable.run(["check"] + files.map(network), scratch: scratch)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.exitedNormally)
        XCTAssertFalse(result.stderr.contains("error:"), result.stderr)
        for file in files {
            XCTAssertTrue(result.stdout.contains("\(network(file)): ok:"), "\(file) not reported clean:\n\(result.stdout)")
        }
    }

    /// A newcomer's typo in Networks/brunel_ai.vsl: the error points at it and says what was meant.
    func testTypoIsLocatedWithSourceLineCaretAndSuggestion() throws {
        let original = try String(contentsOfFile: network("brunel_ai.vsl"), encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        let lineIndex = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("connect E -> E, I fixed_indegree(C_E)") })
        lines[lineIndex] = lines[lineIndex].replacingOccurrences(of: "fixed_indegree(C_E)", with: "fixed_indegree(C_e)")
        let column = try XCTUnwrap(lines[lineIndex].range(of: "C_e")).lowerBound.utf16Offset(in: lines[lineIndex]) + 1
        let path = scratch.appendingPathComponent("brunel_typo.vsl").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let result = try vesicle("check", path)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.exitedNormally)
        let stderr = result.stderr.components(separatedBy: "\n")
        let header = "\(path):\(lineIndex + 1):\(column): error: "
        let at = try XCTUnwrap(stderr.firstIndex { $0.hasPrefix(header) }, "no '\(header)' in:\n\(result.stderr)")
        XCTAssertTrue(stderr[at].contains("C_e"), stderr[at])
        XCTAssertEqual(stderr[at + 1], lines[lineIndex], "the source line follows the header")
        XCTAssertEqual(stderr[at + 2], String(repeating: " ", count: column - 1) + "^~~", "the caret underlines 'C_e'")
        XCTAssertTrue(result.stderr.contains("did you mean 'C_E'"), result.stderr)
        XCTAssertFalse(result.stdout.contains(": ok:"))
    }

    func testIndependentErrorsAreAllReported() throws {
        var text = try String(contentsOfFile: network("brunel_ai.vsl"), encoding: .utf8)
        text = text.replacingOccurrences(of: "fixed_indegree(C_E)", with: "fixed_indegree(C_e)")
            .replacingOccurrences(of: "let tau_m = 20 ms", with: "let tau_m = 20 ms + 1 mV")
            .replacingOccurrences(of: "V_reset = 10 mV", with: "V_rest = 10 mV")
            .replacingOccurrences(of: "record spikes E, I", with: "record spikes E, Inh")
        let path = scratch.appendingPathComponent("many_errors.vsl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        let result = try vesicle("check", path)
        XCTAssertEqual(result.status, 1)
        let headers = result.stderr.components(separatedBy: "\n").filter { $0.hasPrefix(path + ":") && $0.contains(": error: ") }
        let lineNumbers = Set(headers.compactMap { Int($0.dropFirst(path.count + 1).prefix { $0 != ":" }) })
        XCTAssertGreaterThanOrEqual(lineNumbers.count, 4, "four independent errors on four lines:\n\(result.stderr)")
        for fragment in ["C_e", "cannot add", "V_rest", "Inh"] {
            XCTAssertTrue(headers.contains { $0.contains(fragment) }, "no error about \(fragment):\n\(result.stderr)")
        }
    }

    func testCleanAndBrokenFilesTogetherExitOne() throws {
        let broken = scratch.appendingPathComponent("broken.vsl").path
        try "population E = 10 lif_delta\nrecord spikes E\nsimulate 10 mV\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let result = try vesicle("check", network("single_neuron.vsl"), broken)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("single_neuron.vsl: ok:"), result.stdout)
        XCTAssertTrue(result.stderr.contains("\(broken):3:10: error: "), result.stderr)
    }
}
