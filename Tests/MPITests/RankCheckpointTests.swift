// Checkpoints on ranks (issue 17 with issue 16; docs/CHECKPOINT.md, On ranks): a run on R ranks
// stopped at a seeded window writes the one-process checkpoint byte for byte (each rank's part of
// the per-neuron state merged on rank 0), and a resume on any rank count, or as one process, or a
// one-process checkpoint resumed on ranks, writes every file as an uninterrupted run's. SIGTERM on
// the launcher checkpoints every rank at the same window boundary.

import Foundation
import XCTest

final class RankCheckpointTests: MPITestCase {
    /// Brunel's network at N = 500 (D = 1.5 ms: 180 ms are 120 windows) with a membrane sampler
    /// across the rank boundaries, a spike-time input and a current step; static or Bayesian (with a
    /// release log and posterior samplers).
    /// `spreadDelays`: E -> E, I delays uniform in [1.5, 4] ms (a Bayesian row's parts and ordinals
    /// per delay).
    func brunel(bayesian: Bool, seed: Int, duration: String = "160 ms", spreadDelays: Bool = false) throws -> String {
        let synapses = bayesian ? """
            synapse be = bayesian(prior_mean = log(0.1) - 0.07448 / 2, prior_var = 0.07448, tau = 1000 s, release = posterior)
            synapse bi = bayesian(prior_mean = log(0.5) - 0.07448 / 2, prior_var = 0.07448, tau = 1000 s, release = posterior)
            connect E -> E, I fixed_indegree(40) using be weight 0.1 mV delay \(spreadDelays ? "uniform(1.5 ms, 4 ms)" : "1.5 ms")
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
            record membrane E every 0.5 ms
            simulate \(duration) warmup 20 ms seed \(seed)

            """
        let path = scratch.appendingPathComponent("brunel-\(bayesian ? "bayesian" : "static")-\(seed)\(spreadDelays ? "-spread" : "").vsl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A window in 5 ..< 115 of 120 drawn from `seed` (SplitMix64-style mix).
    func window(seed: Int) -> Int {
        var mix = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        mix = (mix ^ (mix >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return 5 + Int((mix ^ (mix >> 29)) % 110)
    }

    func checkpoints(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix(".checkpoint-") && $0.hasSuffix(".vsck") }.sorted()
    }

    /// Every output file of `other` equals `reference`'s byte for byte; `expected` are the starts of
    /// names the run must have written (so that an empty directory cannot pass).
    func assertSameFiles(_ reference: String, _ other: String, _ what: String, expected: [String] = ["spikes.csv"],
                         line: UInt = #line) throws {
        let left = try files(in: reference), right = try files(in: other)
        XCTAssertEqual(left.keys.sorted(), right.keys.sorted(), what, line: line)
        for name in expected {
            XCTAssertTrue(left.keys.contains { $0.hasPrefix(name) }, "\(what): no \(name)… in \(left.keys.sorted())", line: line)
        }
        for (name, bytes) in left {
            XCTAssertTrue(bytes == right[name], "\(what): \(name) differs (\(bytes.count) vs \(right[name]?.count ?? -1) bytes)", line: line)
        }
        let metadata = try metadata(other)
        XCTAssertEqual(metadata["completed"] as? Bool, true, what, line: line)
        XCTAssertEqual(metadata["file_sha256"] as? [String: String], try self.metadata(reference)["file_sha256"] as? [String: String],
                       what, line: line)
    }

    /// `vesicle run FILE --stop-after-window W` with a checkpoint at the stop, on `ranks` (nil: one
    /// process) of `threads` each; returns the run directory.
    func stopped(_ file: String, at window: Int, ranks: Int?, threads: Int, _ name: String,
                 arguments: [String] = [], line: UInt = #line) throws -> String {
        let out = scratch.appendingPathComponent(name).path
        let result = try run(["run", file, "--out", out, "--quiet", "--threads", "\(threads)", "--checkpoint-every", "1000s",
                              "--stop-after-window", "\(window)"] + arguments, ranks: ranks)
        XCTAssertNotEqual(result.status, 0, "\(name): a stopped run says so (\(result.stderr))", line: line)
        XCTAssertEqual(checkpoints(out), [String(format: ".checkpoint-%012d.vsck", window)], "\(name): \(result.stderr)", line: line)
        XCTAssertEqual(try metadata(out)["completed"] as? Bool, false, name, line: line)
        return out
    }

    func resume(_ directory: String, ranks: Int?, threads: Int, line: UInt = #line) throws {
        let result = try run(["resume", directory, "--quiet", "--threads", "\(threads)"], ranks: ranks)
        XCTAssertEqual(result.status, 0, "resume on \(ranks ?? 1) ranks: \(result.stdout) \(result.stderr)", line: line)
    }

    /// The uninterrupted one-process run of `file` (`full<suffix>`), and `file` stopped at `window`
    /// as one process (`plain<suffix>`) and on each of `rankCounts` ranks of one thread
    /// (`ranks<R><suffix>`), every rank count's checkpoint asserted to be the one-process checkpoint
    /// byte for byte; `what` starts the messages. Returns the run directories, the stops on ranks by
    /// rank count.
    func stoppedAlike(_ file: String, at window: Int, ranks rankCounts: [Int], _ suffix: String, _ what: String,
                      line: UInt = #line) throws -> (full: String, plain: String, onRanks: [Int: String]) {
        let full = scratch.appendingPathComponent("full\(suffix)").path
        XCTAssertEqual(try run(["run", file, "--out", full, "--quiet"], ranks: nil).status, 0, what, line: line)
        let name = String(format: ".checkpoint-%012d.vsck", window)
        let plain = try stopped(file, at: window, ranks: nil, threads: 1, "plain\(suffix)", line: line)
        let expected = try Data(contentsOf: URL(fileURLWithPath: plain + "/" + name))
        var onRanks: [Int: String] = [:]
        for ranks in rankCounts {
            let cut = try stopped(file, at: window, ranks: ranks, threads: 1, "ranks\(ranks)\(suffix)", line: line)
            XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: cut + "/" + name)) == expected,
                          "\(what): the \(ranks)-rank checkpoint of window \(window) is the one-process checkpoint", line: line)
            onRanks[ranks] = cut
        }
        return (full, plain, onRanks)
    }

    /// For static Brunel on seeds 1 and 2: a checkpoint written on 2 and 3 ranks is byte for byte the
    /// one-process checkpoint of the same window; resumed on 3 ranks, on one process with 2 threads,
    /// and a one-process checkpoint resumed on 2 ranks of 2 threads: every file is the uninterrupted
    /// run's.
    func testStaticBrunelCheckpointsOnRanksAndResumesOnAnyRankCount() throws {
        for seed in [1, 2] {
            let file = try brunel(bayesian: false, seed: seed)
            let w = window(seed: seed)
            let (full, plain, cut) = try stoppedAlike(file, at: w, ranks: [2], "-\(seed)", "seed \(seed)")
            let two = try XCTUnwrap(cut[2])
            try resume(two, ranks: 3, threads: 1)
            try assertSameFiles(full, two, "seed \(seed): 2 ranks, resumed on 3")
            let from = try XCTUnwrap(try metadata(two)["resumed_from"] as? [[String: Any]])
            XCTAssertEqual(from.first?["ranks"] as? Int, 3)
            XCTAssertEqual(from.first?["window"] as? Int, w)

            let w3 = window(seed: seed + 10)
            let three = try stopped(file, at: w3, ranks: 3, threads: 1, "three-\(seed)")
            try resume(three, ranks: nil, threads: 2)
            try assertSameFiles(full, three, "seed \(seed): 3 ranks, resumed on one process")

            try resume(plain, ranks: 2, threads: 2)
            try assertSameFiles(full, plain, "seed \(seed): one process, resumed on 2 ranks x 2 threads")
        }
    }

    /// Bayesian Brunel (posterior release, one initial mean: held per rank, each rank its own targets'
    /// synapses of every row) with a release log and posterior samplers, on seed 3 (delay 1.5 ms) and
    /// seed 4 (E -> E, I delays spread over [1.5, 4] ms: ordinals per delay, and ranks that hold no
    /// synapse of some delay): the checkpoints written on 2 and on 3 ranks are byte for byte the
    /// one-process checkpoint of the same window (posteriors merged per synapse in the whole
    /// build's order); resumed on 3 ranks, on one process with 2 threads, and the one-process
    /// checkpoint on 2 ranks x 2 threads, every file is the uninterrupted one-process run's, and the
    /// end-of-run checkpoints of the 3-rank and one-process resumptions are the same bytes.
    func testBayesianBrunelCheckpointsOnRanksAndResumesOnAnyRankCount() throws {
        for (seed, spread) in [(3, false), (4, true)] {
            let file = try brunel(bayesian: true, seed: seed, spreadDelays: spread)
            let (full, plain, cut) = try stoppedAlike(file, at: window(seed: seed), ranks: [2, 3], "-\(seed)", "seed \(seed)")
            try resume(cut[2]!, ranks: 3, threads: 1)
            try assertSameFiles(full, cut[2]!, "seed \(seed): 2 ranks, resumed on 3", expected: ["spikes.csv", "release.csv", "traces.mu"])
            try resume(cut[3]!, ranks: nil, threads: 1)
            try assertSameFiles(full, cut[3]!, "seed \(seed): 3 ranks, resumed on one process", expected: ["spikes.csv", "release.csv", "traces.mu"])
            let end = try XCTUnwrap(checkpoints(cut[2]!).last)
            XCTAssertEqual(checkpoints(cut[3]!).last, end)
            XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: cut[2]! + "/" + end))
                          == Data(contentsOf: URL(fileURLWithPath: cut[3]! + "/" + end)),
                          "seed \(seed): the final checkpoints written on 3 ranks and on one process are the same bytes")
            try resume(plain, ranks: 2, threads: 2)
            try assertSameFiles(full, plain, "seed \(seed): one process, resumed on 2 ranks x 2 threads", expected: ["spikes.csv", "release.csv"])
        }
    }

    /// lif_exp with Bayesian synapses that release their mean, start away from the prior (initial
    /// mean 45, prior 30, tau 50 ms: every delivery relaxes and stores a row's posteriors and time)
    /// and are sparse (indegree 3 of 90: rows without synapses, some at the end), held per rank,
    /// with one delay and with per-synapse delays (uniform in [1, 3] ms: a rank often holds none of
    /// a row's synapses of a delay the whole row has, and relaxes the row there all the same):
    /// stopped at window 37 on 2 and on 3 ranks, the checkpoints are the one-process one; resumed on
    /// one process, on 2 ranks x 2 threads, and the one-process checkpoint on 3 ranks, every file is
    /// the uninterrupted one-process run's.
    func testMeanReleaseBayesianLIFExpCheckpointsOnRanks() throws {
        for (k, delay) in ["1 ms", "uniform(1 ms, 3 ms)"].enumerated() {
            let file = scratch.appendingPathComponent("mean-\(k).vsl").path
            try """
                neuron cell = lif_exp(tau_m = 10 ms, C_m = 250 pF, E_L = 0 mV, V_th = 15 mV, V_reset = 0 mV, t_ref = 2 ms)
                population N = 90 cell { V_m = uniform(0 mV, 15 mV) }
                input drive = current(amplitude = 300 pA) -> N
                input ext = poisson(rate = 4 kHz) -> N weight 40 pA delay 1 ms
                synapse bm = bayesian(prior_mean = 30, prior_var = 4, tau = 50 ms, initial_mean = 45, initial_var = 9, release = mean)
                connect N -> N fixed_indegree(3) using bm weight 1 pA delay \(delay)
                record spikes N
                record releases "N->N"
                record posterior "N->N" every 2 ms limit 40
                record membrane N every 0.5 ms
                simulate 100 ms seed 5
                """.write(toFile: file, atomically: true, encoding: .utf8)
            let (full, plain, cut) = try stoppedAlike(file, at: 37, ranks: [2, 3], "-\(k)", "mean release, delay \(delay)")
            let two = try XCTUnwrap(cut[2]), three = try XCTUnwrap(cut[3])
            let traces = ["spikes.csv", "release.csv", "traces.mu", "traces.membrane_N"]
            try resume(two, ranks: nil, threads: 1)
            try assertSameFiles(full, two, "mean release, delay \(delay): 2 ranks, resumed on one process", expected: traces)
            try resume(three, ranks: 2, threads: 2)
            try assertSameFiles(full, three, "mean release, delay \(delay): 3 ranks, resumed on 2 ranks x 2 threads", expected: traces)
            try resume(plain, ranks: 3, threads: 1)
            try assertSameFiles(full, plain, "mean release, delay \(delay): one process, resumed on 3 ranks", expected: traces)
        }
    }

    /// The Bayesian rows held per rank that are not checkpointed on ranks are refused at
    /// --checkpoint-every with their reason, before anything runs: per-synapse initial means
    /// (whether rows share one posterior is the whole build's). (`release = mean` with per-synapse
    /// delays is checkpointed: `testMeanReleaseBayesianLIFExpCheckpointsOnRanks`.)
    func testBayesianRowsOnRanksThatCannotBeCheckpointedAreRefused() throws {
        let reason = "with per-synapse initial means"
        let file = scratch.appendingPathComponent("refused.vsl").path
        try """
            neuron cell = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population N = 60 cell { V_m = uniform(0 mV, 20 mV) }
            input ext = poisson(rate = 20 kHz) -> N weight 0.1 mV delay 1 ms
            synapse bm = bayesian(prior_mean = 0.1, prior_var = 0.01, tau = 1 s, initial_mean = uniform(40, 50), release = mean)
            connect N -> N fixed_indegree(5) using bm weight 0.1 mV delay 1 ms
            record spikes N
            simulate 20 ms seed 1
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("refused").path
        let result = try run(["run", file, "--out", out, "--quiet", "--checkpoint-every", "10ms"], ranks: 2)
        XCTAssertNotEqual(result.status, 0, reason)
        XCTAssertTrue(result.stderr.contains("Bayesian synapses held per rank \(reason)"), result.stderr)
        XCTAssertEqual(try run(["run", file, "--out", out + "-one", "--quiet", "--checkpoint-every", "10ms"], ranks: nil).status, 0,
                       "\(reason): one process checkpoints it")
    }

    /// lif_exp (held per rank: each rank its own block), spike-based learning
    /// with escape noise, and kernel-driven currents: stopped on 2 ranks x 2 threads, resumed on 3
    /// ranks (or 2, for the kernel run), every file the uninterrupted run's.
    func testLIFExpLearningAndKernelRunsCheckpointOnRanks() throws {
        let lifexp = scratch.appendingPathComponent("lifexp.vsl").path
        try """
            neuron cell = lif_exp(tau_m = 10 ms, C_m = 250 pF, E_L = 0 mV, V_th = 15 mV, V_reset = 0 mV, t_ref = 2 ms)
            population N = 90 cell { V_m = uniform(0 mV, 15 mV) }
            input drive = current(amplitude = 300 pA) -> N
            input ext = poisson(rate = 4 kHz) -> N weight 40 pA delay 1 ms
            connect N -> N fixed_indegree(9) weight 30 pA delay 1 ms
            record spikes N
            record membrane N every 0.5 ms
            simulate 100 ms seed 5
            """.write(toFile: lifexp, atomically: true, encoding: .utf8)
        let cases: [(file: String, arguments: [String], window: Int, resumeRanks: Int, expected: [String])] = [
            (lifexp, [], 37, 3, ["spikes.csv", "traces.membrane_N"]),
            (network("synaptic_filter_recurrent.vsl"), ["--duration", "300ms"], 61, 3, ["spikes.csv", "traces.mu", "traces.sigma2"]),
            (network("kernel_input.vsl"), ["--duration", "200ms", "--kernel-path", "direct"], 45, 2, ["spikes.csv"]),
        ]
        for (k, c) in cases.enumerated() {
            let full = scratch.appendingPathComponent("full-\(k)").path
            let reference = try run(["run", c.file, "--out", full, "--quiet"] + c.arguments, ranks: nil)
            XCTAssertEqual(reference.status, 0, reference.stderr)
            let cut = try stopped(c.file, at: c.window, ranks: 2, threads: 2, "cut-\(k)", arguments: c.arguments)
            try resume(cut, ranks: c.resumeRanks, threads: 1)
            try assertSameFiles(full, cut, "\(URL(fileURLWithPath: c.file).lastPathComponent): 2 x 2, resumed on \(c.resumeRanks) ranks",
                                expected: c.expected)
        }
    }

    /// SIGTERM to mpirun during a run with periodic checkpoints: every rank stops at the same window
    /// boundary and a checkpoint of it is written; resumed on 2 ranks, every file is the uninterrupted
    /// run's.
    func testSigtermOnTheLauncherCheckpointsAndResumes() throws {
        let file = try brunel(bayesian: false, seed: 9, duration: "8 s")
        let full = scratch.appendingPathComponent("full").path
        XCTAssertEqual(try run(["run", file, "--out", full, "--quiet"], ranks: nil, timeout: 300).status, 0)
        let out = scratch.appendingPathComponent("cut").path
        let started = try start(["run", file, "--out", out, "--quiet", "--checkpoint-every", "300ms"], ranks: 2)
        let deadline = Date().addingTimeInterval(180)
        while started.0.isRunning, checkpoints(out).isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertTrue(started.0.isRunning, "the run ended before it could be stopped")
        started.0.terminate()
        let result = try wait(started, timeout: 120)
        XCTAssertEqual(result.reason, .exit, result.stderr)
        let metadata = try metadata(out)
        XCTAssertEqual(metadata["completed"] as? Bool, false, result.stderr)
        XCTAssertEqual(metadata["stop_reason"] as? String, "SIGTERM", result.stderr)
        // The stop's checkpoint is at the window the ranks stopped at.
        let reached = try XCTUnwrap(metadata["simulated_time_ms"] as? Double)
        let last = try XCTUnwrap(checkpoints(out).last)
        XCTAssertEqual(Double(last.dropFirst(".checkpoint-".count).prefix(12)).map { $0 * 1.5 } ?? -1, reached, accuracy: 1e-9,
                       "the last checkpoint \(last) is of the window the run stopped at (\(reached) ms)")
        try resume(out, ranks: 2, threads: 1)
        try assertSameFiles(full, out, "SIGTERM on the launcher, resumed on 2 ranks")
    }

    /// An STDP network (E -> E all-to-all with sampled weights, fixed_indegree: one run of a rank's
    /// synapses per row; I -> E nearest-neighbour by fixed_outdegree: rows not sorted by target, so
    /// a rank's synapses are scattered one by one; S -> H from rare sources onto fast neurons, whose
    /// full post histories sweep the synapses) and a Tsodyks-Markram network (facilitating E ->
    /// E with per-synapse weights, depressing E -> I with one weight; sparse, so some rows have no
    /// synapses). Each is stopped at a seeded window on one process, on 2 and 3 ranks and on 2 ranks
    /// x 2 threads: every checkpoint is the one-process checkpoint byte for byte (each rank's
    /// synapses, rows, post states and post events merged); resumed on 3 ranks, on one process with
    /// 2 threads, on 2 ranks x 2 threads and on 2 ranks, every output file is the uninterrupted
    /// one-process run's, and the end-of-run checkpoints are the same bytes.
    func testPlasticNetworksCheckpointOnRanksAndResumeOnAnyRankCount() throws {
        let stdp = """
            population E = 300 lif_delta
            population I = 75 lif_delta
            population S = 40 poisson_source(rate = 1 Hz)
            population H = 30 lif_delta
            input drive = poisson(rate = 12 kHz) -> E, I weight 0.15 mV delay 1 ms
            input strong = poisson(rate = 100 kHz) -> H weight 0.3 mV delay 1 ms
            synapse hebb = stdp(tau_plus = 16.8 ms, tau_minus = 33.7 ms, lambda = 0.01, alpha = 1.05,
                                mu_plus = 0, mu_minus = 1, Wmax = 0.5 mV, pairing = all_to_all)
            synapse near = stdp(tau_plus = 20 ms, tau_minus = 20 ms, lambda = 0.02, alpha = 1.0,
                                mu_plus = 1, mu_minus = 1, Wmax = -1.2 mV, pairing = nearest)
            connect E -> E fixed_indegree(30) using hebb weight uniform(0.05 mV, 0.3 mV) delay 1.5 ms
            connect E -> I fixed_indegree(30) weight 0.3 mV delay 1 ms
            connect I -> E fixed_outdegree(40) using near weight uniform(-1 mV, -0.4 mV) delay 2 ms
            connect S -> H fixed_indegree(20) using hebb weight uniform(0.05 mV, 0.3 mV) delay 1 ms
            record weights "E->E" every 10 ms limit 3000
            record weights "I->E" every 10 ms limit 3000
            record weights "S->H" every 10 ms limit 600
            record spikes E, I, H
            simulate 300 ms seed 21
            """
        let tsodyks = """
            population E = 240 lif_delta
            population I = 60 lif_delta
            input drive = poisson(rate = 14 kHz) -> E, I weight 0.15 mV delay 1 ms
            synapse facilitating = tsodyks(U = 0.2, tau_rec = 150 ms, tau_fac = 400 ms)
            synapse depressing = tsodyks(U = 0.5, tau_rec = 800 ms, tau_fac = 0 ms)
            connect E -> E fixed_indegree(2) using facilitating weight uniform(0.2 mV, 0.6 mV) delay 1.5 ms
            connect E -> I fixed_indegree(40) using depressing weight 0.4 mV delay 1 ms
            connect I -> E fixed_indegree(10) weight -0.8 mV delay 1 ms
            record spikes E, I
            record membrane E[0:40] every 1 ms
            simulate 300 ms seed 22
            """
        for (name, text, seed, expected) in [("stdp", stdp, 31, ["spikes.csv", "traces.weights_E_to_E", "traces.weights_I_to_E", "traces.weights_S_to_H"]),
                                            ("tsodyks", tsodyks, 32, ["spikes.csv", "traces.membrane_E"])] {
            let file = scratch.appendingPathComponent("\(name).vsl").path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let full = scratch.appendingPathComponent("full-\(name)").path
            let reference = try run(["run", file, "--out", full, "--quiet"], ranks: nil)
            XCTAssertEqual(reference.status, 0, reference.stderr)
            // 300 ms in 1 ms windows: a window in 190 ..< 250, after H's neurons (about 400 Hz)
            // have filled their 64-entry post histories and swept S -> H's synapses (599 of them
            // by window 190 on seed 21: the sweep count is a sum over the ranks), before the
            // epoch moves (at 16 tau = 269 ms).
            let w = 190 + window(seed: seed) % 60, checkpoint = String(format: ".checkpoint-%012d.vsck", w)
            // The header records --threads (informative): each cut is compared with the one-process
            // checkpoint of the same thread count.
            let plain = try stopped(file, at: w, ranks: nil, threads: 1, "plain-\(name)")
            let plain2 = try stopped(file, at: w, ranks: nil, threads: 2, "plain2-\(name)")
            var cut: [String: String] = [:]
            for (ranks, threads) in [(2, 1), (3, 1), (2, 2)] {
                let key = "\(ranks)x\(threads)"
                cut[key] = try stopped(file, at: w, ranks: ranks, threads: threads, "\(key)-\(name)")
                let one = try Data(contentsOf: URL(fileURLWithPath: (threads == 1 ? plain : plain2) + "/" + checkpoint))
                XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: cut[key]! + "/" + checkpoint)) == one,
                              "\(name): the checkpoint of window \(w) on \(ranks) ranks x \(threads) threads is the one-process checkpoint")
            }
            try resume(cut["2x1"]!, ranks: 3, threads: 1)
            try assertSameFiles(full, cut["2x1"]!, "\(name): 2 ranks, resumed on 3", expected: expected)
            try resume(cut["3x1"]!, ranks: nil, threads: 2)
            try assertSameFiles(full, cut["3x1"]!, "\(name): 3 ranks, resumed on one process x 2 threads", expected: expected)
            try resume(cut["2x2"]!, ranks: 2, threads: 1)
            try assertSameFiles(full, cut["2x2"]!, "\(name): 2 ranks x 2 threads, resumed on 2 ranks", expected: expected)
            try resume(plain, ranks: 2, threads: 2)
            try assertSameFiles(full, plain, "\(name): one process, resumed on 2 ranks x 2 threads", expected: expected)
            // The end-of-run checkpoints of resumptions on the same thread count: on 3 ranks and on
            // 2 ranks (1 thread); on one process and on 2 ranks (2 threads).
            let end = try XCTUnwrap(checkpoints(plain).last)
            for (a, b) in [(cut["2x1"]!, cut["2x2"]!), (cut["3x1"]!, plain)] {
                XCTAssertEqual(checkpoints(a).last, end, name)
                XCTAssertEqual(checkpoints(b).last, end, name)
                XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: a + "/" + end)) == Data(contentsOf: URL(fileURLWithPath: b + "/" + end)),
                              "\(name): the end-of-run checkpoints of \(a) and \(b) are the same bytes")
            }
        }
    }
}
