import Foundation
import XCTest
@testable import VesicleAnalysis

final class ReleaseStatisticsTests: XCTestCase {
    func testModelLimits() {
        // nu << nu0: a/(2 nu0); nu >> nu0: a/sqrt(nu nu0); and the defining formula in between.
        XCTAssertEqual(ReleaseStatistics.variabilityModel(nu: 1e-9, a: 3, nu0: 2), 3.0 / 4.0, accuracy: 1e-9)
        // The next term of the large-nu expansion is relative sqrt(nu0/nu) = 1.4e-6.
        let asymptote = 3 / (1e12 * 2).squareRoot()
        XCTAssertEqual(ReleaseStatistics.variabilityModel(nu: 1e12, a: 3, nu0: 2), asymptote, accuracy: asymptote * 2e-6)
        let nu = 7.0, a = 0.4, nu0 = 3.0
        XCTAssertEqual(
            ReleaseStatistics.variabilityModel(nu: nu, a: a, nu0: nu0), (a / nu) * ((1 + nu / nu0).squareRoot() - 1),
            accuracy: 1e-15)
    }

    func testFitRecoversExactParameters() throws {
        let rates = (0..<40).map { pow(10, -1 + 3 * Double($0) / 39) }
        let y = rates.map { ReleaseStatistics.variabilityModel(nu: $0, a: 0.8, nu0: 4.5) }
        let fit = try XCTUnwrap(ReleaseStatistics.fitVariability(rates: rates, variability: y))
        XCTAssertEqual(fit.a, 0.8, accuracy: 0.8 * 1e-6)
        XCTAssertEqual(fit.nu0, 4.5, accuracy: 4.5 * 1e-6)
        XCTAssertLessThan(fit.logResidual, 1e-8)
    }

    func testFitWithLogNormalNoise() throws {
        // Seed 99; log-normal noise of s.d. 0.1 in log y on 200 points over three decades. The
        // fitted log a and log nu0 have s.d. well under 0.05 here, so 15 % is a > 3 s.d. bound.
        var generator = TestGenerator(state: 99)
        let rates = (0..<200).map { pow(10, -1 + 3 * Double($0) / 199) }
        let y = rates.map { nu -> Double in
            let u1 = generator.uniformPositive(), u2 = generator.uniformPositive()
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            return ReleaseStatistics.variabilityModel(nu: nu, a: 2, nu0: 1) * exp(0.1 * normal)
        }
        let fit = try XCTUnwrap(ReleaseStatistics.fitVariability(rates: rates, variability: y))
        XCTAssertEqual(fit.a, 2, accuracy: 0.3)
        XCTAssertEqual(fit.nu0, 1, accuracy: 0.15)
        XCTAssertEqual(fit.logResidual, 0.1, accuracy: 0.02)
    }

    func testFitNeedsTwoUsablePoints() {
        XCTAssertNil(ReleaseStatistics.fitVariability(rates: [1, -1, 0], variability: [1, 1, 1]))
    }

    func testLogLogSlopeOfPowerLaw() {
        let x = [0.5, 1, 2, 8, 30]
        XCTAssertEqual(ReleaseStatistics.logLogSlope(x: x, y: x.map { 3 / $0.squareRoot() }), -0.5, accuracy: 1e-12)
        XCTAssertTrue(ReleaseStatistics.logLogSlope(x: [1, 1], y: [1, 2]).isNaN)
    }

    func testSummaryOfAHandBuiltLog() throws {
        // Synapse 4 releases 1, 2, 3 (mean 2, unbiased variance 1); synapse 9 releases 5, 5
        // (variance 0); synapse 1 releases once and is left out. Window 2 s.
        let summaries = ReleaseStatistics.summarize(
            synapse: [4, 9, 4, 1, 9, 4], presynaptic: [0, 7, 0, 3, 7, 0], amplitude: [1, 5, 2, 9, 5, 3], duration: 2000)
        XCTAssertEqual(summaries.map(\.synapse), [4, 9])
        let first = summaries[0]
        XCTAssertEqual(first.meanAmplitude, 2)
        XCTAssertEqual(first.amplitudeVariance, 1)
        XCTAssertEqual(first.normalizedVariability, 0.5)
        XCTAssertEqual(first.presynapticRate, 1.5)
        XCTAssertEqual(first.presynaptic, 0)
        XCTAssertEqual(summaries[1].amplitudeVariance, 0)
        XCTAssertEqual(summaries[1].releases, 2)
    }

    func testPosteriorVariabilityUnderBothLinks() throws {
        // Two releases of synapse 0 with posteriors (mu, sigma2) = (-0.669, 0.07448) and (0, 0.5).
        // Log link: s2/m = m (e^sigma2 - 1) with m = e^(mu + sigma2/2); identity: sigma2 / mu.
        let mu = [-0.669, 0.0], sigma2 = [0.07448, 0.5]
        let logRatios = zip(mu, sigma2).map { exp($0 + $1 / 2) * (exp($1) - 1) }
        let logSummary = try XCTUnwrap(ReleaseStatistics.summarize(
            synapse: [0, 0], presynaptic: [1, 1], amplitude: [0.5, 0.6], duration: 1000, mu: mu, sigma2: sigma2).first)
        XCTAssertEqual(logSummary.posteriorNormalizedVariability, (logRatios[0] + logRatios[1]) / 2, accuracy: 1e-14)
        let identity = try XCTUnwrap(ReleaseStatistics.summarize(
            synapse: [0, 0], presynaptic: [1, 1], amplitude: [0.5, 0.6], duration: 1000,
            mu: [2, 4], sigma2: [1, 1], link: .identity).first)
        XCTAssertEqual(identity.posteriorNormalizedVariability, (0.5 + 0.25) / 2, accuracy: 1e-15)
        let none = try XCTUnwrap(ReleaseStatistics.summarize(synapse: [0, 0], presynaptic: [1, 1], amplitude: [1, 2], duration: 1000).first)
        XCTAssertTrue(none.posteriorNormalizedVariability.isNaN)
    }
}
