// A rank building its part gives the same synapses as the whole build (issue 16, tests): under
// mpirun each rank writes a digest of the synapse tables it holds (VESICLE_SYNAPSE_DIGEST,
// RankGroup+Part.swift); a plain one-process run writes, from its whole build, what each rank
// should hold: each projection's rows restricted to the rank's targets (Bayesian ones with their
// synapses' whole-build indices, posteriors and ordinals, `BuiltProjection.bayesianFingerprint`),
// and the projections built whole on every rank whole. The files must be equal line for line, and
// the parts must be real parts.

import Foundation
import XCTest

final class RankPartTests: MPITestCase {
    /// Random weights and per-synapse delays (their delay classes must be united over the ranks),
    /// four rules, two Bayesian projections built in part (one with per-synapse delays, whose
    /// releases and posteriors are logged: each part of a row is placed in its whole part by
    /// `BayesianRowLayout`), one learning Bayesian projection (built whole on every rank),
    /// populations split unevenly.
    static let source = """
        let s2 = 0.07448
        neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
        population E = 301 lif { V_m = uniform(0 mV, 20 mV) }
        population I = 77 lif { V_m = uniform(0 mV, 20 mV) }
        synapse b = bayesian(prior_mean = log(0.1) - s2 / 2, prior_var = s2, tau = 1000 s, release = posterior)
        input ext = poisson(rate = 20 kHz) -> E, I weight 0.1 mV delay 1.5 ms
        connect E -> E fixed_indegree(30) weight uniform(0.05 mV, 0.15 mV) delay uniform(1 ms, 2 ms) as "EE"
        connect E -> I pairwise_bernoulli(0.1) weight 0.1 mV delay 1.5 ms as "EI"
        connect I -> E fixed_outdegree(40) weight -0.5 mV delay uniform(0.5 ms, 3 ms) as "IE"
        connect I -> I fixed_total_number(500) using b weight -0.5 mV delay 1.5 ms as "II"
        connect E -> I fixed_indegree(20) using b weight 0.1 mV delay uniform(0.5 ms, 2 ms) as "EIb"
        record spikes E, I
        record releases "EIb"
        record posterior "EIb" every 2 ms limit 1000
        simulate 30 ms seed 17
        """

    func testARankHoldsTheWholeBuildsRowsOfItsTargets() throws {
        let file = scratch.appendingPathComponent("part.vsl").path
        try Self.source.write(toFile: file, atomically: true, encoding: .utf8)
        let plainOut = scratch.appendingPathComponent("plain").path
        for (ranks, threads) in [(2, 1), (3, 1), (2, 2)] {
            let digests = scratch.appendingPathComponent("digests-\(ranks)x\(threads)")
            try FileManager.default.createDirectory(at: digests, withIntermediateDirectories: true)
            let plain = try run(["run", file, "--quiet", "--force", "--threads", "\(threads)", "--out", plainOut], ranks: nil,
                                environment: ["VESICLE_SYNAPSE_DIGEST": digests.path, "VESICLE_SYNAPSE_DIGEST_RANKS": "\(ranks)"])
            XCTAssertEqual(plain.status, 0, plain.stderr)
            let out = scratch.appendingPathComponent("ranks-\(ranks)x\(threads)").path
            let ranked = try run(["run", file, "--threads", "\(threads)", "--out", out], ranks: ranks,
                                 environment: ["VESICLE_SYNAPSE_DIGEST": digests.path])
            XCTAssertEqual(ranked.status, 0, ranked.stderr)
            var held = [String: Int]()
            var whole = [String: Int]()
            for r in 0..<ranks {
                let mine = try String(contentsOf: digests.appendingPathComponent("rank\(r).txt"), encoding: .utf8)
                let expected = try String(contentsOf: digests.appendingPathComponent("whole-rank\(r).txt"), encoding: .utf8)
                XCTAssertEqual(mine, expected, "rank \(r) of \(ranks) x \(threads) threads")
                for line in mine.split(separator: "\n") {
                    let f = line.split(separator: " ")
                    let count = try XCTUnwrap(Int(f[5]), String(line))
                    held[String(f[0]), default: 0] += count
                    if f[1] == "whole" { whole[String(f[0])] = count }
                }
            }
            // The digests' counts: every projection's parts add up to the whole network's synapses
            // (each target on exactly one rank), Bayesian ones included.
            XCTAssertEqual(Set(held.keys), ["EE", "EI", "IE", "II", "EIb"])
            XCTAssertEqual(whole.keys.sorted(), [], "every projection is built in part")
            XCTAssertEqual(held["EE"], 301 * 30, "fixed_indegree(30): every target's 30 on exactly one rank")
            XCTAssertEqual(held["II"], 500, "the Bayesian projection's 500 synapses, each on exactly one rank")
            XCTAssertEqual(held["EIb"], 77 * 20, "the Bayesian projection with random delays, each target's 20 on one rank")
            let total = 301 * 30 + held["EI"]! + 77 * 40 + 500 + 77 * 20
            XCTAssertTrue(ranked.stdout.contains("\(301 + 77) neurons, \(total) synapses"), ranked.stdout)
            XCTAssertFalse(ranked.stdout.contains("built whole on every rank"), ranked.stdout)
            XCTAssertTrue(ranked.stdout.contains("synapses: rank 0 of \(ranks) holds "), ranked.stdout)
        }
        // The spikes, release log and posterior traces, too, are the one-process run's (the delay
        // classes were united; the releases are the whole parts').
        let reference = try files(in: plainOut)
        XCTAssertTrue(reference.keys.contains { $0.hasPrefix("release") } && reference.keys.contains { $0.contains("mu") },
                      "\(reference.keys.sorted())")
        let ranked = try files(in: scratch.appendingPathComponent("ranks-2x2").path)
        XCTAssertEqual(ranked.keys.sorted(), reference.keys.sorted())
        for (name, data) in ranked { XCTAssertTrue(data == reference[name], "\(name) differs on 2 x 2") }
    }

    /// Rank 0 owns no neuron of the one-neuron population O (blocks: partition k of 2 owns
    /// 1 k / 2 ..< 1 (k + 1) / 2, so the neuron is rank 1's), so it holds none of E -> O's synapses,
    /// whose random delays are the network's shortest: without the delay steps united over the ranks
    /// (`NetworkPart.uniteDelaySteps`) rank 0's min-delay window would be 1.5 ms and rank 1's at most
    /// 0.8 ms, and the ranks would exchange at different times.
    func testARankWithoutSomeDelaysKeepsTheWholeNetworksWindow() throws {
        let file = scratch.appendingPathComponent("window.vsl").path
        try """
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 200 lif { V_m = uniform(0 mV, 20 mV) }
            population O = 1 lif
            input ext = poisson(rate = 20 kHz) -> E, O weight 0.1 mV delay 1.5 ms
            connect E -> E fixed_indegree(20) weight 0.1 mV delay 1.5 ms
            connect E -> O fixed_indegree(50) weight 0.3 mV delay uniform(0.3 ms, 0.8 ms) as "EO"
            record spikes E, O
            simulate 40 ms seed 5
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let plainOut = scratch.appendingPathComponent("plain").path, rankedOut = scratch.appendingPathComponent("ranked").path
        let plain = try run(["run", file, "--quiet", "--out", plainOut], ranks: nil)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let ranked = try run(["run", file, "--out", rankedOut], ranks: 2, timeout: 60)
        XCTAssertEqual(ranked.status, 0, ranked.stderr)
        XCTAssertTrue(ranked.stdout.contains("synapses: rank 0 of 2 holds 2000 of the 4050"), ranked.stdout)
        let reference = try files(in: plainOut)
        XCTAssertFalse(reference.isEmpty)
        let written = try files(in: rankedOut)
        XCTAssertEqual(written.keys.sorted(), reference.keys.sorted())
        for (name, data) in written { XCTAssertTrue(data == reference[name], "\(name) differs on 2 ranks") }
    }
}
