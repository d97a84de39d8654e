import Foundation
import VesicleRandom
import VesicleSynapses
import XCTest

final class OrnsteinUhlenbeckPriorTests: XCTestCase {
    /// 10 000 relaxations over 0.1 ms equal one relaxation over 1 s, to 1e-12 absolute
    /// (each step rounds at ~1e-16 and the relaxation is contractive, so errors do not grow).
    func testManySmallStepsEqualOneClosedFormStep() throws {
        let prior = try OrnsteinUhlenbeckPrior(mean: -0.669, variance: 0.07448, tau: 1_000)
        var (mu, s2) = (0.8, 0.3)
        for _ in 0..<10_000 { prior.relax(mu: &mu, sigma2: &s2, over: 0.1) }
        var (mu1, s21) = (0.8, 0.3)
        prior.relax(mu: &mu1, sigma2: &s21, over: 1_000)
        XCTAssertEqual(mu, mu1, accuracy: 1e-12)
        XCTAssertEqual(s2, s21, accuracy: 1e-12)
        // Independent closed form: deviations shrink by e^(-1) and e^(-2).
        XCTAssertEqual(mu1, -0.669 + (0.8 + 0.669) * exp(-1.0), accuracy: 1e-15)
        XCTAssertEqual(s21, 0.07448 + (0.3 - 0.07448) * exp(-2.0), accuracy: 1e-15)
    }

    /// The teacher's transition over n bins has mean factor e^(-n dt/tau) and variance
    /// sigma2_pr (1 - e^(-2 n dt/tau)); 20 000 draws from a fixed start (seed 21): the sample mean is
    /// within 4.5 standard errors (false-failure rate ~7e-6) and the variance within 5% (~13 s.e.).
    func testTeacherTransitionMoments() throws {
        let prior = try OrnsteinUhlenbeckPrior(mean: -0.669, variance: 0.07448, tau: 1_000)
        var rng = RandomStream(seed: 21, purpose: .teacher)
        let d = prior.decay(over: 700)
        let n = 20_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n {
            let x = prior.transition(0.5, decay: d, rng: &rng)
            sum += x
            sumSq += x * x
        }
        let mean = sum / Double(n)
        let variance = sumSq / Double(n) - mean * mean
        let expectedMean = -0.669 + (0.5 + 0.669) * exp(-0.7)
        let expectedVariance = 0.07448 * (1 - exp(-1.4))
        XCTAssertEqual(mean, expectedMean, accuracy: 4.5 * (expectedVariance / Double(n)).squareRoot())
        XCTAssertEqual(variance, expectedVariance, accuracy: 0.05 * expectedVariance)
    }

    func testRejectsBadParameters() {
        XCTAssertThrowsError(try OrnsteinUhlenbeckPrior(mean: 0, variance: 0, tau: 1))
        XCTAssertThrowsError(try OrnsteinUhlenbeckPrior(mean: 0, variance: 1, tau: 0))
        XCTAssertThrowsError(try OrnsteinUhlenbeckPrior(mean: 0, variance: -1, tau: 1))
    }
}
