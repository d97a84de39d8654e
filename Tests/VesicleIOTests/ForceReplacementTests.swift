import Foundation
import XCTest
@testable import VesicleIO

/// `--force` replaces a run: every file the earlier run wrote goes (its recordings, its metadata,
/// the analysis and figures written from it), and nothing else (issue 20 item 5: the old
/// `raster.png` stayed behind).
final class ForceReplacementTests: XCTestCase {
    private func metadata() -> RunMetadata {
        RunMetadata(vesicleVersion: "test", seed: 1, durationMs: 10, simulatedTimeMs: 10, wallTimeSeconds: 0, completed: true)
    }

    /// A run with a raster, then `analyze` and `plot` outputs registered, then the user's own files.
    private func earlierRun(in directory: TemporaryDirectory) throws {
        try "user data".write(toFile: directory.path + "/stimulus.csv", atomically: true, encoding: .utf8)
        let run = try RunDirectory(path: directory.path, force: false)
        try run.start(metadata: metadata())
        let writer = try SpikeRasterWriter(directory: run, populations: ["E"], formats: [.csv, .npy])
        try writer.append(population: 0, neuron: 0, time: 1)
        try writer.finish(complete: true)
        try run.finish(metadata: metadata())
        for name in ["analysis.json", "raster.png", "release.svg"] {
            try "x".write(toFile: directory.path + "/" + name, atomically: true, encoding: .utf8)
            XCTAssertTrue(try RunDirectory.registerDerivedFile(directory.path + "/" + name, inRun: directory.path))
        }
        try "notes".write(toFile: directory.path + "/notes.txt", atomically: true, encoding: .utf8)
        // A figure written elsewhere is not the run's.
        XCTAssertFalse(try RunDirectory.registerDerivedFile(NSTemporaryDirectory() + "elsewhere.png", inRun: directory.path))
    }

    func testTheEarlierRunListsItsOwnFilesOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try earlierRun(in: directory)
        let listed = try RunDirectory.metadata(of: directory.path)
        XCTAssertEqual(listed.files, ["spikes.E.neuron.npy", "spikes.E.time_ms.npy", "spikes.csv"],
                       "stimulus.csv was there before the run and is not its file")
        XCTAssertEqual(listed.derivedFiles, ["analysis.json", "raster.png", "release.svg"])
    }

    func testForceRemovesEveryFileOfTheEarlierRunAndOnlyThose() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try earlierRun(in: directory)
        // An unfinished twin of a listed file (a write that failed) goes as well.
        try "half".write(toFile: directory.path + "/spikes.csv.partial", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunDirectory(path: directory.path, force: false))
        _ = try RunDirectory(path: directory.path, force: true)
        XCTAssertEqual(directory.contents(), ["notes.txt", "stimulus.csv"],
                       "the run's recordings, metadata, analysis and figures are gone; the user's files stay")
    }

    /// Without a usable list (no metadata: files from an older version, or a run killed before
    /// `finish`), Vesicle's own names are recognised by pattern, and still nothing else goes.
    func testWithoutAFileListVesicleNamesAreRecognised() throws {
        let existing = ["spikes.csv", "release.h5", "traces.mu.csv", "analysis.json", "metadata.json", "figure.png", "x.partial"]
        XCTAssertEqual(RunDirectory.earlierRunFiles(in: existing, metadata: nil),
                       ["analysis.json", "metadata.json", "release.h5", "spikes.csv", "traces.mu.csv", "x.partial"])
        var listed = metadata()
        listed.files = ["spikes.csv"]
        listed.derivedFiles = ["figure.png"]
        XCTAssertEqual(RunDirectory.earlierRunFiles(in: existing + ["spikes.csv.partial"], metadata: listed),
                       ["figure.png", "metadata.json", "spikes.csv", "spikes.csv.partial"])
    }
}
