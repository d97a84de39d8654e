import Foundation
import XCTest
@testable import VesicleKernels

/// Kernel-driven input current against the closed-form `lif_exp` synaptic current (docs/MODEL.md §2),
/// I(t) = sum_{t_k <= t} w_k exp(-(t - t_k)/tau_syn), at the grid points.
final class KernelInputTests: XCTestCase {
    let cache = FFTWPlanCache(rigor: .estimate)

    private func randomTrain(count: Int, duration: Double, dt: Double, onGrid: Bool, seed: UInt64) throws -> WeightedSpikeTrain {
        let u = TestSignals.uniform(count: 2 * count, seed: seed).map { ($0 + 1) / 2 }
        let times = (0..<count).map { i -> Double in
            let t = u[i] * duration
            return onGrid ? (t / dt).rounded(.down) * dt : t
        }
        let weights = (0..<count).map { 50 + 200 * u[count + $0] }
        return try WeightedSpikeTrain(times: times, weights: weights)
    }

    private func exactCurrent(_ train: WeightedSpikeTrain, at t: Double, tau: Double) -> Double {
        var sum = 0.0
        for (tk, w) in zip(train.times, train.weights) where tk <= t + 1e-12 { sum += w * exp(-(t - tk) / tau) }
        return sum
    }

    /// On-grid spikes: equal to 1e-12 relative to sum |w| (the kernel tail is cut at 1e-15 here,
    /// so truncation contributes < 1e-15 tau/dt = 5e-14 per unit weight).
    func testExponentialKernelEqualsLifExpCurrentForSpikesOnGridPoints() throws {
        let dt = 0.1, tau = 5.0, steps = 3000
        let kernel = try SampledKernel(.exponential(tau: tau), dt: dt, truncation: .relativeTail(1e-15))
        let trains = try (0..<3).map { try randomTrain(count: 40, duration: 290, dt: dt, onGrid: true, seed: UInt64(70 + $0)) }
        for method in [ConvolutionMethod.fft, .direct] {
            let current = try KernelInputCurrent.compute(trains, kernel: kernel, steps: steps, method: method, planCache: cache)
            for (c, train) in trains.enumerated() {
                let totalWeight = train.weights.map(abs).reduce(0, +)
                for n in stride(from: 0, to: steps, by: 7) {
                    XCTAssertEqual(current[c, n], exactCurrent(train, at: Double(n) * dt, tau: tau),
                                   accuracy: 1e-12 * totalWeight, "\(method) channel \(c) step \(n)")
                }
            }
        }
    }

    /// Off-grid spikes: the exponential sub-step weighting of `SpikeBinning` keeps grid values exact.
    func testExponentialKernelEqualsLifExpCurrentForSpikesOffGrid() throws {
        let dt = 0.1, tau = 3.0, steps = 2000
        let kernel = try SampledKernel(.exponential(tau: tau), dt: dt, truncation: .relativeTail(1e-15))
        let train = try randomTrain(count: 60, duration: 195, dt: dt, onGrid: false, seed: 80)
        let current = try KernelInputCurrent.compute([train], kernel: kernel, steps: steps, method: .fft, planCache: cache)
        let totalWeight = train.weights.reduce(0, +)
        for n in 0..<steps {
            let t = Double(n) * dt
            XCTAssertEqual(current[0, n], exactCurrent(train, at: t, tau: tau), accuracy: 1e-12 * totalWeight, "step \(n)")
        }
    }

    /// Alpha kernel, on-grid spikes: sum_k w_k alpha(t_n - t_k) computed here.
    func testAlphaKernelCurrentOnGridPoints() throws {
        let dt = 0.25, tau = 2.0, steps = 800
        let kernel = try SampledKernel(.alpha(tau: tau), dt: dt, truncation: .relativeTail(1e-15))
        let train = try randomTrain(count: 30, duration: 190, dt: dt, onGrid: true, seed: 90)
        let current = try KernelInputCurrent.compute([train], kernel: kernel, steps: steps, method: .fft, planCache: cache)
        let totalWeight = train.weights.reduce(0, +)
        for n in 0..<steps {
            let t = Double(n) * dt
            var expected = 0.0
            for (tk, w) in zip(train.times, train.weights) where tk <= t + 1e-12 {
                let s = t - tk
                expected += w * (s / tau) * exp(1 - s / tau)
            }
            XCTAssertEqual(current[0, n], expected, accuracy: 1e-12 * totalWeight, "step \(n)")
        }
    }

    /// x_i(t) of docs/MODEL.md §5 with a unit jump per spike, right-continuous, on the grid.
    func testPresynapticTracesMatchClosedForm() throws {
        let dt = 0.5, tauEps = 25.0, steps = 400
        let spikes: [[Double]] = [[0, 10, 10.25, 57.3, 150], [], [199.5]]
        let traces = try PresynapticTraces.compute(spikeTimes: spikes, tauEps: tauEps, dt: dt, steps: steps, method: .fft, planCache: cache)
        XCTAssertEqual(traces.channels, 3)
        for (c, times) in spikes.enumerated() {
            for n in 0..<steps {
                let t = Double(n) * dt
                let expected = times.filter { $0 <= t }.map { exp(-(t - $0) / tauEps) }.reduce(0, +)
                XCTAssertEqual(traces[c, n], expected, accuracy: 1e-12 * Double(max(times.count, 1)), "channel \(c) step \(n)")
            }
        }
        XCTAssertEqual(traces[2, 399], 1, accuracy: 1e-12, "a spike on a grid point is counted there")
    }

    /// Traces produced in blocks of 7, 37 and 250 steps equal the one-shot traces (1e-12).
    func testTracesStreamedInBlocksEqualOneShot() throws {
        let spikes = (0..<5).map { c in TestSignals.uniform(count: 30, seed: 500 + UInt64(c)).map { ($0 + 1) * 100 } }
        let steps = 1000
        let whole = try PresynapticTraces.compute(spikeTimes: spikes, tauEps: 25, dt: 0.2, steps: steps, method: .fft, planCache: cache)
        for block in [7, 37, 250] {
            let stream = try PresynapticTraces.stream(spikeTimes: spikes, tauEps: 25, dt: 0.2, method: .fftLength(4096), planCache: cache)
            var start = 0
            while start < steps {
                let m = min(block, steps - start)
                let part = try stream.next(steps: m)
                for c in 0..<5 { for i in 0..<m { XCTAssertEqual(part[c, i], whole[c, start + i], accuracy: 1e-12 * 30) } }
                start += m
            }
            XCTAssertEqual(stream.completedSteps, steps)
        }
    }

    func testSpikeGridIndexIsTheFirstGridPointAtOrAfterTheSpike() {
        XCTAssertEqual(SpikeBinning.gridIndex(of: 0.3, dt: 0.1), 3, "0.3/0.1 rounds to 2.9999999999999996; snapped")
        XCTAssertEqual(SpikeBinning.gridIndex(of: 0.31, dt: 0.1), 4)
        XCTAssertEqual(SpikeBinning.gridIndex(of: 0, dt: 0.1), 0)
    }

    /// Spikes far beyond the simulated range are left unbinned (no overflow of the grid index).
    func testSpikesBeyondTheRangeAreIgnored() throws {
        let kernel = try SampledKernel(.exponential(tau: 1), dt: 0.1)
        let train = try WeightedSpikeTrain(times: [0.5, 1e300], weights: [1, 1])
        let current = try KernelInputCurrent.compute([train], kernel: kernel, steps: 20, method: .direct, planCache: cache)
        XCTAssertEqual(current[0, 19], exp(-(1.9 - 0.5)), accuracy: 1e-12)
    }

    func testSpikeTrainValidation() {
        XCTAssertThrowsError(try WeightedSpikeTrain(times: [1, 2], weights: [1]))
        XCTAssertThrowsError(try WeightedSpikeTrain(times: [-1], weights: [1]))
        XCTAssertThrowsError(try WeightedSpikeTrain(times: [1], weights: [.infinity]))
    }
}
