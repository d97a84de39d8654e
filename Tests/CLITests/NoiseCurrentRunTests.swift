// Gaussian noise currents drawn during the run on counter keys (Inputs/NoiseCurrents.swift): the
// same files on any thread count, and a run stopped and resumed (the noise's checkpoint is its step
// index) writes the uninterrupted run's files byte for byte.

import Foundation
import XCTest

extension CheckpointClassesTests {
    /// The Brunel test network with two noise inputs, one starting and stopping inside the run, one
    /// over slices of both populations (seed 31, 32).
    func noiseNetwork(seed: Int) throws -> String {
        try network(seed: seed, extra: """
            input jitter = noise(mean = 50 pA, std = 250 pA, dt = 0.7 ms) -> E[20:200], I[0:30] start 3 ms stop 100 ms
            input hum = noise(mean = 0 pA, std = 120 pA, dt = 0.25 ms) -> E
            """, name: "noise")
    }

    /// 1, 2 and 3 threads write the same bytes (CSV and NumPy; seed 31), and the noise moves the
    /// membrane (the trace differs from the same network without it).
    func testNoiseCurrentRunIsByteIdenticalOnThreads() throws {
        let net = try noiseNetwork(seed: 31)
        var reference: [String: Data]?
        for threads in [1, 2, 3] {
            let out = scratch.appendingPathComponent("noise-\(threads)").path
            let result = try vesicle("run", net, "--out", out, "--quiet", "--threads", "\(threads)", "--format", "csv,npy")
            XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
            let files = try outputs(out)
            if let reference {
                XCTAssertEqual(Set(files.keys), Set(reference.keys))
                for (name, bytes) in files { XCTAssertTrue(bytes == reference[name], "\(threads) threads: \(name) differs") }
            } else {
                reference = files
            }
        }
        let quiet = try network(seed: 31, name: "quiet")
        let out = scratch.appendingPathComponent("quiet").path
        XCTAssertEqual(try vesicle("run", quiet, "--out", out, "--quiet", "--format", "csv,npy").status, 0)
        XCTAssertNotEqual(try outputs(out)["traces.membrane_E.csv"], reference?["traces.membrane_E.csv"])
    }

    /// Stopped at a window drawn from the seed on one thread count, resumed on another (seeds 31, 32).
    func testNoiseCurrentRunResumesByteForByte() throws {
        for seed in [31, 32] {
            try assertResumesByteForByte(try noiseNetwork(seed: seed), seed: seed, windows: 80,
                                         expect: ["spikes.csv", "traces.membrane_E.csv"])
        }
    }
}
