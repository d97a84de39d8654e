// A run interrupted with SIGINT stops at a clean point: its files are whole up to the time reached
// and its metadata says partial, with that time (issue 6, "Runs that never lose data").

import Foundation
import XCTest

final class InterruptTests: CLITestCase {
    /// Brunel regime C for 100 s would take minutes; it is interrupted once it is simulating.
    func testInterruptedRunIsMarkedPartialWithWholeFiles() throws {
        let out = scratch.appendingPathComponent("interrupted").path
        let running = try VesicleExecutable.start(
            ["run", network("brunel_ai.vsl"), "--duration", "100000", "--out", out, "--quiet"], scratch: scratch)
        // The recorder's files appear once the network is built and simulating starts.
        let deadline = Date().addingTimeInterval(180)
        func recordingStarted() -> Bool {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            return names.contains("metadata.json") && names.contains { $0 != "metadata.json" && !$0.hasPrefix(".vesicle") }
        }
        while running.process.isRunning, !recordingStarted(), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(running.process.isRunning, "the run ended before it could be interrupted")
        Thread.sleep(forTimeInterval: 1.5)
        running.process.interrupt()
        let result = try running.wait(timeout: 120)

        XCTAssertTrue(result.exitedNormally, "killed by signal \(result.status) instead of stopping cleanly:\n\(result.stderr)")
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stdout.contains("partial: SIGINT"), result.stdout)

        let metadata = try jsonObject(at: out + "/metadata.json")
        XCTAssertEqual(metadata["completed"] as? Bool, false)
        XCTAssertEqual(metadata["stop_reason"] as? String, "SIGINT")
        let reached = try XCTUnwrap(metadata["simulated_time_ms"] as? Double)
        XCTAssertGreaterThan(reached, 0)
        XCTAssertLessThan(reached, 100_100)

        // A signal stop finishes every file up to the time reached under its final name; the
        // metadata, not the file names, says the run is partial, and it lists exactly those files.
        let present = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted()
        let listed = try XCTUnwrap(metadata["files"] as? [String]).sorted()
        XCTAssertEqual(Set(present), Set(listed + ["metadata.json"]), "metadata lists \(listed), directory has \(present)")
        XCTAssertFalse(present.contains { $0.hasSuffix(".partial") }, "no unfinished file is left behind: \(present)")
        XCTAssertTrue(present.contains("spikes.csv"), "the spikes recorded so far are kept: \(present)")
        let rows = try spikeRows(out + "/spikes.csv", populations: ["E", "I"], until: reached)
        let counted = try XCTUnwrap(metadata["populations"] as? [[String: Any]]).compactMap { $0["spikes"] as? Int }
        XCTAssertEqual(counted.count, 2)
        XCTAssertEqual(rows, counted.reduce(0, +), "every spike the metadata counts is in the file, and no other")
    }

    /// Checks the header, then `population,neuron,time_ms` rows with known populations and
    /// nondecreasing times; returns the number of rows.
    func spikeRows(_ path: String, populations: Set<String>, until end: Double,
                   file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"), "the last row is whole", file: file, line: line)
        let rows = text.split(separator: "\n")
        XCTAssertEqual(rows.first, "population,neuron,time_ms", file: file, line: line)
        var previous = -Double.infinity
        for row in rows.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, let neuron = Int(fields[1]), let time = Double(fields[2]) else {
                XCTFail("malformed row '\(row)'", file: file, line: line)
                return rows.count - 1
            }
            XCTAssertTrue(populations.contains(String(fields[0])), String(row), file: file, line: line)
            XCTAssertGreaterThanOrEqual(neuron, 0, file: file, line: line)
            XCTAssertGreaterThanOrEqual(time, previous, "times are nondecreasing", file: file, line: line)
            XCTAssertLessThanOrEqual(time, end, "no spike after the time reached", file: file, line: line)
            previous = time
        }
        return rows.count - 1
    }
}
