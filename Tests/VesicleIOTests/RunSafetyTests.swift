import Foundation
import Glibc
import XCTest
@testable import VesicleIO

/// Nothing half-written ever sits under a final name, existing runs are not overwritten by
/// accident, and write failures surface as errors.
final class RunSafetyTests: XCTestCase {
    func testUnfinishedWriterLeavesNoFinalFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        var writer: SpikeRasterWriter? = try SpikeRasterWriter(directory: run, populations: ["E"], formats: [.csv, .npy, .hdf5])
        for k in 0..<100 { try writer?.append(population: 0, neuron: k, time: Double(k)) }
        XCTAssertFalse(directory.contents().contains("spikes.csv"))
        writer = nil
        let names = directory.contents()
        XCTAssertFalse(names.contains { $0 == "spikes.csv" || $0 == "spikes.h5" || $0.hasSuffix(".npy") }, "\(names)")
        XCTAssertFalse(names.contains { $0.hasPrefix(".spill") }, "scratch files must be cleaned up: \(names)")
    }

    func testIncompleteFinishKeepsDataOnlyUnderPartialNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try SpikeRasterWriter(directory: run, populations: ["E"], formats: [.csv, .npy, .hdf5])
        try writer.append(population: 0, neuron: 1, time: 2.5)
        let written = try writer.finish(complete: false)
        XCTAssertEqual(
            Set(directory.contents()),
            ["spikes.csv.partial", "spikes.E.neuron.npy.partial", "spikes.E.time_ms.npy.partial", "spikes.h5.partial"])
        XCTAssertEqual(Set(written), Set(directory.contents()))
        XCTAssertThrowsError(try writer.append(population: 0, neuron: 1, time: 3))
    }

    func testExistingRunIsNotOverwrittenWithoutForce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try RunDirectory(path: directory.path, force: false)
        let writer = try SpikeRasterWriter(directory: first, populations: ["E"], formats: [.csv])
        try writer.finish(complete: true)
        XCTAssertThrowsError(try RunDirectory(path: directory.path, force: false)) { error in
            XCTAssertEqual(error as? VesicleIOError, .outputExists(path: directory.path))
        }
        try "notes".write(toFile: directory.path + "/my-notes.txt", atomically: true, encoding: .utf8)
        _ = try RunDirectory(path: directory.path, force: true)
        XCTAssertEqual(directory.contents(), ["my-notes.txt"], "force removes Vesicle's files only")
    }

    func testUnwritableDirectoryFailsWithItsPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = directory.path + "/a-file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        for path in [blocker, blocker + "/run"] {
            XCTAssertThrowsError(try RunDirectory(path: path, force: false)) { error in
                XCTAssertTrue("\(error)".contains(path), "\(error)")
            }
        }
    }

    func testFullDiskThrowsAndLeavesNoCompleteFile() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else {
            throw XCTSkip("/dev/full is not available to simulate a full disk")
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        // The temporary file is a link to /dev/full, where every write fails with ENOSPC.
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/spikes.csv.partial", withDestinationPath: "/dev/full")
        let writer = try SpikeRasterWriter(directory: run, populations: ["E"], formats: [.csv])
        XCTAssertThrowsError(try {
            for k in 0..<200_000 { try writer.append(population: 0, neuron: k, time: Double(k)) }
            try writer.finish(complete: true)
        }()) { error in
            XCTAssertTrue("\(error)".contains("No space left"), "\(error)")
        }
        XCTAssertFalse(directory.contents().contains("spikes.csv"))
    }

    func testCorruptAndForeignFilesGiveClearErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path
        try Data("population,neuron,time_ms\nE,1,abc\n".utf8).write(to: URL(fileURLWithPath: path + "/spikes.csv"))
        XCTAssertThrowsError(try SpikeRaster.read(directory: path, format: .csv)) { error in
            XCTAssertTrue("\(error)".contains("line 2"), "\(error)")
        }
        try Data("time,neuron\n".utf8).write(to: URL(fileURLWithPath: path + "/spikes.csv"))
        XCTAssertThrowsError(try SpikeRaster.read(directory: path, format: .csv)) { error in
            XCTAssertTrue("\(error)".contains("header"), "\(error)")
        }
        try Data("not hdf5 at all".utf8).write(to: URL(fileURLWithPath: path + "/spikes.h5"))
        XCTAssertThrowsError(try SpikeRaster.read(directory: path, format: .hdf5)) { error in
            XCTAssertTrue("\(error)".contains("not an HDF5 file"), "\(error)")
        }
        var truncated = NumpyFormat.header(kind: .float64, count: 10)
        truncated += [UInt8](repeating: 0, count: 16)
        try Data(truncated).write(to: URL(fileURLWithPath: path + "/x.npy"))
        XCTAssertThrowsError(try NumpyFormat.read(path: path + "/x.npy")) { error in
            XCTAssertTrue("\(error)".contains("promises 80"), "\(error)")
        }
        try Data([0x93, 0x4E, 0x55]).write(to: URL(fileURLWithPath: path + "/y.npy"))
        XCTAssertThrowsError(try NumpyFormat.read(path: path + "/y.npy"))
        XCTAssertThrowsError(try RunDirectory.metadata(of: path)) { error in
            XCTAssertTrue("\(error)".contains("metadata.json"), "\(error)")
        }
    }

    func testInvalidNamesAndIndicesAreRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        XCTAssertThrowsError(try SpikeRasterWriter(directory: run, populations: ["E/x"], formats: [.csv]))
        XCTAssertThrowsError(try SpikeRasterWriter(directory: run, populations: ["E", "E"], formats: [.csv]))
        let writer = try SpikeRasterWriter(directory: run, populations: ["E"], formats: [.csv])
        XCTAssertThrowsError(try writer.append(population: 1, neuron: 0, time: 0))
        XCTAssertThrowsError(try writer.append(population: 0, neuron: -1, time: 0))
    }

    func testStopSignalRecordsSIGINT() {
        let stop = StopSignal()
        defer { stop.uninstall() }
        XCTAssertFalse(stop.shouldStop)
        raise(SIGINT)
        XCTAssertTrue(stop.shouldStop)
        XCTAssertEqual(stop.reason, "SIGINT")
    }

    func testStopSignalRecordsSIGTERMAndResetsOnInstall() {
        let first = StopSignal()
        raise(SIGTERM)
        XCTAssertEqual(first.reason, "SIGTERM")
        first.uninstall()
        let second = StopSignal()
        defer { second.uninstall() }
        XCTAssertFalse(second.shouldStop)
    }

    func testProgressLineAndQuietMode() {
        // 250 of 1000 ms simulated in 2 wall seconds: 0.125 x real time, 6 s left.
        XCTAssertEqual(
            ProgressReporter.line(simulatedTime: 250, duration: 1000, elapsed: 2),
            "t = 250.0 / 1000.0 ms   25.0%  0.125 x real time  ETA 6s")
        var now = 0.0
        var output: [String] = []
        let silent = ProgressReporter(duration: 1000, enabled: false, interval: 0, clock: { now }, sink: { output.append($0) })
        now = 1
        silent.update(simulatedTime: 500)
        silent.finish()
        XCTAssertEqual(output, [])
        let loud = ProgressReporter(duration: 1000, enabled: true, interval: 1, clock: { now }, sink: { output.append($0) })
        now = 2.0
        loud.update(simulatedTime: 100)
        now = 2.5
        loud.update(simulatedTime: 200)  // within the interval: not printed
        loud.finish()
        XCTAssertEqual(output.count, 2)
        XCTAssertTrue(output[0].contains("10.0%"))
        XCTAssertEqual(output[1], "\n")
    }
}
