// Runs the built `vesicle` on hostile inputs as bounded subprocesses: every child runs under
// `timeout` (a hang fails the test instead of the suite) and `ulimit -v` (a runaway allocation
// fails inside the child, not on the machine). Like Tests/CLITests it depends on no module: it
// tests the tool a user runs (build it with `swift build --build-tests`).

import Foundation
import XCTest

struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The child ran out of its time bound (`timeout` exits with 124, or 137 after its KILL).
    var timedOut: Bool { status == 124 || status == 137 }
}

enum Tool {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/<config>/vesicle`, next to the test bundle.
    static func executable() throws -> String {
        var candidates: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("vesicle"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("vesicle"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found.path
        }
        throw XCTSkip("the vesicle executable is not built next to the tests; run `swift build --build-tests` first")
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

class HostileInputTestCase: XCTestCase {
    private(set) var scratch: URL!
    /// Virtual memory each child may map, KiB (Swift reserves address space generously).
    let virtualMemoryKiB = 8 * 1024 * 1024

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vesicle-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        _ = try Tool.executable()
    }

    override func tearDownWithError() throws {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// Writes `text` to `name` in the scratch directory; returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let path = scratch.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A shell line run in the scratch directory under `timeout` and `ulimit -v`.
    func shell(_ line: String, seconds: Int = 20) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(virtualMemoryKiB); " + line]
        process.currentDirectoryURL = scratch
        let out = scratch.appendingPathComponent(".out-\(UUID().uuidString)")
        let err = scratch.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(Double(seconds) + 10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        return Outcome(status: process.terminationStatus,
                       stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// `vesicle arguments...` under `timeout seconds`.
    func vesicle(_ arguments: [String], seconds: Int = 20) throws -> Outcome {
        let line = "exec timeout -k 2 \(seconds) " + ([try Tool.executable()] + arguments).map(Tool.quote).joined(separator: " ")
        return try shell(line, seconds: seconds)
    }

    /// Exit status 1 (or `status`), no timeout, and an error line `file:line:column: error:`.
    func assertLocatedError(_ outcome: Outcome, file path: String, line: Int? = nil, status: Int32 = 1,
                            contains text: String? = nil, file: StaticString = #filePath, lineNumber: UInt = #line) {
        XCTAssertFalse(outcome.timedOut, "timed out: \(outcome.stderr)", file: file, line: lineNumber)
        XCTAssertEqual(outcome.status, status, outcome.stderr + outcome.stdout, file: file, line: lineNumber)
        let prefix = line.map { "\(path):\($0):" } ?? "\(path):"
        XCTAssertTrue(outcome.stderr.contains(prefix) && outcome.stderr.contains("error:"),
                      "no located error at \(prefix): \(outcome.stderr)", file: file, line: lineNumber)
        if let text { XCTAssertTrue(outcome.stderr.contains(text), "'\(text)' not in: \(outcome.stderr)", file: file, line: lineNumber) }
    }

    /// A run directory holds no file that looks complete while metadata.json says it is not,
    /// and no `.partial` file next to a metadata.json that says complete.
    func assertNothingLooksComplete(_ directory: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard names.contains("metadata.json") else {
            XCTAssertFalse(names.contains { !$0.hasPrefix(".") && !$0.hasSuffix(".partial") },
                           "files without metadata: \(names)", file: file, line: line)
            return
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/metadata.json"))
        let metadata = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], file: file, line: line)
        if metadata["completed"] as? Bool == true {
            XCTAssertFalse(names.contains { $0.hasSuffix(".partial") }, "complete run with partial files: \(names)", file: file, line: line)
        }
    }

    /// A small network file, `body` appended to a 100-neuron base.
    static let base = """
        neuron lif = lif_delta(tau_m = 20 ms, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
        population E = 100 lif

        """
}
