import Foundation
import VesicleEngine
import VesicleModel
import XCTest

/// The release log of a recurrent network with posterior release (docs/MODEL.md §3): every logged
/// (mu, sigma2) is the posterior relaxed to the release time by the closed form, and the logged
/// amplitudes are log-normal samples of exactly those posteriors.
final class BayesianReleaseLogTests: XCTestCase {
    final class Releases: SimulationObserver {
        var records: [(time: Double, amplitude: Double, mu: Double, sigma2: Double)] = []
        func spike(population: Int, neuron: Int, time: Double) {}
        func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double,
                     mu: Double, sigma2: Double) {
            records.append((time, amplitude, mu, sigma2))
        }
    }

    /// Brunel regime C, N = 500 (seed 3), 60 ms, with every posterior starting at mu = ln 0.2,
    /// sigma2 = 0.2 and relaxing toward the network's prior with tau = 40 ms, so that the logged
    /// posteriors move a lot during the run. Checked on the E->E releases:
    /// - mu and sigma2 equal m0 + (mu(0) - m0) e^(-t/tau) and v0 + (sigma2(0) - v0) e^(-2t/tau), with
    ///   the Float-stored initial values, to 1e-14 relative (the engine computes the same expression);
    /// - (ln w - mu) / sqrt(sigma2) passes Kolmogorov-Smirnov against N(0, 1) at alpha = 1e-3
    ///   (asymptotic critical value 1.9495 / sqrt(n)).
    func testLoggedPosteriorsAreTheOnesReleasedFrom() throws {
        var spec = ReferenceNetworks.brunelBayesian(regime: .C, neurons: 500, seed: 3, duration: 60, warmup: 0)
        let tau = 40.0
        for k in spec.synapseTypes.indices {
            guard case .bayesian(var b) = spec.synapseTypes[k].kind else { continue }
            b.priorTau = tau
            b.initialMean = .constant(log(0.2))
            b.initialVariance = 0.2
            spec.synapseTypes[k].kind = .bayesian(b)
        }
        guard case .bayesian(let excitatory) = spec.synapseTypes.first(where: { $0.name == "bayesian_excitatory" })?.kind
        else { return XCTFail("no excitatory Bayesian synapse type") }
        spec.recordings.append(RecordingSpec(kind: .releases(projection: "E->E", limit: nil)))
        let network = try NetworkBuilder.build(spec)
        let observer = Releases()
        Simulator(network: network).run(observer: observer)
        XCTAssertGreaterThan(observer.records.count, 20_000)

        let m0 = excitatory.priorMean, v0 = excitatory.priorVariance
        let mu0 = Double(Float(log(0.2))), sigma20 = Double(Float(0.2))
        var standardised: [Double] = []
        for r in observer.records {
            let d = exp(-r.time / tau)
            XCTAssertEqual(r.mu, m0 + (mu0 - m0) * d, accuracy: 1e-14 * abs(r.mu))
            XCTAssertEqual(r.sigma2, v0 + (sigma20 - v0) * d * d, accuracy: 1e-14 * r.sigma2)
            XCTAssertGreaterThan(r.amplitude, 0)
            standardised.append((log(r.amplitude) - r.mu) / r.sigma2.squareRoot())
        }
        standardised.sort()
        let n = Double(standardised.count)
        var ks = 0.0
        for (i, z) in standardised.enumerated() {
            let phi = 0.5 * erfc(-z / 2.0.squareRoot())
            ks = max(ks, phi - Double(i) / n, Double(i + 1) / n - phi)
        }
        XCTAssertLessThan(ks, 1.9495 / n.squareRoot())
        // The posteriors did move: the first and last logged means differ by more than 10%.
        XCTAssertGreaterThan(abs(observer.records.first!.mu - observer.records.last!.mu), 0.1 * abs(m0))
    }
}
