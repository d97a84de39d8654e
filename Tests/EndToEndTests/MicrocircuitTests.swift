// Networks/microcircuit.vsl and microcircuit_dc.vsl (Potjans & Diesmann 2014, docs/BENCHMARKS.md §2b) run
// as written, at reduced scale.

import Foundation
import XCTest
import VesicleAnalysis
import VesicleDSL
import VesicleEngine
import VesicleModel

final class MicrocircuitTests: XCTestCase {
    static let populations = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]

    /// The file with its `let scale` replaced, compiled.
    func microcircuit(_ name: String, scale: Double) throws -> NetworkSpec {
        let path = networksFolder.appendingPathComponent(name).path
        let (spec, diagnostics) = try NetworkLanguage.compile(fileAt: path, scale: scale, written: "0.1")
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity != .error }, "\(diagnostics)")
        return try XCTUnwrap(spec)
    }

    func rates(_ spec: NetworkSpec) throws -> [Double] {
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network)
        simulator.recordAllSpikes()
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.run(observer: collector)
        let start = spec.simulation.warmup, end = start + spec.simulation.duration
        return (0..<network.populationSizes.count).map {
            SpikeTrainStatistics.compute(times: collector.times[$0], from: start, to: end).rate
        }
    }

    /// The DC background alone drives every population above threshold: its amplitude 8 Hz K_ext
    /// w tau_syn (w = 87.81 pA) puts the free membrane's fixed point E_L + I tau_m / C_m at
    /// -65 + 21.1 mV (K_ext = 1500) or more, above V_th = -50 mV, so every population fires.
    func testDCVariantDrivesEveryPopulation() throws {
        var spec = try microcircuit("microcircuit_dc.vsl", scale: 0.01)
        spec.simulation.warmup = 0
        spec.simulation.duration = 60
        for input in spec.inputs {
            guard case .constantCurrent(let amplitude, _, _) = input.kind else { return XCTFail("a DC input") }
            XCTAssertGreaterThan(-65 + amplitude * 10 / 250, -50, input.name)
        }
        let found = try rates(spec)
        for (name, rate) in zip(Self.populations, found) { XCTAssertGreaterThan(rate, 0, name) }
    }

    /// Per-population rates at scale 0.1 (7 717 neurons, 2.99e7 synapses, full in-degrees) against
    /// NEST 3.10 running the same model: `python3 Tools/nest_crosscheck.py --network microcircuit
    /// --scale 0.1 --warmup 500 --duration 1000 --seeds 1 2 3 --skip-vesicle` (NEST's example
    /// parameters, iaf_psc_exp, fixed_total_number, redraw, one thread, resolution 0.1 ms), on this
    /// machine on 2026-12-02; `nestRates` is the mean over the three seeds and `nestSpread` half the
    /// range across them.
    ///
    /// The default run is short (seed 55, 200 ms warm-up, 300 ms analysed; about 35 s of CPU), so the
    /// tolerance per population is |rate - NEST| <= 0.2 Hz + 10 % of NEST's rate + NEST's seed spread
    /// (measured 2026-12-02: the largest deviation was 8 % of NEST's rate, L2/3E 1.41 against 1.54 Hz).
    /// `VESICLE_LONG_TESTS=1` runs seeds 1, 2, 3 with NEST's protocol (500 ms warm-up, 1 s analysed)
    /// and compares the seed means within 0.2 Hz + 10 % (not run on 2026-12-02: about 3 min of CPU).
    /// With NEST's protocol and seed 1, `vesicle bench microcircuit --scale 0.1 --seed 1` gave 1.62,
    /// 4.38, 4.25, 6.55, 11.03, 9.81, 1.26, 8.65 Hz and CVs 0.565, 0.636, 0.617, 0.650, 0.713, 0.660,
    /// 0.552, 0.624 on the same day.
    func testRatesAtScaleOneTenthAgainstNEST() throws {
        let long = ProcessInfo.processInfo.environment["VESICLE_LONG_TESTS"] == "1"
        let seeds: [UInt64] = long ? [1, 2, 3] : [55]
        var sum = [Double](repeating: 0, count: 8)
        for seed in seeds {
            var spec = try microcircuit("microcircuit.vsl", scale: 0.1)
            spec.simulation.seed = seed
            spec.simulation.warmup = long ? 500 : 200
            spec.simulation.duration = long ? 1000 : 300
            let found = try rates(spec)
            for p in 0..<8 { sum[p] += found[p] / Double(seeds.count) }
        }
        for (p, name) in Self.populations.enumerated() {
            let reference = Self.nestRates[p]
            let tolerance = 0.2 + 0.1 * reference + (long ? 0 : Self.nestSpread[p])
            XCTAssertEqual(sum[p], reference, accuracy: tolerance, "\(name): Vesicle \(sum[p]) Hz, NEST \(reference) Hz")
        }
    }

    /// NEST 3.10, scale 0.1, K_scaling 1, seeds 1-3, 500 ms warm-up, 1 s analysed (see above), Hz:
    /// the seeds' mean, and half their range. Seed 1, 2, 3 rates of L2/3E: 1.498, 1.322, 1.785 Hz;
    /// L5E: 10.416, 10.994, 11.216 Hz. The seeds' mean CVs of ISI: 0.579, 0.693, 0.616, 0.689, 0.751,
    /// 0.699, 0.561, 0.653. (The published full-scale rates are 0.9, 2.8, 4.4, 5.7, 7.6, 8.7, 1.1,
    /// 7.7 Hz; at scale 0.1 with full in-degrees the layer 2/3 and 5 populations fire faster in both
    /// simulators.)
    static let nestRates: [Double] = [1.535, 4.368, 4.258, 6.383, 10.876, 9.84, 1.172, 8.757]
    static let nestSpread: [Double] = [0.232, 0.119, 0.092, 0.101, 0.4, 0.146, 0.08, 0.217]
}
