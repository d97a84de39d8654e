import Foundation
import XCTest
@testable import VesicleAnalysis

final class PopulationRateTests: XCTestCase {
    /// Regular firing: 10 neurons, each spiking every 20 ms (50 Hz), staggered. Away from the ends
    /// (further than the kernel's reach) the smoothed rate is 50 Hz: 5 spikes per 10 ms bin give
    /// 5 / (10 * 10 ms) = 50 Hz in every bin, and the kernels have unit sum. Tolerance 1e-9 Hz.
    func testConstantRateIsPreserved() throws {
        var spikes: [Double] = []
        for neuron in 0..<10 { for k in 0..<100 { spikes.append(Double(k) * 20 + Double(neuron) * 2 + 0.5) } }
        for smoothing in [RateSmoothing.gaussian(sigma: 20), .exponential(tau: 15)] {
            let rate = try PopulationRate.smoothed(spikeTimes: spikes, neuronCount: 10, binWidth: 10, duration: 2000,
                                                   smoothing: smoothing, method: .fft)
            XCTAssertEqual(rate.count, 200)
            for k in 60..<140 { XCTAssertEqual(rate[k], 50, accuracy: 1e-9, "\(smoothing) bin \(k)") }
        }
    }

    /// Against an independent double loop over bins (same kernel definition, written here), 1e-10 Hz.
    func testMatchesDirectSumOverBins() throws {
        var state: UInt64 = 77
        let spikes = (0..<500).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53 * 1000
        }
        let b = 2.0, sigma = 7.0, bins = 500
        var counts = Array(repeating: 0.0, count: bins)
        for t in spikes { counts[Int(t / b)] += 1 }
        let half = Int((sigma * (2 * log(1e12)).squareRoot() / b).rounded(.down))
        let weights = (-half...half).map { exp(-pow(Double($0) * b, 2) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        let rate = try PopulationRate.smoothed(spikeTimes: spikes, neuronCount: 25, binWidth: b, duration: 1000,
                                               smoothing: .gaussian(sigma: sigma), method: .fft)
        for k in 0..<bins {
            var expected = 0.0
            for j in -half...half where k - j >= 0 && k - j < bins {
                expected += weights[j + half] / total * counts[k - j] * 1000 / (25 * b)
            }
            XCTAssertEqual(rate[k], expected, accuracy: 1e-10, "bin \(k)")
        }
    }

    func testBadInputThrows() {
        XCTAssertThrowsError(try PopulationRate.smoothed(spikeTimes: [], neuronCount: 0, binWidth: 1, duration: 10,
                                                         smoothing: .gaussian(sigma: 1)))
        XCTAssertThrowsError(try PopulationRate.smoothed(spikeTimes: [], neuronCount: 1, binWidth: 0, duration: 10,
                                                         smoothing: .gaussian(sigma: 1)))
        XCTAssertThrowsError(try PopulationRate.smoothed(spikeTimes: [], neuronCount: 1, binWidth: 1, duration: 10,
                                                         smoothing: .exponential(tau: -1)))
        XCTAssertThrowsError(try PopulationRate.smoothed(spikeTimes: [], neuronCount: 1, binWidth: 1, duration: 1e300,
                                                         smoothing: .gaussian(sigma: 1)))
    }
}
