// `vesicle run` output directories: files, metadata, refusal to overwrite, formats, unwritable
// places (issue 6, "Runs that never lose data").

import Foundation
import XCTest

final class RunCommandTests: CLITestCase {
    func testSingleNeuronWritesSpikesAndCompletedMetadata() throws {
        let out = scratch.appendingPathComponent("run").path
        let result = try vesicle("run", network("single_neuron.vsl"), "--out", out, "--quiet")
        XCTAssertEqual(result.status, 0, result.stderr)
        let csv = try String(contentsOfFile: out + "/spikes.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n")
        XCTAssertEqual(rows.first, "population,neuron,time_ms")
        XCTAssertGreaterThan(rows.count, 2, "the neuron fires at about 149 Hz for 200 ms")
        for row in rows.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(fields.count, 3, String(row))
            XCTAssertEqual(fields.first, "N")
        }
        let metadata = try jsonObject(at: out + "/metadata.json")
        XCTAssertEqual(metadata["completed"] as? Bool, true)
        XCTAssertEqual(metadata["simulated_time_ms"] as? Double, 200)
    }

    func testExistingRunIsNotOverwrittenWithoutForce() throws {
        let out = scratch.appendingPathComponent("run").path
        XCTAssertEqual(try vesicle("run", network("single_neuron.vsl"), "--out", out, "--quiet").status, 0)
        let spikes = try Data(contentsOf: URL(fileURLWithPath: out + "/spikes.csv"))
        let metadata = try Data(contentsOf: URL(fileURLWithPath: out + "/metadata.json"))

        let again = try vesicle("run", network("single_neuron.vsl"), "--out", out, "--quiet", "--duration", "50")
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.exitedNormally)
        XCTAssertTrue(again.stderr.contains(out), "the message names the directory:\n\(again.stderr)")
        XCTAssertTrue(again.stderr.contains("--force"), "the message says how to overwrite:\n\(again.stderr)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/spikes.csv")), spikes)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/metadata.json")), metadata)

        let forced = try vesicle("run", network("single_neuron.vsl"), "--out", out, "--quiet", "--duration", "50", "--force")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try jsonObject(at: out + "/metadata.json")["simulated_time_ms"] as? Double, 50)
    }

    func testEveryFormatIsWritten() throws {
        let out = scratch.appendingPathComponent("run").path
        let result = try vesicle("run", network("single_neuron.vsl"), "--out", out, "--quiet", "--format", "csv,npy,hdf5")
        XCTAssertEqual(result.status, 0, result.stderr)
        let npyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        let hdf5Magic: [UInt8] = [0x89] + Array("HDF\r\n".utf8) + [0x1A, 0x0A]
        let expected: [(String, [UInt8])] = [
            ("spikes.csv", Array("population,neuron,time_ms\n".utf8)),
            ("spikes.N.time_ms.npy", npyMagic), ("spikes.N.neuron.npy", npyMagic), ("spikes.h5", hdf5Magic),
        ]
        for (name, magic) in expected {
            let bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: out + "/" + name))) ?? Data())
            XCTAssertEqual(Array(bytes.prefix(magic.count)), magic, "\(name) missing or not in its format; directory: \(directoryListing(out))")
        }
        let listed = try XCTUnwrap(try jsonObject(at: out + "/metadata.json")["files"] as? [String])
        XCTAssertTrue(Set(expected.map(\.0)).isSubset(of: listed), "metadata files: \(listed)")
        XCTAssertFalse(directoryListing(out).contains { $0.hasSuffix(".partial") })
    }

    func testOutputUnderARegularFileFailsBeforeSimulating() throws {
        let blocker = scratch.appendingPathComponent("not_a_directory").path
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let out = blocker + "/run"
        let result = try vesicle("run", network("single_neuron.vsl"), "--out", out, "--quiet")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.exitedNormally)
        XCTAssertTrue(result.stderr.contains(out), "the message names the path:\n\(result.stderr)")
        XCTAssertFalse(result.stdout.contains("simulated"), "nothing was simulated:\n\(result.stdout)")
    }

    func testOutputUnderProcFailsBeforeSimulating() throws {
        let out = "/proc/vesicle-cli-test-\(UUID().uuidString)"
        let result = try vesicle("run", network("single_neuron.vsl"), "--out", out, "--quiet")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.exitedNormally)
        XCTAssertTrue(result.stderr.contains(out), "the message names the path:\n\(result.stderr)")
        XCTAssertFalse(result.stdout.contains("simulated"), result.stdout)
    }

    func directoryListing(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// docs/DESIGN.md, Randomness: the same seed gives byte-identical files, in every format, on one thread
    /// or three; another seed gives another raster. Brunel regime C at full size for 20 ms (Poisson
    /// drives, random connectivity and initial potentials all come from the seed).
    func testSameSeedGivesByteIdenticalFiles() throws {
        var rasters: [String: Data] = [:]
        for (name, seed, threads) in [("a", "5", "1"), ("b", "5", "3"), ("c", "6", "1")] {
            let out = scratch.appendingPathComponent(name).path
            let result = try vesicle("run", network("brunel_ai.vsl"), "--out", out, "--seed", seed,
                                     "--duration", "20", "--format", "csv,npy,hdf5", "--threads", threads)
            XCTAssertEqual(result.status, 0, result.stderr)
            rasters[name] = try Data(contentsOf: URL(fileURLWithPath: out + "/spikes.csv"))
            if name == "b" {
                XCTAssertTrue(result.stdout.contains("windows on 3 threads"), result.stdout)
                let a = scratch.appendingPathComponent("a").path
                for file in try FileManager.default.contentsOfDirectory(atPath: out) where file != "metadata.json" {
                    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/" + file)),
                                   try Data(contentsOf: URL(fileURLWithPath: a + "/" + file)), file)
                }
            }
        }
        XCTAssertGreaterThan(rasters["a"]!.count, 10_000)
        XCTAssertNotEqual(rasters["a"], rasters["c"])
    }

    /// Every network class on 1, 2, 3 and 7 threads writes byte-identical files (everything but
    /// metadata.json, which holds the thread count and wall time) in CSV, NPY and HDF5: static
    /// Brunel spikes; Bayesian Brunel spikes, release log and posterior traces; the recurrent
    /// Synaptic Filter network (escape noise, learning synapses, posterior traces); kernel-driven
    /// currents; lif_exp with a constant current and a membrane trace.
    func testEveryNetworkClassGivesByteIdenticalFilesOnAnyThreadCount() throws {
        let classes: [(file: String, arguments: [String])] = [
            ("brunel_ai.vsl", ["--duration", "20ms"]),
            ("brunel_bayesian.vsl", ["--duration", "10ms"]),
            ("synaptic_filter_recurrent.vsl", ["--duration", "300ms"]),
            ("kernel_input.vsl", ["--duration", "200ms"]),
            ("single_neuron.vsl", ["--duration", "50ms"]),
        ]
        for (file, arguments) in classes {
            var reference: [String: Data]?
            for threads in ["1", "2", "3", "7"] {
                let out = scratch.appendingPathComponent("\(file)-\(threads)").path
                let result = try VesicleExecutable.run(["run", network(file), "--out", out, "--format", "csv,npy,hdf5",
                                                       "--threads", threads] + arguments, scratch: scratch, timeout: 300)
                XCTAssertEqual(result.status, 0, "\(file): \(result.stderr)")
                if threads != "1" {
                    XCTAssertTrue(result.stdout.contains("windows on \(threads) threads"), "\(file): \(result.stdout)")
                }
                var files: [String: Data] = [:]
                for name in try FileManager.default.contentsOfDirectory(atPath: out) where name != "metadata.json" {
                    files[name] = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
                }
                guard let reference else {
                    XCTAssertGreaterThanOrEqual(files.count, 3, "\(file): \(files.keys.sorted())")
                    XCTAssertGreaterThan(files.values.map(\.count).min() ?? 0, 0, file)
                    reference = files
                    continue
                }
                XCTAssertEqual(files.keys.sorted(), reference.keys.sorted(), file)
                for (name, data) in files { XCTAssertEqual(data, reference[name], "\(file) on \(threads) threads: \(name)") }
            }
        }
    }

    /// The run's summary reports each recorded population's rate over the neurons recorded (a slice,
    /// not the whole population), computed here from the raster, and nothing for populations that
    /// no `record spikes` names.
    func testSummaryRateIsOverTheRecordedNeurons() throws {
        let file = scratch.appendingPathComponent("slice.vsl").path
        try """
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 100 lif { V_m = uniform(0 mV, 20 mV) }
            population I = 20 lif
            input ext = poisson(rate = 30 kHz) -> E, I weight 0.1 mV delay 1.5 ms
            record spikes E[0:50]
            simulate 200 ms seed 1
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("slice").path
        let result = try vesicle("run", file, "--out", out)
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try String(contentsOfFile: out + "/spikes.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertGreaterThan(rows.count, 100)
        let expected = String(format: "E: %d spikes recorded from 50 neurons (%.2f Hz per neuron", rows.count,
                              Double(rows.count) / 50 / 0.2)
        XCTAssertTrue(result.stdout.contains(expected), result.stdout)
        XCTAssertFalse(result.stdout.contains("I:"), result.stdout)
    }

    /// A kernel network's metadata records the convolution path `automatic` took for each kernel
    /// projection; the same seed with that path pinned by `--kernel-path` gives a byte-identical
    /// raster. Each path is honoured as given, and an unknown one is refused before anything runs.
    func testKernelPathIsRecordedAndRepeatsTheRun() throws {
        let first = scratch.appendingPathComponent("automatic").path
        var result = try vesicle("run", network("kernel_input.vsl"), "--out", first, "--quiet", "--duration", "300")
        XCTAssertEqual(result.status, 0, result.stderr)
        let recorded = try XCTUnwrap(try jsonObject(at: first + "/metadata.json")["kernel_paths"] as? [String: String])
        XCTAssertEqual(recorded.count, 1)
        let path = try XCTUnwrap(recorded.values.first)
        XCTAssertTrue(["direct", "fft"].contains(path), path)
        for pinned in ["direct", "fft"] {
            let out = scratch.appendingPathComponent(pinned).path
            result = try vesicle("run", network("kernel_input.vsl"), "--out", out, "--quiet", "--duration", "300",
                                 "--kernel-path", pinned)
            XCTAssertEqual(result.status, 0, result.stderr)
            let metadata = try jsonObject(at: out + "/metadata.json")
            XCTAssertEqual((metadata["kernel_paths"] as? [String: String])?.values.first, pinned)
            if pinned == path {
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/spikes.csv")),
                               try Data(contentsOf: URL(fileURLWithPath: first + "/spikes.csv")))
            }
        }
        result = try vesicle("run", network("kernel_input.vsl"), "--out", scratch.appendingPathComponent("bad").path,
                             "--quiet", "--kernel-path", "fftw")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("choose from automatic, direct, fft"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("bad").path))
    }

    /// `vesicle run` runs the Synaptic Filter file as the single-neuron experiment it describes and
    /// writes one trace row per synapse (10 inputs and the bias) per simulated second.
    func testSynapticFilterFileRuns() throws {
        let out = scratch.appendingPathComponent("filter").path
        let path = network("paper/synaptic_filter.vsl")
        let result = try vesicle("run", path, "--out", out, "--duration", "3000")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("weight MSE"), result.stdout)
        let rows = try String(contentsOfFile: out + "/traces.mu.csv", encoding: .utf8).split(separator: "\n")
        // warm-up 200 s + 3 s = 203 samples of 11 synapses, plus the header.
        XCTAssertEqual(rows.count, 1 + 203 * 11)
        XCTAssertEqual(try jsonObject(at: out + "/metadata.json")["completed"] as? Bool, true)
    }

    /// `vesicle run` runs a recurrent network with Synaptic Filter synapses in the engine (docs/MODEL.md §5):
    /// its summary counts the plastic synapse updates (3000 synapses x 600 steps of 0.5 ms), and the
    /// recorded posteriors start at the prior (sigma2 = 0.1) and end below it.
    func testRecurrentSynapticFilterFileLearnsInTheEngine() throws {
        let out = scratch.appendingPathComponent("recurrent_filter").path
        let result = try vesicle("run", network("synaptic_filter_recurrent.vsl"), "--out", out, "--duration", "300")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("3000 plastic synapses, 1800000 synapse updates"), result.stdout)
        let rows = try String(contentsOfFile: out + "/traces.sigma2.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let values = rows.map { row in row.split(separator: ",").map { Double($0)! } }
        let first = values.filter { $0[0] == 0 }.map { $0[2] }, last = values.filter { $0[0] == 200 }.map { $0[2] }
        XCTAssertEqual(first.count, 40)
        XCTAssertEqual(last.count, 40)
        XCTAssertTrue(first.allSatisfy { abs($0 - 0.1) < 1e-7 }, "\(first)")
        XCTAssertTrue(last.allSatisfy { $0 < 0.1 - 1e-6 }, "\(last)")
    }

    /// A Synaptic Filter variance step that would turn sigma2 negative stops `vesicle run` with an error
    /// naming where and when, and the run directory says it is incomplete (docs/MODEL.md §5; never clamped).
    func testSynapticFilterPosteriorLeavingItsDomainStopsTheRun() throws {
        let source = try String(contentsOfFile: network("synaptic_filter_recurrent.vsl"), encoding: .utf8)
            .replacingOccurrences(of: "prior_mean = 0.2, prior_var = 0.1", with: "prior_mean = 2, prior_var = 3")
        let file = scratch.appendingPathComponent("unstable.vsl")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("unstable").path
        let result = try vesicle("run", file.path, "--out", out, "--quiet")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.exitedNormally)
        XCTAssertTrue(result.stderr.contains("left its domain at"), result.stderr)
        XCTAssertEqual(try jsonObject(at: out + "/metadata.json")["completed"] as? Bool, false)
    }
}
