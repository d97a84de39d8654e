// Checkpoint and resume (issue 17, docs/CHECKPOINT.md): a run stopped at a window boundary and
// resumed, on another thread count, writes every output file byte for byte as an uninterrupted run;
// SIGTERM and SIGKILL leave a checkpoint that resumes; a corrupted checkpoint or a changed network
// file is refused with its reason and nothing in the run directory changes; the classes of state a
// checkpoint cannot hold yet are refused at --checkpoint-every.

import Foundation
import XCTest

final class CheckpointResumeTests: CLITestCase {
    /// Brunel's network at N = 500 (D = 1.5 ms, so 180 ms are 120 windows), with a membrane sampler,
    /// a spike-time input and a current step (constant-current changes), static or Bayesian (with
    /// a release log and posterior samplers).
    func brunel(bayesian: Bool, seed: Int, duration: String = "160 ms") throws -> String {
        let synapses = bayesian ? """
            synapse be = bayesian(prior_mean = log(0.1) - 0.07448 / 2, prior_var = 0.07448, tau = 1000 s, release = posterior)
            synapse bi = bayesian(prior_mean = log(0.5) - 0.07448 / 2, prior_var = 0.07448, tau = 1000 s, release = posterior)
            connect E -> E, I fixed_indegree(40) using be weight 0.1 mV delay 1.5 ms
            connect I -> E, I fixed_indegree(10) using bi weight -0.5 mV delay 1.5 ms
            record releases "E->E" limit 300
            record posterior "E->E" every 5 ms limit 20
            """ : """
            connect E -> E, I fixed_indegree(40) weight 0.1 mV delay 1.5 ms
            connect I -> E, I fixed_indegree(10) weight -0.5 mV delay 1.5 ms
            """
        let text = """
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 400 lif { V_m = uniform(0 mV, 20 mV) }
            population I = 100 lif { V_m = uniform(0 mV, 20 mV) }
            input ext = poisson(rate = 20 kHz) -> E, I weight 0.1 mV delay 1.5 ms
            input kick = spike_times(times = [5 ms, 60 ms, 130 ms]) -> E[0:10] weight 2 mV delay 0.5 ms
            input step = current(amplitude = 0.2 nA) -> E[50:] start 40 ms stop 90 ms
            \(synapses)
            record spikes E, I
            record membrane E[0:3] every 0.5 ms
            simulate \(duration) warmup 20 ms seed \(seed)

            """
        let path = scratch.appendingPathComponent("brunel-\(bayesian ? "bayesian" : "static")-\(seed).vsl").path
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

    /// Every file (hidden ones too) with its bytes: to show a refusal changed nothing.
    func snapshot(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    func assertSameOutputs(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let left = try outputs(a), right = try outputs(b)
        XCTAssertEqual(Set(left.keys), Set(right.keys), "the same files", file: file, line: line)
        XCTAssertGreaterThanOrEqual(left.count, 3, "spikes, a trace and its JSON at least: \(left.keys.sorted())", file: file, line: line)
        for (name, bytes) in left {
            XCTAssertTrue(bytes == right[name], "\(name) differs (\(bytes.count) vs \(right[name]?.count ?? -1) bytes)", file: file, line: line)
        }
    }

    func checkpoints(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix(".checkpoint-") && $0.hasSuffix(".vsck") }.sorted()
    }

    /// Stops at a window drawn from the seed (SplitMix64-style mix, a window in 5 ..< 115 of 120),
    /// resumes on another thread count, and compares every file with an uninterrupted run.
    func interruptAndResume(bayesian: Bool, seeds: [Int]) throws {
        for seed in seeds {
            let network = try brunel(bayesian: bayesian, seed: seed)
            let full = scratch.appendingPathComponent("full-\(seed)").path
            let cut = scratch.appendingPathComponent("cut-\(seed)").path
            var mix = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
            mix = (mix ^ (mix >> 31)) &* 0xBF58_476D_1CE4_E5B9
            let window = 5 + Int((mix ^ (mix >> 29)) % 110)
            let threadsBefore = 1 + seed % 3, threadsAfter = 1 + (seed + 1) % 3
            let reference = try vesicle("run", network, "--out", full, "--quiet", "--threads", "1")
            XCTAssertEqual(reference.status, 0, reference.stderr)
            let stopped = try vesicle("run", network, "--out", cut, "--quiet", "--threads", "\(threadsBefore)",
                                      "--checkpoint-every", "1000s", "--stop-after-window", "\(window)")
            XCTAssertEqual(stopped.status, 130, stopped.stdout + stopped.stderr)
            XCTAssertEqual(checkpoints(cut).count, 1, "one checkpoint at the stop")
            let resumed = try vesicle("resume", cut, "--quiet", "--threads", "\(threadsAfter)")
            XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
            try assertSameOutputs(full, cut)
            let metadata = try jsonObject(at: cut + "/metadata.json")
            XCTAssertEqual(metadata["completed"] as? Bool, true)
            let from = try XCTUnwrap(metadata["resumed_from"] as? [[String: Any]])
            XCTAssertEqual(from.first?["window"] as? Int, window, "seed \(seed)")
            // The file fingerprints of the metadata are those of one uninterrupted run.
            let reference_ = try jsonObject(at: full + "/metadata.json")
            XCTAssertEqual(metadata["file_sha256"] as? [String: String], reference_["file_sha256"] as? [String: String])
            XCTAssertEqual(metadata["populations"] as? NSArray, reference_["populations"] as? NSArray)
        }
    }

    func testStaticBrunelResumesByteForByteOnAnyThreadCount() throws {
        try interruptAndResume(bayesian: false, seeds: [1, 2, 3])
    }

    func testBayesianBrunelWithReleaseLogAndPosteriorSamplersResumesByteForByte() throws {
        try interruptAndResume(bayesian: true, seeds: [4, 5])
    }

    /// `--duration` extends a finished run: 180 ms (120 windows), then to 330 ms, as one 330 ms run.
    func testResumeWithDurationExtendsAFinishedRun() throws {
        let network = try brunel(bayesian: true, seed: 6)
        let full = scratch.appendingPathComponent("full").path, short = scratch.appendingPathComponent("short").path
        XCTAssertEqual(try vesicle("run", network, "--out", full, "--quiet", "--duration", "310ms").status, 0)
        let first = try vesicle("run", network, "--out", short, "--quiet", "--checkpoint-every", "1000s")
        XCTAssertEqual(first.status, 0, first.stderr)
        let complete = try vesicle("resume", short, "--quiet")
        XCTAssertNotEqual(complete.status, 0)
        XCTAssertTrue(complete.stderr.contains("the run is complete"), complete.stderr)
        let extended = try vesicle("resume", short, "--quiet", "--duration", "310ms", "--threads", "2")
        XCTAssertEqual(extended.status, 0, extended.stdout + extended.stderr)
        try assertSameOutputs(full, short)
        XCTAssertEqual(try jsonObject(at: short + "/metadata.json")["duration_ms"] as? Double, 310)
    }

    /// A periodic checkpoint (every 30 ms simulated) keeps the last two; the newest corrupted by one
    /// byte is refused with its reason and nothing changes; the previous one resumes to the same files.
    func testCorruptCheckpointIsRefusedAndThePreviousResumes() throws {
        let network = try brunel(bayesian: false, seed: 7)
        let full = scratch.appendingPathComponent("full").path, cut = scratch.appendingPathComponent("cut").path
        XCTAssertEqual(try vesicle("run", network, "--out", full, "--quiet").status, 0)
        let stopped = try vesicle("run", network, "--out", cut, "--quiet", "--checkpoint-every", "30ms", "--stop-after-window", "90")
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let names = checkpoints(cut)
        XCTAssertEqual(names.count, 2, "the last two are kept: \(names)")
        let newest = cut + "/" + names[1]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: newest))
        bytes[bytes.count / 2] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: newest))
        let before = try snapshot(cut)
        let refused = try vesicle("resume", cut, "--quiet")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("corrupted"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--checkpoint \(names[0])"), "offers the previous one: \(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("nothing in"), refused.stderr)
        XCTAssertEqual(try snapshot(cut), before, "a refusal changes nothing")
        // Truncated: refused as well.
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: newest))
        let truncated = try vesicle("resume", cut, "--quiet")
        XCTAssertTrue(truncated.stderr.contains("truncated"), truncated.stderr)
        let resumed = try vesicle("resume", cut, "--quiet", "--checkpoint", names[0], "--threads", "2")
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        try assertSameOutputs(full, cut)
    }

    /// A changed network file (one byte) is refused by its SHA-256, and nothing changes.
    func testChangedNetworkFileIsRefused() throws {
        let network = try brunel(bayesian: false, seed: 8)
        let cut = scratch.appendingPathComponent("cut").path
        XCTAssertEqual(try vesicle("run", network, "--out", cut, "--quiet", "--stop-after-window", "20").status, 130)
        try (String(contentsOfFile: network, encoding: .utf8) + "# edited\n").write(toFile: network, atomically: true, encoding: .utf8)
        let before = try snapshot(cut)
        let refused = try vesicle("resume", cut, "--quiet")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("SHA-256"), refused.stderr)
        XCTAssertEqual(try snapshot(cut), before)
    }

    /// SIGTERM mid-run: a checkpoint at the next window boundary, exit 143, and the resume's files
    /// are an uninterrupted run's. Then SIGKILL mid-resume: the last periodic checkpoint resumes.
    func testSigtermAndSigkillMidRunResumeToTheSameFiles() throws {
        let network = try brunel(bayesian: false, seed: 9, duration: "20 s")
        let full = scratch.appendingPathComponent("full").path, cut = scratch.appendingPathComponent("cut").path
        XCTAssertEqual(try vesicle("run", network, "--out", full, "--quiet", "--threads", "2", timeout: 300).status, 0)
        func runningUntil(_ condition: () -> Bool, _ command: RunningCommand) {
            let deadline = Date().addingTimeInterval(120)
            while command.process.isRunning, !condition(), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        }
        let running = try VesicleExecutable.start(["run", network, "--out", cut, "--quiet", "--checkpoint-every", "500ms"],
                                                 scratch: scratch)
        runningUntil({ checkpoints(cut).count >= 1 }, running)
        XCTAssertTrue(running.process.isRunning, "the run ended before it could be stopped")
        running.process.terminate()
        let stopped = try running.wait(timeout: 120)
        XCTAssertEqual(stopped.status, 143, stopped.stdout + stopped.stderr)
        XCTAssertTrue(stopped.stdout.contains("partial: SIGTERM"), stopped.stdout)

        let resuming = try VesicleExecutable.start(["resume", cut, "--quiet", "--threads", "2"], scratch: scratch)
        let first = checkpoints(cut).last
        runningUntil({ checkpoints(cut).last != first && checkpoints(cut).count >= 2 }, resuming)
        XCTAssertTrue(resuming.process.isRunning, "the resume ended before it could be killed")
        kill(resuming.process.processIdentifier, SIGKILL)
        _ = try resuming.wait(timeout: 60)
        let final = try vesicle("resume", cut, "--quiet", timeout: 300)
        XCTAssertEqual(final.status, 0, final.stdout + final.stderr)
        try assertSameOutputs(full, cut)
        let metadata = try jsonObject(at: cut + "/metadata.json")
        XCTAssertEqual((metadata["resumed_from"] as? [Any])?.count, 2, "two resumptions recorded")
    }

    /// What a checkpoint cannot hold yet is refused up front, never silently dropped.
    func testUnsupportedRunsAreRefusedAtCheckpointEvery() throws {
        let network = try brunel(bayesian: false, seed: 10)
        let bare = try vesicle("run", network, "--checkpoint-every", "100")
        XCTAssertNotEqual(bare.status, 0)
        XCTAssertTrue(bare.stderr.contains("needs a unit"), bare.stderr)
    }
}
