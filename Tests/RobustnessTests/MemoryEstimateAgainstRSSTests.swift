// The memory estimate is a number a job can be planned with (issue 15 §2): for a network of each
// class, static, Bayesian, kernel-driven and learning, the peak resident set the run measured
// (VmHWM, recorded by `vesicle run` in metadata.json as peak_resident_bytes) lies within ±25 % of
// the estimate made before the run (estimated_peak_bytes). The networks are large enough that
// synapses, not the process's libraries, dominate, and short (10 ms) so the test takes seconds.

import Foundation
import XCTest

final class MemoryEstimateAgainstRSSTests: HostileInputTestCase {
    static let tolerance = 0.25

    static let networks: [(name: String, text: String)] = [
        ("static", """
            neuron lif = lif_delta(tau_m = 20 ms, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 8000 lif
            population I = 2000 lif
            input ext = poisson(rate = 20000 Hz) -> E, I weight 0.1 mV delay 1.5 ms
            connect E -> E, I fixed_indegree(800) weight 0.1 mV delay 1.5 ms
            connect I -> E, I fixed_indegree(200) weight -0.5 mV delay 1.5 ms
            record spikes E
            simulate 10 ms seed 1

            """),
        ("bayesian", """
            neuron lif = lif_delta(tau_m = 20 ms, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 8000 lif
            population I = 2000 lif
            synapse be = bayesian(prior_mean = log(0.1) - 0.037, prior_var = 0.07448, tau = 1000 s, release = posterior)
            input ext = poisson(rate = 20000 Hz) -> E, I weight 0.1 mV delay 1.5 ms
            connect E -> E, I fixed_indegree(800) using be weight 0.1 mV delay 1.5 ms
            connect I -> E, I fixed_indegree(200) weight -0.5 mV delay 1.5 ms
            record spikes E
            simulate 10 ms seed 1

            """),
        ("kernel", """
            neuron cell = lif_delta(tau_m = 10 ms, C_m = 250 pF, E_L = -70 mV, V_th = -55 mV, V_reset = -70 mV, t_ref = 2 ms)
            population In = 2000 poisson_source(rate = 20 Hz)
            population N = 4000 cell
            kernel epsc = alpha(tau = 5 ms, normalize = peak)
            connect In -> N fixed_indegree(1000) kernel epsc weight 4 pA delay 1 ms
            record spikes N
            simulate 10 ms seed 1 kernel_step 0.1 ms

            """),
        ("learning", """
            neuron escape = lif_delta(tau_m = 25 ms, C_m = 250 pF, E_L = -2 mV, V_th = 0 mV, V_reset = -2 mV, t_ref = 2 ms,
                                      rho_0 = 5 Hz, delta_V = 2 mV)
            population inputs = 2000 poisson_source(rate = 20 Hz, t_ref = 5 ms)
            population cells = 4000 escape
            synapse filter = bayesian(link = identity, release = gaussian, prior_mean = 0.2, prior_var = 0.1, tau = 100 s,
                                      rule = synaptic_filter, tau_eps = 25 ms, g0 = 5 Hz * exp(-1), beta = 1 / (2 mV))
            connect inputs -> cells fixed_indegree(500) using filter delay 1 ms
            record spikes cells
            simulate 10 ms seed 1 resolution 0.5 ms

            """),
    ]

    func testPeakResidentSetIsWithinAQuarterOfTheEstimate() throws {
        var report: [String] = []
        for network in Self.networks {
            let path = try write(network.text, to: network.name + ".vsl")
            let out = scratch.appendingPathComponent(network.name).path
            let outcome = try vesicle(["run", path, "--out", out, "--quiet"], seconds: 120)
            XCTAssertEqual(outcome.status, 0, "\(network.name): \(outcome.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/metadata.json"))
            let metadata = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let measured = try XCTUnwrap(metadata["peak_resident_bytes"] as? Double ?? (metadata["peak_resident_bytes"] as? Int).map(Double.init), network.name)
            let estimated = try XCTUnwrap(metadata["estimated_peak_bytes"] as? Double ?? (metadata["estimated_peak_bytes"] as? Int).map(Double.init), network.name)
            let ratio = measured / estimated
            report.append(String(format: "%@: measured %.1f MiB, estimated %.1f MiB, ratio %.3f", network.name, measured / 1048576, estimated / 1048576, ratio))
            XCTAssertEqual(ratio, 1, accuracy: Self.tolerance, "\(network.name): measured \(measured) B against estimated \(estimated) B")
        }
        print(report.joined(separator: "\n"))
    }
}
