// metadata.json's file sizes and SHA-256 digests catch a truncated or altered recording
// (issue 15 §4), and an unchanged run passes.

import Foundation
import XCTest
@testable import VesicleIO

final class RunIntegrityTests: XCTestCase {
    func testChangedAndTruncatedFilesAreNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("integrity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spikes = directory + "/spikes.csv"
        try Data("population,neuron,time_ms\nE,0,1.5\nE,1,2.5\n".utf8).write(to: URL(fileURLWithPath: spikes))
        var metadata = RunMetadata(vesicleVersion: "test", seed: 1, durationMs: 10, simulatedTimeMs: 10, wallTimeSeconds: 0,
                                   completed: true, files: ["spikes.csv"])
        (metadata.fileSizes, metadata.fileSHA256) = RunIntegrity.fingerprints(directory: directory, files: metadata.files)
        XCTAssertEqual(metadata.fileSizes?["spikes.csv"], 42)
        // SHA-256 of the same bytes by an independent implementation (coreutils sha256sum).
        XCTAssertEqual(metadata.fileSHA256?["spikes.csv"], "a64a5b54c32bded8312950805a559affca22550259d1f1d00672315e81d23706")
        XCTAssertNoThrow(try RunIntegrity.verify(directory: directory, metadata: metadata))

        // One digit changed, same size: the digest differs.
        try Data("population,neuron,time_ms\nE,0,1.5\nE,1,2.6\n".utf8).write(to: URL(fileURLWithPath: spikes))
        XCTAssertThrowsError(try RunIntegrity.verify(directory: directory, metadata: metadata)) { error in
            XCTAssertTrue("\(error)".contains("spikes.csv") && "\(error)".contains("SHA-256"), "\(error)")
        }
        // Truncated: the size differs.
        try Data("population,neuron,time_ms\nE,0,1.5\n".utf8).write(to: URL(fileURLWithPath: spikes))
        XCTAssertThrowsError(try RunIntegrity.verify(directory: directory, metadata: metadata)) { error in
            XCTAssertTrue("\(error)".contains("spikes.csv") && "\(error)".contains("bytes"), "\(error)")
        }
        // A run written before sizes were recorded is not judged.
        metadata.fileSizes = nil
        XCTAssertNoThrow(try RunIntegrity.verify(directory: directory, metadata: metadata))
    }
}
