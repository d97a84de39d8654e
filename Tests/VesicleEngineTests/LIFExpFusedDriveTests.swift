import Foundation
import XCTest
@testable import VesicleEngine
import VesicleModel

/// `lif_exp`'s fused Poisson drive (one drive per neuron, drawn and applied inside the neuron's own
/// update, `LIFExpPopulation.bringFused`) against the drive table's general path, and Poisson-driven
/// `lif_exp` membrane statistics against Campbell's theorem.
final class LIFExpFusedDriveTests: XCTestCase {
    /// 200 recurrently connected lif_exp neurons (E and I, tau_e 2 ms, tau_i 3 ms), each with one
    /// Poisson drive (8 kHz, 60 pA), 300 ms, seed 9: the fused path and the table's general path
    /// (`LIFExpPopulation.fusedDriveAllowed = false`) must give the same spikes bit for bit and the
    /// same count of drive arrivals; on 1 and 3 threads.
    func testFusedDriveGivesTheTablePathsSpikesBitForBit() throws {
        let spec = Self.network()
        defer { LIFExpPopulation.fusedDriveAllowed = true }
        for threads in [1, 3] {
            LIFExpPopulation.fusedDriveAllowed = false
            let (tableSimulator, table) = try TestNetworks.simulate(spec, threads: threads)
            LIFExpPopulation.fusedDriveAllowed = true
            let (fusedSimulator, fused) = try TestNetworks.simulate(spec, threads: threads)
            var populations: [LIFExpPopulation] = []
            for case .neurons(let p) in fusedSimulator.network.dynamics {
                if let q = p as? LIFExpPopulation { populations.append(q) }
            }
            XCTAssertEqual(populations.count, 2)
            XCTAssertTrue(populations.allSatisfy(\.fusedDrive), "the test must take the fused path")
            XCTAssertEqual(fused.times, table.times, "\(threads) threads")
            XCTAssertEqual(fusedSimulator.counters.externalEvents, tableSimulator.counters.externalEvents)
            XCTAssertGreaterThan(fusedSimulator.counters.externalEvents, 400_000)
            XCTAssertGreaterThan(fused.count, 500, "the test must exercise firing")
        }
    }

    /// Campbell's theorem for a lif_exp neuron that never fires (theta 1000 mV), driven by Poisson
    /// input of rate nu and weight w pA: V - E_L is shot noise with kernel (w/C) H, so its mean is
    /// nu (w/C) tau_m tau_s and its variance nu (w/C)^2 tau_m^2 tau_s^2 / (2 (tau_m + tau_s)).
    /// nu = 10 kHz, w = 10 pA, C = 250 pF, tau_m = 10 ms, tau_s = 2 ms: mean 8 mV, s.d. 0.516 mV.
    /// 200 neurons on the fused drive, sampled every 2 ms over 100-2100 ms (2e5 samples, correlation
    /// time about tau_m, so about 4e4 independent ones: standard error of the mean 0.003 mV, of the
    /// variance 0.7 %). Seed 31; bounds 0.03 mV on the mean, 6 % on the variance.
    func testPoissonDrivenMembraneFollowsCampbell() throws {
        let nu = 10.0, w = 10.0, c = 250.0, tauM = 10.0, tauS = 2.0
        let p = TestNetworks.lif(tauM: tauM, capacitance: c, rest: 0, threshold: 1000, tauE: tauS, tauI: tauS)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 2100, seed: 31))
        spec.populations = [PopulationSpec(name: "n", size: 200, model: .lifExp(p))]
        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: nu * 1000), targets: [.init(population: "n")],
                                 weight: w, delay: 0.1)]
        spec.recordings = [RecordingSpec(kind: .membrane(interval: 2), source: .init(population: "n"))]
        let (_, collector) = try TestNetworks.run(spec)
        let v = collector.samples.filter { $0.time >= 100 }.map(\.potential)
        XCTAssertGreaterThan(v.count, 190_000)
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)
        let expectedMean = nu * (w / c) * tauM * tauS
        let expectedVariance = nu * (w / c) * (w / c) * tauM * tauM * tauS * tauS / (2 * (tauM + tauS))
        XCTAssertEqual(mean, expectedMean, accuracy: 0.03)
        XCTAssertEqual(variance / expectedVariance, 1, accuracy: 0.06)
        print("Campbell: mean \(mean) mV (expected \(expectedMean)), variance \(variance) (expected \(expectedVariance))")
    }

    static func network() -> NetworkSpec {
        let e = TestNetworks.lif(tauM: 20, threshold: 20, reset: 10, tauE: 2, tauI: 3)
        let i = TestNetworks.lif(tauM: 10, threshold: 20, reset: 10, tauE: 2, tauI: 3)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 300, seed: 9))
        spec.populations = [
            PopulationSpec(name: "E", size: 160, model: .lifExp(e)),
            PopulationSpec(name: "I", size: 40, model: .lifExp(i)),
        ]
        spec.projections = [
            ProjectionSpec(name: "E->all", source: .init(population: "E"), target: .init(population: "E"),
                           rule: .fixedIndegree(16), weight: .constant(300), delay: .uniform(low: 1, high: 3)),
            ProjectionSpec(name: "E->I", source: .init(population: "E"), target: .init(population: "I"),
                           rule: .fixedIndegree(16), weight: .constant(300), delay: .constant(1.5)),
            ProjectionSpec(name: "I->E", source: .init(population: "I"), target: .init(population: "E"),
                           rule: .pairwiseBernoulli(0.2), weight: .constant(-400), delay: .constant(1.5)),
        ]
        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: 8_000), targets: [.init(population: "E"), .init(population: "I")],
                                 weight: 60, delay: 0.1)]
        return spec
    }
}
