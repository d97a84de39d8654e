// `vesicle plot raster` and `vesicle analyze` handed corrupt or foreign files: a clear error and a
// non-zero exit status, never a crash (issue 6, "Bad input and faults").

import Foundation
import XCTest

final class CorruptRunDirectoryTests: CLITestCase {
    /// Deterministic bytes (SplitMix64, seed 2026) standing for a file from elsewhere.
    static func noise(count: Int) -> Data {
        var state: UInt64 = 2026
        return Data((0..<count).map { _ -> UInt8 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        })
    }

    /// A directory named `name` in the scratch directory holding `files`.
    func runDirectory(_ name: String, _ files: [String: Data]) throws -> String {
        let path = scratch.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (file, contents) in files { try contents.write(to: URL(fileURLWithPath: path + "/" + file)) }
        return path
    }

    /// Both commands refuse `directory` with a message that names `mentioning`.
    func assertRefused(_ directory: String, mentioning: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for command in [["plot", "raster", directory], ["analyze", directory]] {
            let result = try VesicleExecutable.run(command, scratch: scratch, timeout: 60, file: file, line: line)
            let shown = "vesicle \(command.joined(separator: " ")): status \(result.status)\nstdout: \(result.stdout)\nstderr: \(result.stderr)"
            XCTAssertTrue(result.exitedNormally, "crashed: \(shown)", file: file, line: line)
            XCTAssertNotEqual(result.status, 0, shown, file: file, line: line)
            XCTAssertTrue(result.stderr.contains(mentioning), "the message should name \(mentioning): \(shown)", file: file, line: line)
            XCTAssertFalse(result.stdout.contains("wrote"), shown, file: file, line: line)
        }
    }

    func testForeignJSONAsMetadata() throws {
        let directory = try runDirectory("foreign_json", ["metadata.json": Data(#"{"name": "not a run", "values": [1, 2, 3]}"#.utf8)])
        try assertRefused(directory, mentioning: "metadata.json")
    }

    func testMetadataThatIsNotJSON() throws {
        let directory = try runDirectory("binary_metadata", ["metadata.json": Self.noise(count: 512)])
        try assertRefused(directory, mentioning: "metadata.json")
    }

    func testRandomBytesAsSpikeCSV() throws {
        let directory = try runDirectory("random_csv", ["spikes.csv": Self.noise(count: 4096)])
        try assertRefused(directory, mentioning: "spikes.csv")
    }

    func testRandomBytesAsSpikeCSVOfARealRun() throws {
        let directory = scratch.appendingPathComponent("real").path
        XCTAssertEqual(try vesicle("run", network("single_neuron.vsl"), "--out", directory, "--quiet").status, 0)
        try Self.noise(count: 4096).write(to: URL(fileURLWithPath: directory + "/spikes.csv"))
        try assertRefused(directory, mentioning: "spikes.csv")
    }

    func testMalformedSpikeCSVRows() throws {
        for (index, rows) in ["E,abc,1.0", "E,-3,2.0", "E,1", "E,1,2.0,9"].enumerated() {
            let directory = try runDirectory("rows_\(index)", ["spikes.csv": Data("population,neuron,time_ms\nE,0,0.5\n\(rows)\n".utf8)])
            try assertRefused(directory, mentioning: "spikes.csv")
        }
    }

    /// Non-finite spike times (nan, inf, 1e999) are refused with the file named (an infinite time
    /// used to trap plot and analyze; a nan gave a wrong window).
    func testNonFiniteSpikeTimesAreRefused() throws {
        for (index, time) in ["nan", "inf", "1e999"].enumerated() {
            let directory = try runDirectory("non_finite_\(index)", ["spikes.csv": Data("population,neuron,time_ms\nE,0,0.5\nE,1,\(time)\n".utf8)])
            try assertRefused(directory, mentioning: "spikes.csv")
        }
    }

    /// A metadata.json declaring 10^15 neurons is refused (analyze used to believe it and abort
    /// allocating one spike train per declared neuron).
    func testImplausibleNeuronCountIsRefused() throws {
        let directory = scratch.appendingPathComponent("huge").path
        XCTAssertEqual(try vesicle("run", network("single_neuron.vsl"), "--out", directory, "--quiet").status, 0)
        let path = directory + "/metadata.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"neurons\" : 1,", with: "\"neurons\" : 1000000000000000,")
            .write(toFile: path, atomically: true, encoding: .utf8)
        try assertRefused(directory, mentioning: "metadata.json")
    }

    func testRandomBytesAsHDF5() throws {
        let directory = try runDirectory("random_h5", ["spikes.h5": Self.noise(count: 4096)])
        try assertRefused(directory, mentioning: "spikes.h5")
    }

    func testTruncatedNumpyColumns() throws {
        let header = Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0x40, 0])
        let directory = try runDirectory("truncated_npy", ["spikes.E.time_ms.npy": header, "spikes.E.neuron.npy": header])
        try assertRefused(directory, mentioning: "spikes.E.")
    }

    func testMissingAndNonDirectoryRuns() throws {
        try assertRefused(scratch.appendingPathComponent("no_such_run").path, mentioning: "no_such_run")
        let regular = scratch.appendingPathComponent("a_file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: regular))
        try assertRefused(regular, mentioning: "a_file")
    }
}
