// Checkpoint and resume for the classes of run the first checkpoints refused (issue 17,
// docs/CHECKPOINT.md): NumPy and HDF5 output, then each further class. For each, a run stopped at a
// window drawn from the seed and resumed on another thread count writes every output file (hidden
// scratch and checkpoint files aside) byte for byte as an uninterrupted run, for several seeds.

import Foundation
import XCTest

final class CheckpointClassesTests: CLITestCase {
    /// A small Brunel network (N = 250, D = 1.5 ms: 120 ms are 80 windows after a 0 ms warm-up),
    /// with a membrane sampler (a dense trace), a spike-time input and `extra` statements; `excitatory`
    /// replaces the static E -> E, I connections.
    func network(seed: Int, extra: String = "", excitatory: String = "connect E -> E, I fixed_indegree(20) weight 0.2 mV delay 1.5 ms",
                 name: String) throws -> String {
        let text = """
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 200 lif { V_m = uniform(0 mV, 20 mV) }
            population I = 50 lif { V_m = uniform(0 mV, 20 mV) }
            input ext = poisson(rate = 20 kHz) -> E, I weight 0.1 mV delay 1.5 ms
            input kick = spike_times(times = [5 ms, 60 ms]) -> E[0:10] weight 2 mV delay 0.5 ms
            \(excitatory)
            connect I -> E, I fixed_indegree(5) weight -1 mV delay 1.5 ms
            \(extra)
            record spikes E, I
            record membrane E[0:3] every 0.5 ms
            simulate 120 ms seed \(seed)

            """
        let path = scratch.appendingPathComponent("\(name)-\(seed).vsl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every visible file of the run directory but metadata.json, by name.
    func outputs(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory)
        where !name.hasPrefix(".") && name != "metadata.json" {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    /// A window in 3 ..< windows - 3 drawn from the seed (SplitMix64's finaliser).
    func window(seed: Int, windows: Int) -> Int {
        var mix = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        mix = (mix ^ (mix >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return 3 + Int((mix ^ (mix >> 29)) % UInt64(windows - 6))
    }

    /// Runs `network` uninterrupted on one thread, then stopped after a seeded window on one thread
    /// count and resumed on another; every output file must be the same bytes, and the metadata's
    /// fingerprints and counts the same. `expect` names files both runs must have written.
    func assertResumesByteForByte(_ network: String, seed: Int, windows: Int, arguments: [String] = [],
                                  expect: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let full = scratch.appendingPathComponent("full-\(seed)").path
        let cut = scratch.appendingPathComponent("cut-\(seed)").path
        let stop = window(seed: seed, windows: windows)
        let before = 1 + seed % 3, after = 1 + (seed + 1) % 3
        let reference = try VesicleExecutable.run(["run", network, "--out", full, "--quiet", "--threads", "1"] + arguments,
                                                  scratch: scratch, timeout: 120, file: file, line: line)
        XCTAssertEqual(reference.status, 0, reference.stdout + reference.stderr, file: file, line: line)
        let stopped = try VesicleExecutable.run(
            ["run", network, "--out", cut, "--quiet", "--threads", "\(before)", "--checkpoint-every", "1000s",
             "--stop-after-window", "\(stop)"] + arguments, scratch: scratch, timeout: 120, file: file, line: line)
        XCTAssertEqual(stopped.status, 130, stopped.stdout + stopped.stderr, file: file, line: line)
        let resumed = try vesicle("resume", cut, "--quiet", "--threads", "\(after)")
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr, file: file, line: line)
        let left = try outputs(full), right = try outputs(cut)
        XCTAssertEqual(Set(left.keys), Set(right.keys), "the same files (seed \(seed), window \(stop))", file: file, line: line)
        for name in expect { XCTAssertNotNil(left[name], "\(name) written: \(left.keys.sorted())", file: file, line: line) }
        for (name, bytes) in left {
            XCTAssertTrue(bytes == right[name], "\(name) differs (\(bytes.count) vs \(right[name]?.count ?? -1) bytes; seed \(seed), window \(stop))",
                          file: file, line: line)
        }
        let a = try jsonObject(at: full + "/metadata.json"), b = try jsonObject(at: cut + "/metadata.json")
        XCTAssertEqual(b["completed"] as? Bool, true, file: file, line: line)
        XCTAssertEqual(a["file_sha256"] as? [String: String], b["file_sha256"] as? [String: String], file: file, line: line)
        XCTAssertEqual(a["populations"] as? NSArray, b["populations"] as? NSArray, file: file, line: line)
    }

    /// NumPy and HDF5 (with CSV, and without it): the raster's columns and SONATA file and the
    /// membrane trace's long columns, dense matrix and report are assembled at the end from scratch
    /// columns the checkpoint holds the length of.
    func testNumpyAndHDF5OutputResumesByteForByte() throws {
        for seed in [11, 12, 13] {
            let net = try network(seed: seed, name: "formats")
            try assertResumesByteForByte(
                net, seed: seed, windows: 80, arguments: ["--format", seed == 12 ? "npy,hdf5" : "csv,npy,hdf5"],
                expect: ["spikes.h5", "spikes.E.time_ms.npy", "traces.membrane_E.matrix.npy", "traces.membrane_E.report.h5"])
        }
    }

    /// A finished (or resumed and finished) run directory holds what docs/CHECKPOINT.md lists and
    /// nothing else: metadata.json, the files it lists, and at most the two last checkpoints.
    func assertHoldsOnlyListedFiles(_ directory: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let metadata = try jsonObject(at: directory + "/metadata.json")
        let listed = Set((metadata["files"] as? [String]) ?? []).union(["metadata.json"])
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        let checkpoints = present.filter { $0.hasPrefix(".checkpoint-") && $0.hasSuffix(".vsck") && $0.count == 29 }
        XCTAssertLessThanOrEqual(checkpoints.count, 2, "\(checkpoints.sorted())", file: file, line: line)
        XCTAssertEqual(present.subtracting(checkpoints), listed,
                       "left over: \(present.subtracting(checkpoints).subtracting(listed).sorted()), missing: \(listed.subtracting(present).sorted())",
                       file: file, line: line)
    }

    /// `--duration` extends a finished NumPy (or HDF5-only) run as one longer run. The finished run
    /// keeps no scratch column files: the resume writes them anew from the NumPy or HDF5 files,
    /// checked against the checkpoint's SHA-256, and after it the directory again holds only the
    /// listed files. A run stopped at a window and resumed, and its resume, leave none either.
    func testNumpyRunExtendsByteForByte() throws {
        for (k, format) in ["npy", "hdf5", "csv,npy,hdf5"].enumerated() {
            let net = try network(seed: 14 + k, name: "extend")
            let full = scratch.appendingPathComponent("full-\(k)").path, short = scratch.appendingPathComponent("short-\(k)").path
            XCTAssertEqual(try vesicle("run", net, "--out", full, "--quiet", "--format", format, "--duration", "180ms").status, 0)
            let first = try vesicle("run", net, "--out", short, "--quiet", "--format", format, "--checkpoint-every", "40ms")
            XCTAssertEqual(first.status, 0, first.stderr)
            try assertHoldsOnlyListedFiles(short)
            let extended = try vesicle("resume", short, "--quiet", "--duration", "180ms", "--threads", "2")
            XCTAssertEqual(extended.status, 0, extended.stdout + extended.stderr)
            let left = try outputs(full), right = try outputs(short)
            XCTAssertEqual(Set(left.keys), Set(right.keys), format)
            for (name, bytes) in left { XCTAssertTrue(bytes == right[name], "\(format): \(name) differs") }
            try assertHoldsOnlyListedFiles(short)
        }
        // Stopped at a window (its files complete up to there), resumed to the end.
        let net = try network(seed: 17, name: "stopped")
        let cut = scratch.appendingPathComponent("cut").path
        let stopped = try vesicle("run", net, "--out", cut, "--quiet", "--format", "csv,npy,hdf5", "--checkpoint-every", "1000s",
                                  "--stop-after-window", "33")
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        try assertHoldsOnlyListedFiles(cut)
        let resumed = try vesicle("resume", cut, "--quiet")
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        try assertHoldsOnlyListedFiles(cut)
    }

    /// A scratch file written anew must be the one the checkpoint recorded: a NumPy column changed
    /// after the end is refused by its SHA-256.
    func testChangedNumpyColumnIsRefusedWhenTheScratchIsWrittenAnew() throws {
        let net = try network(seed: 18, name: "changed")
        let short = scratch.appendingPathComponent("short").path
        XCTAssertEqual(try vesicle("run", net, "--out", short, "--quiet", "--format", "npy", "--checkpoint-every", "1000s").status, 0)
        let column = short + "/spikes.E.time_ms.npy"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: column))
        bytes[bytes.count - 3] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: column))
        let refused = try vesicle("resume", short, "--quiet", "--duration", "180ms")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("are not those the checkpoint recorded"), refused.stderr)
    }

    /// STDP (all-to-all and nearest) on E->E with its weights recorded, and Tsodyks-Markram
    /// short-term plasticity on E->I: weights, cursors, traces, post histories and pending post
    /// events, and (u, x) per row.
    func testSTDPAndShortTermPlasticityResumeByteForByte() throws {
        for seed in [21, 22, 23] {
            let pairing = seed == 22 ? "nearest" : "all_to_all"
            let net = try network(seed: seed, extra: """
                record weights "E->E" every 2 ms limit 300
                """, excitatory: """
                synapse hebb = stdp(tau_plus = 16.8 ms, tau_minus = 33.7 ms, lambda = 0.05, alpha = 1.05, mu_plus = 0, mu_minus = 0.5, Wmax = 0.6 mV, pairing = \(pairing))
                synapse depressing = tsodyks(U = 0.5, tau_rec = 80 ms, tau_fac = 20 ms)
                connect E -> E fixed_indegree(20) using hebb weight 0.3 mV delay 1.5 ms
                connect E -> I fixed_indegree(10) using depressing weight 0.4 mV delay 1 ms
                """, name: "stdp")
            try assertResumesByteForByte(net, seed: seed, windows: 80, arguments: seed == 23 ? ["--format", "csv,npy"] : [],
                                         expect: ["traces.weights_E_to_E.csv", "spikes.csv"])
        }
    }

    /// Spike-based learning (docs/MODEL.md §5): the diagonal Synaptic Filter and the gradient rule on
    /// a small recurrent escape-noise network, with posterior samples: exact posteriors, traces,
    /// bias posteriors and the learners' pending spikes.
    func testSpikeBasedLearningResumesByteForByte() throws {
        for (seed, rule) in [(31, "synaptic_filter"), (32, "gradient(eta = 0.01)"), (33, "synaptic_filter")] {
            let text = """
                neuron escape = lif_delta(tau_m = 25 ms, C_m = 250 pF, E_L = -2 mV, V_th = 0 mV, V_reset = -2 mV, t_ref = 2 ms, rho_0 = 5 Hz, delta_V = 2 mV)
                population inputs = 20 poisson_source(rate = 20 Hz, t_ref = 5 ms)
                population cells = 30 escape
                synapse filter = bayesian(link = identity, release = gaussian, prior_mean = 0.2, prior_var = 0.1, tau = 100 s,
                                          rule = \(rule), tau_eps = 25 ms, g0 = 5 Hz * exp(-1), beta = 1 / (2 mV))
                connect inputs -> cells fixed_indegree(10) using filter delay 1 ms
                connect cells -> cells fixed_indegree(5) using filter delay 1.5 ms autapses false
                record spikes cells
                record posterior "inputs->cells" every 5 ms limit 40
                simulate 150 ms warmup 0 ms seed \(seed) resolution 0.5 ms

                """
            let path = scratch.appendingPathComponent("learning-\(seed).vsl").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try assertResumesByteForByte(path, seed: seed, windows: 100, expect: ["spikes.csv", "traces.mu.csv"])
        }
    }

    /// A kernel network: 40 Poisson sources drive 20 cells through an alpha kernel (run ahead in
    /// blocks on the FFT path) and the cells drive each other through an exponential kernel (binned
    /// after each window), on the direct and the FFT path.
    func kernelNetwork(seed: Int) throws -> String {
        let text = """
            neuron cell = lif_delta(tau_m = 10 ms, C_m = 250 pF, E_L = -70 mV, V_th = -55 mV, V_reset = -70 mV, t_ref = 2 ms)
            population In = 40 poisson_source(rate = 25 Hz)
            population N = 20 cell { V_m = uniform(-70 mV, -55 mV) }
            kernel epsc = alpha(tau = 5 ms, normalize = peak)
            kernel slow = exponential(tau = 20 ms)
            connect In -> N all_to_all kernel epsc weight 40 pA delay 1 ms
            connect N -> N fixed_indegree(5) kernel slow weight 30 pA delay 2 ms autapses false
            record spikes N
            record membrane N[0:2] every 0.5 ms
            simulate 150 ms seed \(seed) kernel_step 0.1 ms

            """
        let path = scratch.appendingPathComponent("kernel-\(seed).vsl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Kernel projections on both paths: rings of future currents or binned arrivals, overlap-save
    /// histories, currents computed ahead and the look-ahead source.
    func testKernelProjectionsResumeByteForByteOnBothPaths() throws {
        for (seed, path) in [(41, "direct"), (42, "fft"), (43, "fft"), (44, "direct")] {
            try assertResumesByteForByte(try kernelNetwork(seed: seed), seed: seed, windows: 100, arguments: ["--kernel-path", path],
                                         expect: ["spikes.csv", "traces.membrane_N.csv"])
            let metadata = try jsonObject(at: scratch.appendingPathComponent("cut-\(seed)").path + "/metadata.json")
            XCTAssertEqual(metadata["kernel_paths"] as? [String: String], ["In->N": path, "N->N": path], "seed \(seed)")
        }
    }

    /// A resume on another convolution path than the checkpoint's is refused before anything changes.
    func testKernelResumeOnAnotherPathIsRefused() throws {
        let net = try kernelNetwork(seed: 45)
        let cut = scratch.appendingPathComponent("cut").path
        let stopped = try vesicle("run", net, "--out", cut, "--quiet", "--kernel-path", "direct", "--checkpoint-every", "1000s",
                                  "--stop-after-window", "20")
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let refused = try vesicle("resume", cut, "--quiet", "--kernel-path", "fft")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("kernel projection 'In->N' was convolved on the direct path"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("nothing in"), refused.stderr)
        let resumed = try vesicle("resume", cut, "--quiet", "--kernel-path", "direct")
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
    }

    /// The filter paper's single-neuron experiment (`SynapticFilterRun`, one-second chunks as
    /// windows), small: 5 inputs, 20 s.
    func filterExperiment(seed: Int, rule: String, extra: String = "") throws -> String {
        let text = """
            population inputs = 5 poisson_source(rate = 40 Hz, t_ref = 10 ms)
            population cell = 1 lif_delta(rho_0 = 1 Hz, delta_V = 1 mV)
            synapse filter = bayesian(link = identity, prior_mean = 0, prior_var = 1, tau = 10 s, rule = \(rule)\(extra),
                                      tau_eps = 25 ms, g0 = 1 Hz, beta = 0.8 / (1 mV))
            connect inputs -> cell all_to_all using filter weight 1 mV delay 1 ms
            simulate 20 s warmup 0 ms seed \(seed) resolution 1 ms

            """
        let path = scratch.appendingPathComponent("filter-\(seed).vsl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Posteriors, teacher, traces, input spikes, generators and metrics of the diagonal filter and
    /// the gradient rule; the traces in CSV, NumPy and HDF5.
    func testSynapticFilterExperimentResumesByteForByte() throws {
        for (seed, rule) in [(51, "synaptic_filter"), (52, "gradient(eta = 0.02)"), (53, "synaptic_filter")] {
            try assertResumesByteForByte(try filterExperiment(seed: seed, rule: rule), seed: seed, windows: 20,
                                         arguments: seed == 53 ? ["--format", "csv,npy,hdf5"] : [],
                                         expect: ["traces.mu.csv", "traces.teacher.csv", "traces.sigma2.csv"])
        }
    }

    /// The full-covariance filter (its dense covariance, docs/CHECKPOINT.md) resumes byte for byte too,
    /// on two seeds; the particle reference and the sampling filter, which only the API and `vesicle
    /// paper` run, are tested in VesicleSynapsesTests/SynapticFilterCheckpointTests.swift.
    func testFullCovarianceFilterResumesByteForByte() throws {
        for seed in [54, 55] {
            try assertResumesByteForByte(try filterExperiment(seed: seed, rule: "synaptic_filter", extra: ", covariance = full"),
                                         seed: seed, windows: 20,
                                         expect: ["traces.mu.csv", "traces.teacher.csv", "traces.sigma2.csv"])
        }
    }

    /// The feedback experiment (linear readout, docs/MODEL.md §4): 30 inputs, 10-ms bins, 20 s in
    /// one-second chunks (its windows), with a release log, posterior traces and an input raster.
    func feedbackExperiment(seed: Int, rule: String) throws -> String {
        let text = """
            population inputs = 30 poisson_source(rate = lognormal(mu = 0, sigma = 0.5 * log(10), unit = 1 Hz))
            population readout = 1 linear_readout(sigma_0 = 2 mV)
            synapse plastic = bayesian(link = log, prior_mean = -0.669, prior_var = 0.07448, tau = 10 s, release = posterior,
                                       rule = \(rule), sigma_delta = exact,
                                       initial_mean = normal(-0.669, 0.669), initial_var = 0.07448)
            connect inputs -> readout all_to_all using plastic weight 1 mV delay 1 ms
            feedback readout {
                bin = 10 ms
                sigma_0 = 2 mV
                teacher = ou(mean = -0.669, var = 0.07448, tau = 10 s)
            }
            record releases "inputs->readout" limit 20
            record posterior "inputs->readout" every 1 s limit 10
            record spikes inputs[0:10]
            simulate 20 s seed \(seed)

            """
        let path = scratch.appendingPathComponent("feedback-\(seed).vsl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Synapses (posteriors, targets, generators), the spike queue, metrics and trace samples of
    /// the supervised and the reinforcement rule; the outputs in CSV and in NumPy and HDF5.
    func testFeedbackExperimentResumesByteForByte() throws {
        for (seed, rule) in [(61, "supervised"), (62, "reinforcement"), (63, "supervised")] {
            try assertResumesByteForByte(try feedbackExperiment(seed: seed, rule: rule), seed: seed, windows: 20,
                                         arguments: seed == 63 ? ["--format", "csv,npy,hdf5"] : [],
                                         expect: ["release.csv", "spikes.csv", "traces.mu.csv"])
        }
    }

    /// A recorder file changed after its checkpoint (one byte of spikes.csv within the checkpointed
    /// prefix; its length unchanged) is refused by its content's SHA-256, and nothing changes.
    func testRecorderFileChangedAfterTheCheckpointIsRefusedByContent() throws {
        let net = try network(seed: 71, name: "content")
        let cut = scratch.appendingPathComponent("cut").path
        let stopped = try vesicle("run", net, "--out", cut, "--quiet", "--checkpoint-every", "1000s", "--stop-after-window", "60")
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let spikes = URL(fileURLWithPath: cut + "/spikes.csv")
        var bytes = try Data(contentsOf: spikes)
        XCTAssertGreaterThan(bytes.count, 100)
        let k = bytes.count / 2
        bytes[k] = bytes[k] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try bytes.write(to: spikes)
        let before = try FileManager.default.contentsOfDirectory(atPath: cut).sorted()
        let refused = try vesicle("resume", cut, "--quiet")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("are not those checkpoint"), refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cut).sorted(), before)
        XCTAssertEqual(try Data(contentsOf: spikes), bytes)
    }

    /// A file the network reads (here a spike-time list) changed after the checkpoint is refused by
    /// its SHA-256, and the run resumes once the file is back as it was.
    func testChangedFileTheNetworkReadsIsRefused() throws {
        let times = scratch.appendingPathComponent("kick.txt")
        try "5\n60\n".write(to: times, atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: try network(seed: 72, name: "reads"), encoding: .utf8)
            .replacingOccurrences(of: "spike_times(times = [5 ms, 60 ms])", with: "spike_times(times = file(\"kick.txt\"))")
        let net = scratch.appendingPathComponent("reads.vsl").path
        try text.write(toFile: net, atomically: true, encoding: .utf8)
        let cut = scratch.appendingPathComponent("cut").path
        let stopped = try vesicle("run", net, "--out", cut, "--quiet", "--checkpoint-every", "1000s", "--stop-after-window", "30")
        XCTAssertEqual(stopped.status, 130, stopped.stdout + stopped.stderr)
        try "5\n61\n".write(to: times, atomically: true, encoding: .utf8)
        let refused = try vesicle("resume", cut, "--quiet")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("kick.txt, which the network reads, is not the one checkpoint"), refused.stderr)
        try "5\n60\n".write(to: times, atomically: true, encoding: .utf8)
        let resumed = try vesicle("resume", cut, "--quiet")
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
    }
}
