import Foundation
import XCTest
@testable import VesicleAnalysis

/// SplitMix64 (Steele, Lea & Flood 2014), written here so the statistical tests do not depend on
/// the simulator's own generator.
struct TestGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in (0, 1].
    mutating func uniformPositive() -> Double { Double((next() >> 11) + 1) / 9_007_199_254_740_992 }
    mutating func exponential(rate: Double) -> Double { -Foundation.log(uniformPositive()) / rate }
}

/// A homogeneous Poisson train on [0, duration) ms at `rateHz`.
func poissonTrain(rateHz: Double, duration: Double, generator: inout TestGenerator) -> [Double] {
    var times: [Double] = []
    var t = generator.exponential(rate: rateHz / 1000)
    while t < duration {
        times.append(t)
        t += generator.exponential(rate: rateHz / 1000)
    }
    return times
}

final class SpikeStatisticsTests: XCTestCase {
    func testRegularTrainHasZeroCVAndZeroFano() {
        // 10 neurons firing every 10 ms with different phases: each 100-ms bin holds exactly 10 spikes.
        let times: [[Double]] = (0..<10).map { n in
            let phase = 0.5 + 0.25 * Double(n)
            return (0..<100).map { k in phase + 10 * Double(k) }
        }
        let stats = SpikeTrainStatistics.compute(times: times, from: 0, to: 1000)
        XCTAssertEqual(stats.cv, 0)
        XCTAssertEqual(stats.fano, 0)
        XCTAssertEqual(stats.rate, 100, accuracy: 1e-12)
        XCTAssertEqual(stats.neuronsWithCV, 10)
        XCTAssertEqual(stats.spikes, 1000)
    }

    func testHandComputedCVAndWindowing() {
        // Intervals 10 and 20 ms: mean 15, population s.d. 5, CV 1/3. The spikes at -5 and 40 lie
        // outside [0, 40) and are ignored; the second neuron has one interval and is left out of CV.
        let times: [[Double]] = [[-5, 0, 10, 30, 40], [1, 2]]
        let stats = SpikeTrainStatistics.compute(times: times, from: 0, to: 40, fanoBin: 20)
        XCTAssertEqual(stats.cv, 1.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(stats.neuronsWithCV, 1)
        XCTAssertEqual(stats.spikes, 5)
        XCTAssertEqual(stats.rate, 5 / 2 / 0.040, accuracy: 1e-12)
        // Counts per 20-ms bin: neuron 0 [2, 1] -> var 0.25 / mean 1.5; neuron 1 [2, 0] -> 1 / 1.
        XCTAssertEqual(stats.fano, (0.25 / 1.5 + 1.0) / 2, accuracy: 1e-15)
    }

    func testPoissonTrainsHaveUnitCVAndFano() {
        // Seed 20261129; 200 neurons at 20 Hz for 10 s: about 40 000 intervals. The s.d. of the
        // mean CV is about 0.005 and that of the mean Fano (100 bins each, ddof 0 bias 0.99) about
        // 0.01, so the bounds 0.05 and 0.08 are more than 5 s.d. wide (false failure < 1e-6).
        var generator = TestGenerator(state: 20_261_129)
        let times = (0..<200).map { _ in poissonTrain(rateHz: 20, duration: 10_000, generator: &generator) }
        let stats = SpikeTrainStatistics.compute(times: times, from: 0, to: 10_000)
        XCTAssertEqual(stats.cv, 1, accuracy: 0.05)
        XCTAssertEqual(stats.fano, 1, accuracy: 0.08)
        XCTAssertEqual(stats.rate, 20, accuracy: 0.5)
        // Independent trains: chi^2 = 1/N; the estimate of Var(population count) over 10 000 bins
        // has relative s.d. about 0.015, so |chi sqrt(N) - 1| < 0.1 is a > 6 s.d. bound.
        XCTAssertEqual(stats.synchrony * Double(200).squareRoot(), 1, accuracy: 0.1)
    }

    func testIdenticalTrainsAreFullySynchronous() {
        var generator = TestGenerator(state: 7)
        let train = poissonTrain(rateHz: 30, duration: 2000, generator: &generator)
        let stats = SpikeTrainStatistics.compute(times: Array(repeating: train, count: 50), from: 0, to: 2000)
        XCTAssertEqual(stats.synchrony, 1, accuracy: 1e-12)
    }

    func testEmptyWindowGivesNaN() {
        let stats = SpikeTrainStatistics.compute(times: [[1, 2, 3]], from: 10, to: 10)
        XCTAssertTrue(stats.rate.isNaN)
        XCTAssertTrue(stats.cv.isNaN)
        let silent = SpikeTrainStatistics.compute(times: [[], []], from: 0, to: 1000)
        XCTAssertEqual(silent.rate, 0)
        XCTAssertTrue(silent.cv.isNaN)
        XCTAssertTrue(silent.fano.isNaN)
        XCTAssertTrue(silent.synchrony.isNaN)
    }
}
