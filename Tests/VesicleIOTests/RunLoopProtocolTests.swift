import Foundation
import Glibc
import XCTest
@testable import VesicleIO

/// The protocol the engine's run loop follows, exercised with a stand-in loop: metadata saying
/// "not completed" before the first event, a SIGINT partway, a clean stop, whole files and
/// final metadata recording the simulated time reached.
final class RunLoopProtocolTests: XCTestCase {
    func testSIGINTStopsTheLoopAtACleanPointAndMarksTheRunPartial() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        var metadata = RunMetadata(
            vesicleVersion: "test", seed: 7, durationMs: 1000, simulatedTimeMs: 0, wallTimeSeconds: 0, completed: false,
            populations: [.init(name: "E", neurons: 10, spikes: 0)])
        try run.start(metadata: metadata)
        XCTAssertFalse(try RunDirectory.metadata(of: directory.path).completed, "a run that dies now is marked partial")

        let stop = StopSignal()
        defer { stop.uninstall() }
        let spikes = try SpikeRasterWriter(directory: run, populations: ["E"], formats: [.csv, .npy, .hdf5])
        var time = 0.0
        while time < metadata.durationMs, !stop.shouldStop {
            try spikes.append(population: 0, neuron: Int(time) % 10, time: time)
            if time == 500 { raise(SIGINT) }
            time += 1
        }
        // Every spike up to the stop is on disk: the files are whole for [0, time).
        try spikes.finish(complete: true)
        metadata.simulatedTimeMs = time
        metadata.stopReason = stop.reason
        metadata.populations[0].spikes = spikes.counts[0]
        try run.finish(metadata: metadata)

        let final = try RunDirectory.metadata(of: directory.path)
        XCTAssertFalse(final.completed)
        XCTAssertEqual(final.simulatedTimeMs, 501)
        XCTAssertEqual(final.stopReason, "SIGINT")
        XCTAssertEqual(final.populations[0].spikes, 501)
        XCTAssertEqual(final.files, ["spikes.E.neuron.npy", "spikes.E.time_ms.npy", "spikes.csv", "spikes.h5"])
        for format in OutputFormat.allCases {
            let raster = try SpikeRaster.read(directory: directory.path, format: format)
            XCTAssertEqual(raster.times[0].count, 501, "\(format)")
            XCTAssertEqual(raster.times[0].last, 500, "\(format)")
        }
    }
}
