// The cortical microcircuit (Networks/microcircuit.vsl) at a micro scale runs byte-identically on
// ranks (issue 16, tests), and a notice is printed once per run, by rank 0, not once per rank
// (issue 16 item 4).

import Foundation
import XCTest

final class RankMicrocircuitTests: MPITestCase {
    /// Scale 0.004 (310 lif_exp neurons, about 1.2 million synapses: in-degrees stay at full scale),
    /// 30 ms after a 5 ms warm-up: every file but metadata.json is the one-process run's byte for
    /// byte at (R, T) = (1, 1), (2, 1), (3, 1), (2, 2).
    func testMicroscaleMicrocircuitIsByteIdenticalOnRanks() throws {
        let text = try String(contentsOfFile: network("microcircuit.vsl"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n").map { line -> String in
            if line.hasPrefix("let scale ") { return "let scale = 0.004" }
            if line.hasPrefix("simulate ") { return "simulate 30 ms warmup 5 ms seed 55 resolution 0.1 ms" }
            return line
        }
        XCTAssertEqual(lines.filter { $0 == "let scale = 0.004" }.count, 1, "the file sets its scale on one line")
        let file = scratch.appendingPathComponent("micro.vsl").path
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let plain = scratch.appendingPathComponent("plain").path
        let base = ["run", file, "--format", "csv,npy,hdf5", "--quiet"]
        let first = try run(base + ["--out", plain], ranks: nil)
        XCTAssertEqual(first.status, 0, first.stderr)
        let reference = try files(in: plain)
        XCTAssertGreaterThanOrEqual(reference.count, 3, "\(reference.keys.sorted())")
        let spikes = try XCTUnwrap(reference["spikes.csv"])
        XCTAssertGreaterThan(String(decoding: spikes, as: UTF8.self).split(separator: "\n").count, 10, "the circuit fires")
        for (ranks, threads) in [(1, 1), (2, 1), (3, 1), (2, 2)] {
            let out = scratch.appendingPathComponent("ranks-\(ranks)x\(threads)").path
            let result = try run(base + ["--out", out, "--threads", "\(threads)"], ranks: ranks)
            XCTAssertEqual(result.status, 0, "\(ranks)x\(threads): \(result.stderr)")
            let written = try files(in: out)
            XCTAssertEqual(written.keys.sorted(), reference.keys.sorted(), "\(ranks)x\(threads)")
            for (name, data) in written {
                XCTAssertTrue(data == reference[name], "microcircuit on \(ranks) ranks x \(threads) threads: \(name) differs")
            }
        }
    }

    /// A bare --duration's "has no unit" note, the --force-memory warning and a parse error each
    /// appear once on the launcher's standard error with 3 ranks, as in the plain run.
    func testANoticeIsPrintedOncePerRun() throws {
        let file = scratch.appendingPathComponent("tiny.vsl").path
        try """
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 40 lif { V_m = uniform(0 mV, 20 mV) }
            input ext = poisson(rate = 20 kHz) -> E weight 0.1 mV delay 1.5 ms
            connect E -> E fixed_indegree(4) weight 0.1 mV delay 1.5 ms
            record spikes E
            simulate 20 ms seed 3
            """.write(toFile: file, atomically: true, encoding: .utf8)
        func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
        for ranks in [nil, 3] as [Int?] {
            let label = ranks.map { "\($0) ranks" } ?? "plain"
            let out = scratch.appendingPathComponent("out-\(label)").path
            let result = try run(["run", file, "--quiet", "--force", "--duration", "15", "--out", out,
                                  "--memory-limit", "1KiB", "--force-memory"], ranks: ranks)
            XCTAssertEqual(result.status, 0, "\(label): \(result.stderr)")
            XCTAssertEqual(count("note: --duration 15 has no unit", in: result.stderr), 1, "\(label): \(result.stderr)")
            XCTAssertEqual(count("warning: the network needs an estimated", in: result.stderr), 1, "\(label): \(result.stderr)")
            let bad = try run(["run", file, "--threads", "x"], ranks: ranks)
            XCTAssertNotEqual(bad.status, 0, label)
            XCTAssertEqual(count("Error: The value 'x' is invalid for '--threads", in: bad.stderr), 1, "\(label): \(bad.stderr)")
        }
    }
}
