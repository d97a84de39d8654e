// Runs the built `vesicle` under `mpirun` (Open MPI), as a user would (README, Running on ranks).
// Depends on no module: the tests see only the command line and the files it writes.

import Foundation
import XCTest

struct RankResult {
    var status: Int32
    var reason: Process.TerminationReason
    var stdout: String
    var stderr: String
    /// Seconds from launch to exit.
    var seconds: Double
}

class MPITestCase: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vesicle-mpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func network(_ name: String) -> String { Self.repository.appendingPathComponent("Networks/\(name)").path }

    /// `.build/<config>/vesicle`, next to the test bundle (`swift build --build-tests` builds it).
    static func executable() throws -> URL {
        var candidates: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("vesicle"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("vesicle"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("the vesicle executable is not built (swift build --build-tests); looked in \(candidates.map(\.path))")
        }
        return found
    }

    static func mpirun() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/mpirun"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw XCTSkip("mpirun is not installed (Tools/install-deps installs openmpi-bin)")
    }

    /// The launcher's arguments for R ranks on one machine, in a container, possibly as root
    /// (README, Running on ranks): more ranks than cores, shared-memory and self transports only.
    static func launcherArguments(ranks: Int) -> [String] {
        ["--oversubscribe", "--mca", "btl", "self,vader", "--mca", "btl_vader_single_copy_mechanism", "none", "-np", "\(ranks)"]
    }

    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        // No launcher variables leak from a test run that itself runs under mpirun.
        for key in env.keys where key.hasPrefix("OMPI_COMM_WORLD") || key.hasPrefix("PMIX_") { env[key] = nil }
        return env
    }

    /// Starts `vesicle arguments`, under `mpirun -np ranks` when ranks is given, else plain.
    func start(_ arguments: [String], ranks: Int?, environment extra: [String: String] = [:]) throws -> (Process, URL, URL) {
        let process = Process()
        let vesicle = try Self.executable().path
        if let ranks {
            process.executableURL = URL(fileURLWithPath: try Self.mpirun())
            process.arguments = Self.launcherArguments(ranks: ranks) + [vesicle] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: vesicle)
            process.arguments = arguments
        }
        process.environment = Self.environment.merging(extra) { $1 }
        process.currentDirectoryURL = scratch
        let token = UUID().uuidString
        let out = scratch.appendingPathComponent(".out-\(token)"), err = scratch.appendingPathComponent(".err-\(token)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Waits at most `timeout` seconds (then kills the launcher and fails).
    func wait(_ started: (Process, URL, URL), since: Date = Date(), timeout: Double,
              file: StaticString = #filePath, line: UInt = #line) throws -> RankResult {
        let (process, out, err) = started
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            Thread.sleep(forTimeInterval: 2)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            XCTFail("still running after \(timeout) s: \(process.arguments ?? [])", file: file, line: line)
        }
        process.waitUntilExit()
        return RankResult(status: process.terminationStatus, reason: process.terminationReason,
                          stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                          seconds: Date().timeIntervalSince(since))
    }

    func run(_ arguments: [String], ranks: Int?, environment: [String: String] = [:], timeout: Double = 240,
             file: StaticString = #filePath, line: UInt = #line) throws -> RankResult {
        let since = Date()
        return try wait(try start(arguments, ranks: ranks, environment: environment), since: since, timeout: timeout,
                        file: file, line: line)
    }

    /// Every file of a run directory but metadata.json (which holds wall time, ranks and threads).
    func files(in directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "metadata.json" && !name.hasPrefix(".") {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    func metadata(_ directory: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/metadata.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
