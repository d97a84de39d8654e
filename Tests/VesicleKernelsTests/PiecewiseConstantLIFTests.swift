import Foundation
import XCTest
@testable import VesicleKernels

final class PiecewiseConstantLIFTests: XCTestCase {
    let cache = FFTWPlanCache(rigor: .estimate)

    /// tau_m = 10 ms, C = 250 pF (R = 0.04 GOhm), E_L = -65, theta = -50, V_reset = -65 mV, t_ref = 2 ms.
    private func parameters(bias: Double = 0) throws -> LIFParameters {
        try LIFParameters(membraneTimeConstant: 10, capacitance: 250, restingPotential: -65, threshold: -50,
                          resetPotential: -65, refractoryPeriod: 2, biasCurrent: bias)
    }

    /// Constant current: the first spike at t* = tau_m ln((V_inf - V0)/(V_inf - theta)) to 1e-12 ms
    /// whatever the grid, then every t_ref + tau_m ln((V_inf - V_reset)/(V_inf - theta)). Later spikes
    /// carry the rounding of V stored at each step (at most about 2 ulp(theta) per step), which
    /// moves a crossing by that over the slope V' = (V_inf - theta)/tau_m; their tolerance is
    /// 1e-12 ms plus (steps so far) * 4 ulp(theta) / V'.
    func testConstantCurrentSpikeTimesMatchClosedForm() throws {
        let p = try parameters(bias: 100)
        let current = 350.0  // V_inf = -65 + 0.04 * 450 = -47 mV
        let vInfinity = -65 + 0.04 * (current + 100)
        let v0 = -60.0
        let first = 10 * log((vInfinity - v0) / (vInfinity - -50))
        let period = 2 + 10 * log((vInfinity - -65) / (vInfinity - -50))
        for dt in [0.1, 0.7, 3.0] {
            var neuron = PiecewiseConstantLIF(parameters: p, membranePotential: v0)
            var spikes: [Double] = []
            let steps = Int((200 / dt).rounded(.up))
            for n in 0..<steps { neuron.advance(from: Double(n) * dt, dt: dt, current: current, spikes: &spikes) }
            let expectedCount = Int(((Double(steps) * dt - first) / period).rounded(.down)) + 1
            XCTAssertEqual(spikes.count, expectedCount, "dt \(dt)")
            XCTAssertEqual(spikes.first ?? .nan, first, accuracy: 1e-12, "dt \(dt) first spike")
            let slope = (vInfinity - -50) / 10
            for (k, t) in spikes.enumerated() {
                let rounding = (t / dt).rounded(.up) * 4 * (50.0).ulp / slope
                XCTAssertEqual(t, first + Double(k) * period, accuracy: 1e-12 + rounding, "dt \(dt) spike \(k)")
            }
        }
    }

    /// Below-threshold asymptote: no spike, V relaxes as V_inf + (V0 - V_inf) exp(-t/tau_m).
    func testSubthresholdRelaxation() throws {
        var neuron = PiecewiseConstantLIF(parameters: try parameters(), membranePotential: -55)
        var spikes: [Double] = []
        for n in 0..<100 { neuron.advance(from: Double(n) * 0.1, dt: 0.1, current: 100, spikes: &spikes) }
        XCTAssertTrue(spikes.isEmpty)
        XCTAssertEqual(neuron.membranePotential, -61 + 6 * exp(-1), accuracy: 1e-12)
    }

    // MARK: - Against event-driven lif_exp

    /// Independent event-driven `lif_exp` (docs/MODEL.md §2): between input spikes I(t) = I_a
    /// exp(-(t - a)/tau_s) and V(a + s) = E_L + R I_b (1 - e^(-s/tau_m)) + (V_a - E_L) e^(-s/tau_m)
    /// + R I_a tau_s/(tau_s - tau_m) (e^(-s/tau_s) - e^(-s/tau_m)). The first crossing is bracketed
    /// on a scan of 1e-3 ms and bisected to 1e-13 ms.
    private func eventDrivenFirstSpike(_ train: WeightedSpikeTrain, p: LIFParameters, tauS: Double, until end: Double)
        -> (time: Double, slope: Double)?
    {
        let r = p.membraneResistance, tauM = p.membraneTimeConstant, eL = p.restingPotential
        func v(_ s: Double, _ va: Double, _ ia: Double) -> Double {
            eL + r * p.biasCurrent * (1 - exp(-s / tauM)) + (va - eL) * exp(-s / tauM)
                + r * ia * tauS / (tauS - tauM) * (exp(-s / tauS) - exp(-s / tauM))
        }
        var a = 0.0, va = p.restingPotential, ia = 0.0
        var events = Array(zip(train.times, train.weights))
        events.append((end, 0))
        for (tk, w) in events {
            var s0 = 0.0
            while s0 < tk - a {
                let s1 = min(s0 + 1e-3, tk - a)
                if v(s1, va, ia) >= p.threshold {
                    var lo = s0, hi = s1
                    while hi - lo > 1e-13 {
                        let mid = (lo + hi) / 2
                        if v(mid, va, ia) >= p.threshold { hi = mid } else { lo = mid }
                    }
                    let current = ia * exp(-hi / tauS)
                    let slope = (-(p.threshold - eL) + r * (current + p.biasCurrent)) / tauM
                    return (a + hi, slope)
                }
                s0 = s1
            }
            va = v(tk - a, va, ia)
            ia = ia * exp(-(tk - a) / tauS) + w
            a = tk
        }
        return nil
    }

    /// The kernel current is exact at grid points (for on-grid input spikes) and held over each step,
    /// so on [t_n, t_n + dt) it exceeds the true current by at most |I_n| (1 - e^(-dt/tau_s)). A
    /// current error bounded by E moves V by at most R E (the LIF is a low-pass filter of gain R),
    /// and a potential error dV moves the crossing by at most dV / V' with V' the slope at the
    /// crossing; the tolerance is twice that, allowing the slope to halve within the shift.
    /// Checked at dt = 0.1 and 0.01 ms on three seeded input trains.
    func testFirstSpikeAgreesWithEventDrivenLifExpWithinDerivedTolerance() throws {
        let tauS = 5.0
        let p = try parameters(bias: 250)
        for seed in UInt64(100)..<103 {
            let u = TestSignals.uniform(count: 80, seed: seed).map { ($0 + 1) / 2 }
            let times = (0..<40).map { (u[$0] * 60 * 10).rounded(.down) / 10 }  // on the 0.1 ms grid
            let weights = (0..<40).map { 40 + 60 * u[40 + $0] }
            let train = try WeightedSpikeTrain(times: times, weights: weights)
            guard let reference = eventDrivenFirstSpike(train, p: p, tauS: tauS, until: 80) else {
                XCTFail("seed \(seed): the reference neuron never fires; choose stronger input"); continue
            }
            for dt in [0.1, 0.01] {
                let kernel = try SampledKernel(.exponential(tau: tauS), dt: dt, truncation: .relativeTail(1e-15))
                let simulator = try KernelInputSimulator(kernel: kernel, neuron: p, inputs: [train], blockSteps: 1000,
                                                         method: .fft, planCache: cache)
                var maxCurrent = 0.0
                let spikes = try simulator.advance(steps: Int(80 / dt)) { _, current in
                    maxCurrent = max(maxCurrent, current.samples.map(abs).max() ?? 0)
                }
                let voltageBound = p.membraneResistance * maxCurrent * (1 - exp(-dt / tauS))
                let tolerance = 2 * voltageBound / reference.slope
                guard let first = spikes[0].first else { XCTFail("seed \(seed) dt \(dt): no spike"); continue }
                XCTAssertEqual(first, reference.time, accuracy: tolerance, "seed \(seed) dt \(dt), tolerance \(tolerance) ms")
            }
        }
    }

    /// Simulating in blocks of 7, 333 or 5000 steps (in two calls), FFT or direct, gives the same spike times (1e-9 ms:
    /// only the convolution's rounding differs between the paths).
    func testSimulatorIndependentOfBlockSizeAndPath() throws {
        let dt = 0.1
        let kernel = try SampledKernel(.alpha(tau: 2), dt: dt, normalisation: .peak)
        let p = try parameters(bias: 200)
        let inputs = try (0..<4).map { c -> WeightedSpikeTrain in
            let u = TestSignals.uniform(count: 300, seed: 200 + UInt64(c)).map { ($0 + 1) / 2 }
            return try WeightedSpikeTrain(times: (0..<150).map { u[$0] * 300 }, weights: (0..<150).map { 100 + 300 * u[150 + $0] })
        }
        var results: [[[Double]]] = []
        for (blockSteps, method) in [(7, ConvolutionMethod.fftLength(1024)), (5000, .fft), (333, .direct)] {
            let simulator = try KernelInputSimulator(kernel: kernel, neuron: p, inputs: inputs, blockSteps: blockSteps,
                                                     method: method, planCache: cache)
            var spikes = try simulator.advance(steps: 1000)
            let more = try simulator.advance(steps: 2000)
            for c in 0..<4 { spikes[c] += more[c] }
            results.append(spikes)
        }
        XCTAssertGreaterThan(results[0].map(\.count).reduce(0, +), 20, "the test needs output spikes")
        for other in results.dropFirst() {
            for c in 0..<4 {
                XCTAssertEqual(other[c].count, results[0][c].count)
                for (a, b) in zip(other[c], results[0][c]) { XCTAssertEqual(a, b, accuracy: 1e-9) }
            }
        }
    }

    func testInvalidParametersThrow() {
        XCTAssertThrowsError(try LIFParameters(membraneTimeConstant: 10, capacitance: 250, restingPotential: -65,
                                               threshold: -50, resetPotential: -50, refractoryPeriod: 2))
        XCTAssertThrowsError(try LIFParameters(membraneTimeConstant: 0, capacitance: 250, restingPotential: -65,
                                               threshold: -50, resetPotential: -60, refractoryPeriod: 2))
    }
}
