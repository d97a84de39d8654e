// Runs the built `vesicle` executable in a child process, the way a user's shell does.

import Foundation
import XCTest

/// The outcome of one `vesicle` invocation.
struct CommandResult {
    var status: Int32
    /// `.exit` for a normal exit; `.uncaughtSignal` means the tool crashed or was killed.
    var reason: Process.TerminationReason
    var stdout: String
    var stderr: String

    var exitedNormally: Bool { reason == .exit }
    var lastStdoutLine: String? { stdout.split(separator: "\n").last.map(String.init) }
}

enum VesicleExecutable {
    /// The repository root, from this file's location (Tests/CLITests/).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let networks = repository.appendingPathComponent("Networks")

    /// `.build/<config>/vesicle`, next to the test bundle: `swift build --build-tests` builds the
    /// executable along with the tests (Tools/test does that).
    static func url() throws -> URL {
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("vesicle")]
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("vesicle"))
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("vesicle"))
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw MissingExecutable(searched: candidates.map(\.path))
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the vesicle executable is not built; run `swift build --build-tests` (or Tools/test) first. Looked for: "
                + searched.joined(separator: ", ")
        }
    }

    /// Starts `vesicle arguments` with stdout and stderr going to files in `scratch`.
    static func start(_ arguments: [String], scratch: URL) throws -> RunningCommand {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.currentDirectoryURL = scratch
        let token = UUID().uuidString
        let out = scratch.appendingPathComponent(".stdout-\(token)")
        let err = scratch.appendingPathComponent(".stderr-\(token)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningCommand(process: process, stdoutFile: out, stderrFile: err)
    }

    /// Runs `vesicle arguments` to its end (or fails the test after `timeout` seconds).
    static func run(_ arguments: [String], scratch: URL, timeout: TimeInterval = 120,
                    file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        try start(arguments, scratch: scratch).wait(timeout: timeout, file: file, line: line)
    }
}

/// A `vesicle` child process that is still running.
struct RunningCommand {
    let process: Process
    let stdoutFile: URL
    let stderrFile: URL

    /// Waits for the process; if it outlives `timeout`, kills it and fails the test.
    func wait(timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("vesicle \(process.arguments ?? []) did not finish within \(timeout) s", file: file, line: line)
        }
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: stdoutFile)
            try? FileManager.default.removeItem(at: stderrFile)
        }
        return CommandResult(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
    }
}

/// A fresh temporary directory per test, removed afterwards.
class CLITestCase: XCTestCase {
    private(set) var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vesicle-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        _ = try VesicleExecutable.url()
    }

    override func tearDownWithError() throws {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    func vesicle(_ arguments: String..., timeout: TimeInterval = 120, file: StaticString = #filePath,
                 line: UInt = #line) throws -> CommandResult {
        try VesicleExecutable.run(arguments, scratch: scratch, timeout: timeout, file: file, line: line)
    }

    func network(_ name: String) -> String { VesicleExecutable.networks.appendingPathComponent(name).path }

    /// Reads a JSON object file.
    func jsonObject(at path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(path) is not a JSON object",
                             file: file, line: line)
    }
}
