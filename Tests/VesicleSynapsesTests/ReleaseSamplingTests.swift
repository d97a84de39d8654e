import Foundation
import VesicleModel
import VesicleRandom
import VesicleSynapses
import XCTest

final class ReleaseSamplingTests: XCTestCase {
    let alpha = 1e-3
    let count = 20_000

    private func samples(mu: Double, sigma2: Double, mode: ReleaseMode, link: PosteriorLink,
                         seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed, purpose: .release)
        return (0..<count).map { _ in
            releaseAmplitude(mu: mu, sigma2: sigma2, mode: mode, link: link, rng: &rng)
        }
    }

    /// The Kolmogorov-Smirnov helper must reject a wrong claim, or the tests below could not fail:
    /// N(0.1, 1) samples against N(0, 1) with n = 20 000 give D ~ 0.04, far above the 1e-3 critical value 0.0138.
    func testKolmogorovSmirnovRejectsAShiftedDistribution() {
        var rng = RandomStream(seed: 7, purpose: .release)
        let x = (0..<count).map { _ in 0.1 + rng.normal() }
        let d = KolmogorovSmirnov.statistic(x, cdf: KolmogorovSmirnov.normalCDF)
        XCTAssertLessThan(KolmogorovSmirnov.pValue(statistic: d, count: count), alpha)
    }

    /// `posterior` under the log link is log-normal: ln w ~ N(mu, sigma2). Seed 11, alpha = 1e-3.
    func testPosteriorReleaseIsLogNormal() {
        let (mu, s2) = (-0.669, 0.07448)
        let x = samples(mu: mu, sigma2: s2, mode: .posterior, link: .log, seed: 11)
        let d = KolmogorovSmirnov.statistic(x) { w in
            w <= 0 ? 0 : KolmogorovSmirnov.normalCDF((log(w) - mu) / s2.squareRoot())
        }
        XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: count), alpha, "D = \(d)")
    }

    /// `gaussian`: N(m, s2) with the log-normal moments m = exp(mu + sigma2/2), s2 = m^2 (e^sigma2 - 1),
    /// computed here independently. Seed 12, alpha = 1e-3.
    func testGaussianReleaseHasPosteriorMoments() {
        let (mu, s2) = (-0.3, 0.5)
        let m = exp(mu + s2 / 2)
        let sd = (m * m * (exp(s2) - 1)).squareRoot()
        let x = samples(mu: mu, sigma2: s2, mode: .gaussian, link: .log, seed: 12)
        let d = KolmogorovSmirnov.statistic(x) { KolmogorovSmirnov.normalCDF(($0 - m) / sd) }
        XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: count), alpha, "D = \(d)")
    }

    /// `fixed_ratio k`: N(m, k m), k = 0.0877 mV. Seed 13, alpha = 1e-3.
    func testFixedRatioReleaseHasVarianceKTimesMean() {
        let (mu, s2, k) = (-0.669, 0.07448, 0.0877)
        let m = exp(mu + s2 / 2)
        let x = samples(mu: mu, sigma2: s2, mode: .fixedRatio(k: k), link: .log, seed: 13)
        let d = KolmogorovSmirnov.statistic(x) { KolmogorovSmirnov.normalCDF(($0 - m) / (k * m).squareRoot()) }
        XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: count), alpha, "D = \(d)")
    }

    /// `posterior` under the identity link is N(mu, sigma2). Seed 14, alpha = 1e-3.
    func testIdentityPosteriorReleaseIsNormal() {
        let (mu, s2) = (0.4, 0.2)
        let x = samples(mu: mu, sigma2: s2, mode: .posterior, link: .identity, seed: 14)
        let d = KolmogorovSmirnov.statistic(x) { KolmogorovSmirnov.normalCDF(($0 - mu) / s2.squareRoot()) }
        XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: count), alpha, "D = \(d)")
    }

    /// `mean` releases m every time, to rounding, and draws nothing from the stream.
    func testMeanReleaseIsThePosteriorMean() {
        var rng = RandomStream(seed: 15, purpose: .release)
        let before = rng
        let w = releaseAmplitude(mu: -0.669, sigma2: 0.07448, mode: .mean, link: .log, rng: &rng)
        XCTAssertEqual(w, exp(-0.669 + 0.07448 / 2), accuracy: 1e-15)
        var a = rng, b = before
        XCTAssertEqual(a.next(), b.next())
    }

    /// r2 per mode: 0, s2, s2, k m; and the assumed ratio overrides the mode (docs/MODEL.md §4).
    func testReleaseVariances() {
        let w = WeightMoments(mean: 0.6, variance: 0.03)
        XCTAssertEqual(releaseVariance(w, mode: .mean), 0)
        XCTAssertEqual(releaseVariance(w, mode: .posterior), 0.03)
        XCTAssertEqual(releaseVariance(w, mode: .gaussian), 0.03)
        XCTAssertEqual(releaseVariance(w, mode: .fixedRatio(k: 0.0877)), 0.0877 * 0.6, accuracy: 1e-16)
        XCTAssertEqual(assumedReleaseVariance(w, mode: .mean, assumedRatio: 0.0877), 0.0877 * 0.6, accuracy: 1e-16)
    }

    func testNegativeRatioIsRejected() {
        XCTAssertThrowsError(try ReleaseMode.fixedRatio(k: -1).validate())
    }
}
