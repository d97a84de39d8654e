import Foundation
import XCTest
@testable import VesicleIO

/// Every format written by the recorders reads back, through Vesicle's own readers, to exactly
/// the values appended.
final class RecorderRoundTripTests: XCTestCase {
    static let allFormats: Set<OutputFormat> = [.csv, .npy, .hdf5]

    /// Spikes with awkward doubles (subnormal-free but non-terminating decimals) in two populations.
    static func sampleSpikes() -> [(population: Int, neuron: Int, time: Double)] {
        (0..<500).map { (k: Int) -> (population: Int, neuron: Int, time: Double) in
            let population = k % 3 == 0 ? 1 : 0
            let time = Double(k) * 0.1 + 1.0 / 3.0
            return (population, (k * 7) % 41, time)
        }
    }

    func testSpikeRasterRoundTripsInEveryFormat() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try SpikeRasterWriter(directory: run, populations: ["E", "I"], formats: Self.allFormats)
        let spikes = Self.sampleSpikes()
        for s in spikes { try writer.append(population: s.population, neuron: s.neuron, time: s.time) }
        try writer.finish(complete: true)

        let expectedNeurons = (0..<2).map { p in spikes.filter { $0.population == p }.map { UInt64($0.neuron) } }
        let expectedTimes = (0..<2).map { p in spikes.filter { $0.population == p }.map(\.time) }
        for format in OutputFormat.allCases {
            // CSV lists populations in order of first spike, so the declared order is passed.
            let raster = try SpikeRaster.read(directory: directory.path, format: format, populations: ["E", "I"])
            XCTAssertEqual(raster.populations, ["E", "I"], "\(format)")
            XCTAssertEqual(raster.neurons, expectedNeurons, "\(format)")
            XCTAssertEqual(raster.times, expectedTimes, "\(format)")
        }
        XCTAssertEqual(writer.counts, [expectedTimes[0].count, expectedTimes[1].count])
        XCTAssertFalse(directory.contents().contains { $0.hasSuffix(".partial") || $0.hasPrefix(".spill") })
        let header = try String(contentsOfFile: directory.path + "/spikes.csv", encoding: .utf8).prefix { $0 != "\n" }
        XCTAssertEqual(header, "population,neuron,time_ms")
    }

    func testSONATAAttributes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try SpikeRasterWriter(directory: run, populations: ["ordered", "shuffled"], formats: [.hdf5])
        try writer.append(population: 0, neuron: 1, time: 1)
        try writer.append(population: 0, neuron: 2, time: 2)
        try writer.append(population: 1, neuron: 0, time: 5)
        try writer.append(population: 1, neuron: 0, time: 4)
        try writer.finish(complete: true)
        let file = try HDF5File.open(path: directory.path + "/spikes.h5")
        XCTAssertEqual(try file.stringAttribute("sorting", on: "/spikes/ordered"), "by_time")
        XCTAssertEqual(try file.stringAttribute("sorting", on: "/spikes/shuffled"), "none")
        XCTAssertEqual(try file.stringAttribute("units", on: "/spikes/ordered/timestamps"), "ms")
        XCTAssertEqual(try file.readDataset("/spikes/shuffled/node_ids"), .uint64([0, 0]))
        XCTAssertEqual(try file.readDataset("/spikes/shuffled/timestamps"), .float64([5, 4]))
    }

    func testEmptyPopulationRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try SpikeRasterWriter(directory: run, populations: ["silent", "E"], formats: [.npy, .hdf5])
        try writer.append(population: 1, neuron: 3, time: 0.5)
        try writer.finish(complete: true)
        for format in [OutputFormat.npy, .hdf5] {
            let raster = try SpikeRaster.read(directory: directory.path, format: format)
            let silent = try XCTUnwrap(raster.populations.firstIndex(of: "silent"))
            XCTAssertEqual(raster.times[silent], [], "\(format)")
        }
    }

    func testReleaseLogRoundTripsInEveryFormat() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try ReleaseLogWriter(directory: run, formats: Self.allFormats)
        var expected = ReleaseLog(time: [], synapse: [], pre: [], post: [], amplitude: [], mu: [], sigma2: [])
        for k in 0..<300 {
            let t = Double(k) * 0.7, a = 0.1 + Double(k % 17) / 9, mu = -0.669 + Double(k) * 1e-3, s2 = 0.07448 / Double(k + 1)
            try writer.append(time: t, synapse: k % 11, pre: k % 5, post: 0, amplitude: a, mu: mu, sigma2: s2)
            expected.time.append(t); expected.synapse.append(UInt64(k % 11)); expected.pre.append(UInt64(k % 5))
            expected.post.append(0); expected.amplitude.append(a); expected.mu.append(mu); expected.sigma2.append(s2)
        }
        try writer.finish(complete: true)
        for format in OutputFormat.allCases {
            XCTAssertEqual(try ReleaseLog.read(directory: directory.path, format: format), expected, "\(format)")
        }
        XCTAssertEqual(writer.count, 300)
    }

    func testTraceRoundTripsInEveryFormat() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let writer = try TraceWriter(directory: run, name: "mu", indexColumn: "synapse", formats: Self.allFormats)
        for k in 0..<100 { try writer.append(time: Double(k), index: k % 2, value: sin(Double(k))) }
        try writer.finish(complete: true)
        for format in OutputFormat.allCases {
            let trace = try Trace.read(directory: directory.path, name: "mu", indexColumn: "synapse", format: format)
            XCTAssertEqual(trace.time, (0..<100).map(Double.init), "\(format)")
            XCTAssertEqual(trace.value, (0..<100).map { sin(Double($0)) }, "\(format)")
            XCTAssertEqual(trace.series(index: 1).time, stride(from: 1.0, to: 100, by: 2).map { $0 })
        }
    }

    func testMetadataRoundTripsAndUsesSnakeCase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try RunDirectory(path: directory.path, force: false)
        let metadata = RunMetadata(
            vesicleVersion: "0.1.0", networkFile: "Networks/brunel.vsl", networkSHA256: String(repeating: "ab", count: 32),
            seed: 42, durationMs: 1100, simulatedTimeMs: 512.5, wallTimeSeconds: 3.25, completed: false,
            stopReason: "SIGINT", populations: [.init(name: "E", neurons: 2000, spikes: 12)], releases: 7)
        try run.start(metadata: metadata)
        try run.finish(metadata: metadata)
        let read = try RunDirectory.metadata(of: directory.path)
        XCTAssertEqual(read.seed, 42)
        XCTAssertEqual(read.simulatedTimeMs, 512.5)
        XCTAssertFalse(read.completed)
        XCTAssertEqual(read.populations, metadata.populations)
        let json = try String(contentsOfFile: directory.path + "/metadata.json", encoding: .utf8)
        for key in ["\"network_sha256\"", "\"simulated_time_ms\"", "\"completed\" : false", "\"vesicle_version\""] {
            XCTAssertTrue(json.contains(key), key)
        }
    }

    func testNumpyHeaderIsVersionOneAndAligned() {
        for count in [0, 1, 12345, 1 << 40] {
            let header = NumpyFormat.header(kind: .float64, count: count)
            XCTAssertEqual(header.count % 64, 0)
            XCTAssertEqual(Array(header[0..<8]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
            XCTAssertEqual(Int(header[8]) | Int(header[9]) << 8, header.count - 10)
            XCTAssertEqual(header.last, 0x0A)
        }
    }
}
