import Foundation
import VesicleModel
import VesicleRandom
import VesicleSynapses
import XCTest

final class BayesianSynapseTableTests: XCTestCase {
    private func tables() throws -> (BayesianSynapseTable<Float>, BayesianSynapseTable<Double>, [Double]) {
        let prior = try OrnsteinUhlenbeckPrior(mean: -0.669, variance: 0.07448, tau: 1_000)
        var rng = RandomStream(seed: 51, purpose: .posteriorInit)
        let initial = (0..<10).map { _ in -0.669 * (1 + rng.normal()) }
        let offsets = [0, 3, 3, 7, 10]
        return (try BayesianSynapseTable<Float>(rowOffsets: offsets, prior: prior, link: .log, release: .mean,
                                                initialMean: initial, initialVariance: 0.2),
                try BayesianSynapseTable<Double>(rowOffsets: offsets, prior: prior, link: .log, release: .mean,
                                                 initialMean: initial, initialVariance: 0.2),
                initial)
    }

    func testCompactStorageIsEightBytesPerSynapse() {
        XCTAssertEqual(CompactBayesianSynapseTable.bytesPerSynapse, 8)
        XCTAssertEqual(BayesianSynapseTable<Double>.bytesPerSynapse, 16)
    }

    /// Lazy row relaxation at irregular times equals the closed form from time 0, to 1e-13 (Double)
    /// and to 4e-7 relative (Float: ~2^-24 per store, not accumulating under the contraction).
    /// 2 000 touches of random rows at random times, seed 52.
    func testLazyRowRelaxationMatchesClosedForm() throws {
        let (compact, exact, initial) = try tables()
        var rng = RandomStream(seed: 52, purpose: .rates)
        var time = 0.0
        for _ in 0..<2_000 {
            time += 5 * rng.exponential()
            let row = rng.index(below: 4)
            compact.bringRow(row, to: time)
            exact.bringRow(row, to: time)
        }
        for row in 0..<4 {
            compact.bringRow(row, to: time)
            exact.bringRow(row, to: time)
        }
        let d = exp(-time / 1_000)
        for i in 0..<10 {
            let mu = -0.669 + (initial[i] + 0.669) * d
            let s2 = 0.07448 + (0.2 - 0.07448) * d * d
            XCTAssertEqual(exact.posterior(i).mu, mu, accuracy: 1e-13)
            XCTAssertEqual(exact.posterior(i).sigma2, s2, accuracy: 1e-13)
            XCTAssertEqual(compact.posterior(i).mu, mu, accuracy: 4e-7 * abs(mu))
            XCTAssertEqual(compact.posterior(i).sigma2, s2, accuracy: 4e-7 * s2)
        }
    }

    func testIncrementLeavingTheDomainIsAnError() throws {
        let (compact, _, _) = try tables()
        try compact.apply(PosteriorIncrement(mu: 0.1, sigma2: -0.1), to: 4, at: 12)
        XCTAssertEqual(compact.posterior(4).sigma2, 0.1, accuracy: 1e-7)
        XCTAssertThrowsError(try compact.apply(PosteriorIncrement(mu: 0, sigma2: -0.2), to: 4, at: 12.5)) { error in
            XCTAssertEqual(error as? SynapseError,
                           .posteriorLeftDomain(synapse: 4, time: 12.5, mu: compact.posterior(4).mu,
                                                sigma2: compact.posterior(4).sigma2 - 0.2))
        }
    }

    func testRejectsInconsistentRows() throws {
        let prior = try OrnsteinUhlenbeckPrior(mean: 0, variance: 1, tau: 1)
        XCTAssertThrowsError(try CompactBayesianSynapseTable(rowOffsets: [0, 2], prior: prior, link: .log,
                                                             release: .mean, initialMean: [0, 0, 0],
                                                             initialVariance: 1))
    }
}
