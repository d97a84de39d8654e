import Foundation
import XCTest
@testable import VesicleIO

final class RunRecordingTests: XCTestCase {
    func makeRun(at path: String, declaredNeurons: Int) throws {
        let run = try RunDirectory(path: path, force: true)
        let spikes = try SpikeRasterWriter(directory: run, populations: ["I", "E"], formats: [.hdf5])
        try spikes.append(population: 1, neuron: 4, time: 3)
        try spikes.append(population: 0, neuron: 1, time: 7.5)
        try spikes.finish(complete: true)
        try run.finish(metadata: RunMetadata(
            vesicleVersion: "test", seed: 1, durationMs: 20, simulatedTimeMs: 20, wallTimeSeconds: 0, completed: true,
            populations: [.init(name: "I", neurons: declaredNeurons, spikes: 1), .init(name: "E", neurons: 10, spikes: 1)]))
    }

    func testSizesAndOrderComeFromMetadata() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try makeRun(at: directory.path, declaredNeurons: 5)
        let recording = try RunRecording.load(directory: directory.path)
        XCTAssertEqual(recording.raster?.populations, ["I", "E"])
        XCTAssertEqual(recording.populationSizes, [5, 10])
        XCTAssertEqual(recording.simulatedTime, 20)
        XCTAssertFalse(recording.hasReleaseLog)
        let trains = try XCTUnwrap(recording.raster).trains(population: 1, neuronCount: 10)
        XCTAssertEqual(trains[4], [3])
    }

    func testSpikeOutsideDeclaredPopulationIsReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try makeRun(at: directory.path, declaredNeurons: 1)
        XCTAssertThrowsError(try RunRecording.load(directory: directory.path)) { error in
            XCTAssertTrue("\(error)".contains("population I has 1 neurons"), "\(error)")
        }
    }

    func testWithoutMetadataSizesComeFromTheSpikes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try makeRun(at: directory.path, declaredNeurons: 5)
        try FileManager.default.removeItem(atPath: directory.path + "/metadata.json")
        let recording = try RunRecording.load(directory: directory.path)
        XCTAssertEqual(recording.raster?.populations, ["E", "I"], "HDF5 lists groups by name")
        XCTAssertEqual(recording.populationSizes, [5, 2])
        XCTAssertEqual(recording.simulatedTime, 7.5)
    }
}
