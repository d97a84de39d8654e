import Foundation
import XCTest
@testable import VesicleAnalysis

/// A statistic without data is undefined (NaN, with a reason), never 0; a fit whose nu0 the data
/// do not determine says so (issue 20 item 5: a Fano factor of 0.000 on one bin, nu0 = 7e4 Hz
/// fitted to data with no rate dependence).
final class UndefinedStatisticsTests: XCTestCase {
    /// A 150 ms window in 100 ms bins holds one whole bin: the count variance is 0 by
    /// construction, so the Fano factor is undefined, not 0.
    func testFanoFactorOfOneBinIsUndefined() {
        var generator = TestGenerator(state: 5)
        let times = (0..<20).map { _ in poissonTrain(rateHz: 40, duration: 150, generator: &generator) }
        let oneBin = SpikeTrainStatistics.compute(times: times, from: 0, to: 150, fanoBin: 100)
        XCTAssertEqual(oneBin.fanoBins, 1)
        XCTAssertTrue(oneBin.fano.isNaN, "one bin: \(oneBin.fano)")
        XCTAssertNotNil(oneBin.fanoUndefinedReason)
        XCTAssertTrue(oneBin.fanoUndefinedReason?.contains("1 whole bin") ?? false, oneBin.fanoUndefinedReason ?? "")
        let twoBins = SpikeTrainStatistics.compute(times: times, from: 0, to: 150, fanoBin: 75)
        XCTAssertEqual(twoBins.fanoBins, 2)
        XCTAssertTrue(twoBins.fano.isFinite)
        XCTAssertNil(twoBins.fanoUndefinedReason)
    }

    /// Two spikes per neuron give one interval: the CV is undefined, with the reason.
    func testCVWithFewerThanTwoIntervalsIsUndefined() {
        let stats = SpikeTrainStatistics.compute(times: [[1, 5], [2, 9], [3]], from: 0, to: 10, fanoBin: 1)
        XCTAssertTrue(stats.cv.isNaN)
        XCTAssertEqual(stats.neuronsWithCV, 0)
        XCTAssertEqual(stats.cvUndefinedReason, "no neuron has 2 or more inter-spike intervals in the window")
        let defined = SpikeTrainStatistics.compute(times: [[1, 5, 6]], from: 0, to: 10)
        XCTAssertEqual(defined.cv, 1.5 / 2.5, accuracy: 1e-15, "intervals 4 and 1: s.d. 1.5 over mean 2.5")
        XCTAssertNil(defined.cvUndefinedReason)
    }

    /// log-normal scatter of s.d. 0.1 (seed 11) on 30 points over 0.5-50 Hz.
    private func noisy(_ rates: [Double], seed: UInt64, _ truth: (Double) -> Double) -> [Double] {
        var generator = TestGenerator(state: seed)
        return rates.map { nu in
            let u1 = generator.uniformPositive(), u2 = generator.uniformPositive()
            return truth(nu) * exp(0.1 * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
        }
    }

    private let rates = (0..<30).map { 0.5 * pow(100, Double($0) / 29) }

    /// No rate dependence (the case): the least-squares nu0 runs off to the top of the
    /// searched range, its 95 % interval is unbounded above, and the fit carries a caveat naming
    /// the one combination the data determine, a/(2 nu0), which matches the flat level.
    func testFlatDataGiveAnUnidentifiedNu0WithACaveat() throws {
        let y = noisy(rates, seed: 11) { _ in 0.3 }
        let fit = try XCTUnwrap(ReleaseStatistics.fitVariability(rates: rates, variability: y))
        XCTAssertFalse(fit.isIdentifiable)
        XCTAssertNil(fit.nu0Upper)
        let caveat = try XCTUnwrap(fit.caveat)
        XCTAssertTrue(caveat.contains("no rate dependence"), caveat)
        let geometricMean = exp(y.map(log).reduce(0, +) / Double(y.count))
        XCTAssertEqual(fit.a / (2 * fit.nu0), geometricMean, accuracy: geometricMean * 0.02,
                       "the level is determined: within 2 % (the curve's residual slope at the largest nu0 searched)")
    }

    /// A pure nu^(-1/2) law: nu0 is unbounded below; only a/sqrt(nu0) is determined.
    func testPowerLawGivesNu0UnboundedBelow() throws {
        let y = noisy(rates, seed: 12) { 0.8 / $0.squareRoot() }
        let fit = try XCTUnwrap(ReleaseStatistics.fitVariability(rates: rates, variability: y))
        XCTAssertFalse(fit.isIdentifiable)
        XCTAssertNil(fit.nu0Lower)
        XCTAssertTrue(fit.caveat?.contains("nu^(-1/2)") ?? false, fit.caveat ?? "")
        XCTAssertEqual(fit.a / fit.nu0.squareRoot(), 0.8, accuracy: 0.8 * 0.05)
    }

    /// Data spanning the bend (nu0 = 5 Hz inside 0.5-50 Hz): the interval is bounded and holds 5.
    func testCurvedDataGiveABoundedIntervalAroundTheTruth() throws {
        let y = noisy(rates, seed: 13) { ReleaseStatistics.variabilityModel(nu: $0, a: 2, nu0: 5) }
        let fit = try XCTUnwrap(ReleaseStatistics.fitVariability(rates: rates, variability: y))
        XCTAssertTrue(fit.isIdentifiable, "interval \(String(describing: fit.nu0Lower))-\(String(describing: fit.nu0Upper))")
        XCTAssertNil(fit.caveat)
        let lower = try XCTUnwrap(fit.nu0Lower), upper = try XCTUnwrap(fit.nu0Upper)
        XCTAssertLessThan(lower, 5)
        XCTAssertGreaterThan(upper, 5)
        XCTAssertLessThan(lower, fit.nu0)
        XCTAssertGreaterThan(upper, fit.nu0)
    }

    /// Two points for two parameters: the fit exists but is flagged.
    func testTwoPointsAreNotAMeaningfulFit() throws {
        let fit = try XCTUnwrap(ReleaseStatistics.fitVariability(rates: [1, 10], variability: [0.5, 0.2]))
        XCTAssertFalse(fit.isIdentifiable)
        XCTAssertEqual(fit.caveat, "2 synapses for 2 parameters: the fit is not meaningful")
    }
}
