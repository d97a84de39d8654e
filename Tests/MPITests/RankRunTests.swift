// `mpirun -np R vesicle run FILE --threads T` writes the one-process run's files byte for byte, for
// (R, T) = (1, 1), (2, 1), (3, 1), (2, 2) (issue 16; docs/DESIGN.md, Ranks). 3 ranks oversubscribe
// this 2-core machine; that changes the timing, never the bytes.

import Foundation
import XCTest

final class RankRunTests: MPITestCase {
    static let splits: [(ranks: Int, threads: Int)] = [(1, 1), (2, 1), (3, 1), (2, 2)]

    /// Runs `file` plainly on one thread, then under mpirun for every split, and compares every file
    /// but metadata.json byte for byte; checks the metadata records ranks and threads.
    func assertByteIdenticalOnRanks(_ file: String, _ arguments: [String], splits: [(ranks: Int, threads: Int)] = splits,
                                    minimumFiles: Int, line: UInt = #line) throws {
        let name = URL(fileURLWithPath: file).lastPathComponent
        let plain = scratch.appendingPathComponent("\(name)-plain").path
        let base = ["run", file, "--format", "csv,npy,hdf5", "--quiet"] + arguments
        let first = try run(base + ["--out", plain], ranks: nil)
        XCTAssertEqual(first.status, 0, "\(name): \(first.stderr)", line: line)
        let reference = try files(in: plain)
        XCTAssertGreaterThanOrEqual(reference.count, minimumFiles, "\(name): \(reference.keys.sorted())", line: line)
        XCTAssertGreaterThan(reference.values.map(\.count).min() ?? 0, 0, name, line: line)
        for (ranks, threads) in splits {
            let out = scratch.appendingPathComponent("\(name)-\(ranks)x\(threads)").path
            let result = try run(base + ["--out", out, "--threads", "\(threads)"], ranks: ranks)
            XCTAssertEqual(result.status, 0, "\(name) on \(ranks)x\(threads): \(result.stderr)", line: line)
            let written = try files(in: out)
            XCTAssertEqual(written.keys.sorted(), reference.keys.sorted(), "\(name) on \(ranks)x\(threads)", line: line)
            for (file, data) in written {
                XCTAssertTrue(data == reference[file], "\(name) on \(ranks) ranks x \(threads) threads: \(file) differs", line: line)
            }
            let metadata = try metadata(out)
            XCTAssertEqual(metadata["ranks"] as? Int, ranks, name, line: line)
            XCTAssertEqual(metadata["threads"] as? Int, threads, name, line: line)
            XCTAssertEqual(metadata["completed"] as? Bool, true, name, line: line)
        }
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = scratch.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Static Brunel (lif_delta, fixed in-degree, Poisson drive) with a membrane trace across every
    /// partition boundary: spikes and samples of other ranks' neurons reach rank 0 in the one order.
    func testStaticBrunelIsByteIdenticalOnRanks() throws {
        let file = try write("""
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 1600 lif { V_m = uniform(0 mV, 20 mV) }
            population I = 400 lif { V_m = uniform(0 mV, 20 mV) }
            input ext = poisson(rate = 20 kHz) -> E, I weight 0.1 mV delay 1.5 ms
            connect E -> E, I fixed_indegree(160) weight 0.1 mV delay 1.5 ms
            connect I -> E, I fixed_indegree(40) weight -0.5 mV delay 1.5 ms
            record spikes E, I
            record membrane E every 1 ms
            simulate 60 ms warmup 10 ms seed 11
            """, "static.vsl")
        try assertByteIdenticalOnRanks(file, [], minimumFiles: 6)
    }

    /// Bayesian Brunel: every rank releases every row, so the release log and posterior traces rank
    /// 0 writes are the one-process run's, and so are the spikes the releases cause.
    func testBayesianBrunelIsByteIdenticalOnRanks() throws {
        let file = try write("""
            let s2 = 0.07448
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 1600 lif { V_m = uniform(0 mV, 20 mV) }
            population I = 400 lif { V_m = uniform(0 mV, 20 mV) }
            synapse be = bayesian(prior_mean = log(0.1) - s2 / 2, prior_var = s2, tau = 1000 s, release = posterior)
            synapse bi = bayesian(prior_mean = log(0.5) - s2 / 2, prior_var = s2, tau = 1000 s, release = posterior)
            input ext = poisson(rate = 20 kHz) -> E, I weight 0.1 mV delay 1.5 ms
            connect E -> E, I fixed_indegree(160) using be weight 0.1 mV delay 1.5 ms
            connect I -> E, I fixed_indegree(40) using bi weight -0.5 mV delay 1.5 ms
            record spikes E, I
            record releases "E->E" limit 5000
            record posterior "E->E" every 5 ms limit 40
            simulate 40 ms warmup 5 ms seed 3
            """, "bayesian.vsl")
        try assertByteIdenticalOnRanks(file, [], minimumFiles: 9)
    }

    /// Bayesian projections held in part on each rank with per-synapse delays (a row's parts per
    /// delay are placed in their whole parts, `BayesianRowLayout`), `release = mean` (no draws) and
    /// a constant initial mean, onto lif_exp neurons (held in part too) and lif_delta ones; the
    /// release log and posterior traces of several projections cross every rank boundary.
    func testBayesianPartsWithRandomDelaysOntoLIFExpAreByteIdenticalOnRanks() throws {
        let file = try write("""
            let s2 = 0.07448
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            neuron cell = lif_exp(tau_m = 10 ms, C_m = 250 pF, E_L = 0 mV, V_th = 15 mV, V_reset = 0 mV, t_ref = 2 ms)
            population E = 500 lif { V_m = uniform(0 mV, 20 mV) }
            population X = 97 cell { V_m = uniform(0 mV, 15 mV) }
            synapse b = bayesian(prior_mean = log(0.1) - s2 / 2, prior_var = s2, tau = 1000 s, release = posterior, initial_mean = log(0.12) - s2 / 2)
            synapse bx = bayesian(prior_mean = log(30) - s2 / 2, prior_var = s2, tau = 50 ms, release = posterior)
            synapse m = bayesian(prior_mean = log(20) - s2 / 2, prior_var = s2, tau = 1000 s, release = mean)
            input ext = poisson(rate = 20 kHz) -> E weight 0.1 mV delay 1.5 ms
            input drive = poisson(rate = 4 kHz) -> X weight 40 pA delay 1 ms
            connect E -> E fixed_indegree(50) using b weight 0.1 mV delay uniform(1 ms, 3 ms) as "EE"
            connect E -> X fixed_indegree(30) using bx weight 30 pA delay uniform(1 ms, 2 ms) as "EX"
            connect X -> X pairwise_bernoulli(0.1) using m weight 20 pA delay 1 ms as "XX"
            record spikes E, X
            record releases "EX"
            record posterior "EX" every 2 ms limit 2000
            record membrane X every 1 ms
            simulate 50 ms seed 9
            """, "bayesian-delays.vsl")
        try assertByteIdenticalOnRanks(file, [], minimumFiles: 9)
    }

    /// A Bayesian projection held in part with `release = mean` and per-synapse delays (uniform in
    /// [1, 3] ms: 21 steps, about 5 synapses per row, so a rank often holds none of a row's delay),
    /// starting away from its prior (tau 50 ms), so that every relaxation of a row's stored Float
    /// posteriors rounds: each rank must bring a row up to date at exactly the one-process run's
    /// deliveries (those of every delay the whole row has, `BayesianRowLayout.wholeParts`), or the
    /// posterior traces and release log differ in their last bits.
    func testMeanReleaseBayesianPartsWithRandomDelaysAreByteIdenticalOnRanks() throws {
        let file = try write("""
            neuron cell = lif_exp(tau_m = 10 ms, C_m = 250 pF, E_L = 0 mV, V_th = 15 mV, V_reset = 0 mV, t_ref = 2 ms)
            population X = 97 cell { V_m = uniform(0 mV, 15 mV) }
            synapse m = bayesian(prior_mean = 30, prior_var = 4, tau = 50 ms, initial_mean = 45, initial_var = 9, release = mean)
            input drive = current(amplitude = 300 pA) -> X
            input ext = poisson(rate = 4 kHz) -> X weight 40 pA delay 1 ms
            connect X -> X fixed_indegree(5) using m weight 1 pA delay uniform(1 ms, 3 ms) as "XX"
            record spikes X
            record releases "XX"
            record posterior "XX" every 1 ms limit 1000
            simulate 100 ms seed 13
            """, "mean-delays.vsl")
        try assertByteIdenticalOnRanks(file, [], minimumFiles: 7)
    }

    /// lif_exp with a constant current, Poisson drive, recurrent synapses and a membrane trace.
    func testLIFExpNetworkIsByteIdenticalOnRanks() throws {
        let file = try write("""
            neuron cell = lif_exp(tau_m = 10 ms, C_m = 250 pF, E_L = 0 mV, V_th = 15 mV, V_reset = 0 mV, t_ref = 2 ms)
            population N = 90 cell { V_m = uniform(0 mV, 15 mV) }
            input drive = current(amplitude = 300 pA) -> N
            input ext = poisson(rate = 4 kHz) -> N weight 40 pA delay 1 ms
            connect N -> N fixed_indegree(9) weight 30 pA delay 1 ms
            record spikes N
            record membrane N every 0.5 ms
            simulate 100 ms seed 5
            """, "lifexp.vsl")
        try assertByteIdenticalOnRanks(file, [], minimumFiles: 6)
    }

    /// Kernel-driven currents from Poisson sources, convolution path pinned (every rank must use
    /// rank 0's; `automatic` is checked to agree, not assumed to).
    func testKernelProjectionIsByteIdenticalOnRanks() throws {
        try assertByteIdenticalOnRanks(network("kernel_input.vsl"), ["--duration", "200ms", "--kernel-path", "direct"],
                                       minimumFiles: 3)
    }

    /// A learning network: escape noise, spike-based learning of Bayesian synapses (docs/MODEL.md
    /// §5) and posterior traces. Every rank learns from every spike, so every rank's posteriors, and
    /// rank 0's traces, are the one-process run's.
    func testLearningNetworkIsByteIdenticalOnRanks() throws {
        try assertByteIdenticalOnRanks(network("synaptic_filter_recurrent.vsl"), ["--duration", "300ms"], minimumFiles: 6)
    }

    /// One neuron on up to 4 partitions: most partitions own nothing, and the run is the same.
    func testFewerNeuronsThanPartitionsStillRuns() throws {
        try assertByteIdenticalOnRanks(network("single_neuron.vsl"), ["--duration", "50ms"],
                                       splits: [(3, 1), (2, 2)], minimumFiles: 6)
    }

    /// STDP (E->E, with weight samples) and short-term plasticity (E->I): a synapse's weight and
    /// its target's post history are its target's partition's, on whichever rank; rank 0 gathers
    /// the weight samples of the other ranks' targets and merges them by synapse.
    func testPlasticNetworkIsByteIdenticalOnRanks() throws {
        try assertByteIdenticalOnRanks(network("plastic_ei.vsl"), ["--duration", "300ms"], minimumFiles: 6)
    }
}
