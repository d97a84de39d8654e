// A network driven by Gaussian noise currents (NEST noise_generator, drawn during the run on counter
// keys: Inputs/NoiseCurrents.swift) writes the one-process run's files byte for byte under
// `mpirun -np 2` (docs/DESIGN.md, Random keys): each rank draws only its own targets' values, from
// their keys, and holds no random state but the step index.

import Foundation
import XCTest

final class RankNoiseCurrentTests: MPITestCase {
    /// lif_delta E/I with a Poisson drive, recurrent synapses, two noise inputs (one over slices of
    /// both populations, starting and stopping inside the run) and a membrane trace across the rank
    /// boundary, seed 17: every file but metadata.json the same bytes on 2 ranks x 1 and 2 x 2 threads.
    func testNoiseCurrentNetworkIsByteIdenticalOnRanks() throws {
        let path = scratch.appendingPathComponent("noise.vsl").path
        try """
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 400 lif { V_m = uniform(0 mV, 20 mV) }
            population I = 100 lif { V_m = uniform(0 mV, 20 mV) }
            input ext = poisson(rate = 12 kHz) -> E, I weight 0.1 mV delay 1.5 ms
            input jitter = noise(mean = 100 pA, std = 300 pA, dt = 0.7 ms) -> E[150:400], I[0:60] start 3 ms stop 70 ms
            input hum = noise(mean = 0 pA, std = 150 pA, dt = 0.25 ms) -> E
            connect E -> E, I fixed_indegree(40) weight 0.2 mV delay 1.5 ms
            connect I -> E, I fixed_indegree(10) weight -1 mV delay 1.5 ms
            record spikes E, I
            record membrane E[190:210] every 0.5 ms
            simulate 100 ms seed 17
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let base = ["run", path, "--format", "csv,npy", "--quiet"]
        let plain = scratch.appendingPathComponent("plain").path
        let first = try run(base + ["--out", plain], ranks: nil)
        XCTAssertEqual(first.status, 0, first.stderr)
        let reference = try files(in: plain)
        XCTAssertGreaterThanOrEqual(reference.count, 4, "\(reference.keys.sorted())")
        XCTAssertGreaterThan(reference["spikes.csv"]?.count ?? 0, 2000, "the network must fire")
        for threads in [1, 2] {
            let out = scratch.appendingPathComponent("ranks-\(threads)").path
            let result = try run(base + ["--out", out, "--threads", "\(threads)"], ranks: 2)
            XCTAssertEqual(result.status, 0, result.stderr)
            let written = try files(in: out)
            XCTAssertEqual(written.keys.sorted(), reference.keys.sorted())
            for (file, data) in written { XCTAssertTrue(data == reference[file], "2 ranks x \(threads) threads: \(file) differs") }
        }
    }
}
