// A rank holds and advances only its own neurons and their Poisson drives (issue 16; docs/DESIGN.md,
// Ranks; Sources/VesicleEngine/Neurons/OwnedNeuronMemory.swift). Under mpirun each rank writes the
// whole state of the neurons it owns at the run's end (VESICLE_NEURON_DIGEST, Sources/vesicle/
// NeuronDigest.swift): every field of each lif_delta line, asymptote, wake and epoch as bit patterns,
// and its drive's generator (its next two outputs) and next arrival; a plain one-process run writes
// the same for each rank's neurons from its whole build. The files must be equal byte for byte
// (tolerance zero), the rank must hold only its part, and the spikes must be the one-process run's,
// which they would not be if a neuron that starts above threshold fired once per rank.

import Foundation
import XCTest

final class RankNeuronStateTests: MPITestCase {
    /// E: one fused drive each (the Brunel path). I: two drives each, so not fused (the table's
    /// general path). S: a quarter of its neurons start above threshold and fire at time 0, and
    /// only its first 40 neurons are driven (some ranks own no driven neuron). X: lif_exp, which
    /// each rank holds in part too, also with neurons that start above threshold.
    static let source = """
        neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
        neuron lx = lif_exp(tau_m = 10 ms, C_m = 250 pF, E_L = 0 mV, V_th = 15 mV, V_reset = 0 mV, t_ref = 2 ms)
        population E = 401 lif { V_m = uniform(0 mV, 20 mV) }
        population I = 99 lif { V_m = uniform(0 mV, 20 mV) }
        population S = 57 lif { V_m = uniform(0 mV, 26.6 mV) }
        population X = 63 lx { V_m = uniform(0 mV, 19 mV) }
        input ext = poisson(rate = 20 kHz) -> E weight 0.1 mV delay 1.5 ms
        input a = poisson(rate = 12 kHz) -> I weight 0.1 mV delay 1.5 ms
        input b = poisson(rate = 8 kHz) -> I weight 0.1 mV delay 1.5 ms
        input c = poisson(rate = 20 kHz) -> S[0:40] weight 0.1 mV delay 1.5 ms
        input d = poisson(rate = 4 kHz) -> X weight 40 pA delay 1.5 ms
        connect E -> E, I, S fixed_indegree(40) weight 0.1 mV delay 1.5 ms
        connect I -> E, I fixed_indegree(10) weight -0.5 mV delay 1.5 ms
        connect S -> E fixed_indegree(5) weight 0.2 mV delay 1.5 ms
        connect E -> X fixed_indegree(20) weight 30 pA delay 1.5 ms
        record spikes E, I, S, X
        simulate 40 ms seed 23
        """

    func testARanksNeuronStateIsTheWholeBuildsForItsNeurons() throws {
        let file = scratch.appendingPathComponent("state.vsl").path
        try Self.source.write(toFile: file, atomically: true, encoding: .utf8)
        let plainOut = scratch.appendingPathComponent("plain").path
        var reference: [String: Data] = [:]
        for (ranks, threads) in [(1, 1), (2, 1), (3, 1), (2, 2)] {
            let digests = scratch.appendingPathComponent("digests-\(ranks)x\(threads)")
            try FileManager.default.createDirectory(at: digests, withIntermediateDirectories: true)
            let plain = try run(["run", file, "--quiet", "--force", "--format", "csv", "--threads", "\(threads)", "--out", plainOut], ranks: nil,
                                environment: ["VESICLE_NEURON_DIGEST": digests.path, "VESICLE_NEURON_DIGEST_RANKS": "\(ranks)"])
            XCTAssertEqual(plain.status, 0, plain.stderr)
            if reference.isEmpty { reference = try files(in: plainOut) }
            let out = scratch.appendingPathComponent("ranks-\(ranks)x\(threads)").path
            let ranked = try run(["run", file, "--quiet", "--format", "csv", "--threads", "\(threads)", "--out", out], ranks: ranks,
                                 environment: ["VESICLE_NEURON_DIGEST": digests.path])
            XCTAssertEqual(ranked.status, 0, ranked.stderr)
            if ranks == 1 {
                // One rank is the plain run (no MPI), which writes no rank file.
                continue
            }
            var lines = 0
            for r in 0..<ranks {
                let mine = try String(contentsOf: digests.appendingPathComponent("rank\(r).txt"), encoding: .utf8)
                let expected = try String(contentsOf: digests.appendingPathComponent("whole-rank\(r).txt"), encoding: .utf8)
                XCTAssertEqual(mine, expected, "rank \(r) of \(ranks) x \(threads) threads")
                lines += mine.split(separator: "\n").count
                // The lif_delta and lif_exp populations hold the rank's block of the R T partitions
                // only (blocks n k / P ..< n (k + 1) / P).
                let held = try String(contentsOf: digests.appendingPathComponent("held-rank\(r).txt"), encoding: .utf8)
                let p = ranks * threads
                for (name, n) in [("E", 401), ("I", 99), ("S", 57), ("X", 63)] {
                    let part = "\(n * r * threads / p)..<\(n * (r + 1) * threads / p)"
                    XCTAssertTrue(held.contains("held \(name) \(part)\n"), "rank \(r) of \(ranks) x \(threads): \(held)")
                }
            }
            XCTAssertEqual(lines, 401 + 99 + 57 + 63, "every neuron on exactly one rank")
            let written = try files(in: out)
            XCTAssertEqual(written.keys.sorted(), reference.keys.sorted())
            for (name, data) in written { XCTAssertTrue(data == reference[name], "\(name) differs on \(ranks) x \(threads)") }
        }
        // The reference run's spikes at time 0 are there, once each: S's and X's neurons that
        // start above threshold.
        let spikes = try XCTUnwrap(reference["spikes.csv"].map { String(decoding: $0, as: UTF8.self) }, "\(reference.keys)")
        let initial = spikes.split(separator: "\n").dropFirst().filter { line in
            line.split(separator: ",").last.flatMap { Double($0) } == 0
        }
        XCTAssertGreaterThan(initial.count, 5, "neurons starting above threshold fire at time 0")
        XCTAssertEqual(Set(initial).count, initial.count, "each initial spike once")
    }
}
