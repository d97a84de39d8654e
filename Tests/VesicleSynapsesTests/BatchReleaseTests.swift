import Foundation
import VesicleModel
import VesicleRandom
import VesicleSynapses
import XCTest

/// `releaseRow` (the spiking engine's batch posterior sampling) against the per-synapse definition:
/// `bringRow`, then `exp(mu + sqrt(sigma2) xi)` with libm, on the same normals.
final class BatchReleaseTests: XCTestCase {
    /// Rows of 13, 8, 0, 3 and 20 synapses (every remainder case of the four-wide blocks); means
    /// from seed 61.
    private func table(link: PosteriorLink = .log) throws -> CompactBayesianSynapseTable {
        let prior = try OrnsteinUhlenbeckPrior(mean: -2.34, variance: 0.07448, tau: 100)
        var rng = RandomStream(seed: 61, purpose: .posteriorInit)
        let offsets = [0, 13, 21, 21, 24, 44]
        let means = (0..<44).map { _ in -2.34 + 0.3 * rng.normal() }
        return try CompactBayesianSynapseTable(rowOffsets: offsets, prior: prior, link: link, release: .posterior,
                                               initialMean: means, initialVariance: 0.2)
    }

    /// The normals `releaseRow` consumes for a range of `count` synapses: blocks of eight, first
    /// the four cosines then the four sines.
    private func normals(_ lanes: inout RandomLanes, count: Int) -> [Double] {
        var xi: [Double] = []
        while xi.count < count {
            let (a, b) = lanes.nextNormals()
            for j in 0..<4 { xi.append(a[j]) }
            for j in 0..<4 { xi.append(b[j]) }
        }
        return xi
    }

    /// Whole rows at increasing times: the stored posteriors equal `bringRow`'s bit for bit, and each
    /// release equals sign * exp(mu + sqrt(sigma2) xi) from the stored values within 4 ulp (vector
    /// exp 1 ulp, sqrt 1 ulp, amplified by |x| < 4 in the exponent's argument).
    func testWholeRowsMatchRelaxationThenLogNormalRelease() throws {
        var batch = try table()
        var reference = batch
        var lanes = RandomLanes(seed: 62, purpose: .release)
        var referenceLanes = lanes
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 20)
        defer { out.deallocate() }
        for (step, row) in [0, 1, 2, 3, 4, 0, 4, 1].enumerated() {
            let time = 7.5 * Double(step + 1)
            let range = batch.rowOffsets[row]..<batch.rowOffsets[row + 1]
            batch.releaseRow(row, range: range, at: time, sign: -1, lanes: &lanes, into: out)
            reference.bringRow(row, to: time)
            let xi = range.isEmpty ? [] : normals(&referenceLanes, count: range.count)
            for (offset, k) in range.enumerated() {
                XCTAssertEqual(batch.mu[k], reference.mu[k])
                XCTAssertEqual(batch.sigma2[k], reference.sigma2[k])
                let p = reference.posterior(k)
                let expected = -exp(p.mu + p.sigma2.squareRoot() * xi[offset])
                XCTAssertEqual(out[offset], expected, accuracy: 4 * expected.ulp, "row \(row) synapse \(k)")
            }
            XCTAssertEqual(batch.rowTime, reference.rowTime)
        }
    }

    /// Part of a row (one delay class of it): the whole row is relaxed as by `bringRow`, releases are
    /// drawn for the part only; under the identity link a release is mu + sqrt(sigma2) xi.
    func testPartOfARowUnderTheIdentityLink() throws {
        var batch = try table(link: .identity)
        var reference = batch
        var lanes = RandomLanes(seed: 63, purpose: .release)
        var referenceLanes = lanes
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 20)
        defer { out.deallocate() }
        batch.releaseRow(4, range: 30..<39, at: 12, sign: 1, lanes: &lanes, into: out)
        reference.bringRow(4, to: 12)
        let xi = normals(&referenceLanes, count: 9)
        XCTAssertEqual(batch.mu, reference.mu)
        XCTAssertEqual(batch.sigma2, reference.sigma2)
        for (offset, k) in (30..<39).enumerated() {
            let p = reference.posterior(k)
            let expected = p.mu + p.sigma2.squareRoot() * xi[offset]
            XCTAssertEqual(out[offset], expected, accuracy: 2 * expected.ulp)
        }
    }

    /// Law of the released amplitudes: (ln w - mu) / sqrt(sigma2) over 60 000 releases of a row
    /// (3 000 deliveries of row 4 at 1 ms intervals, seed 64, each standardised by the posterior it was
    /// drawn from) passes
    /// Kolmogorov-Smirnov against N(0, 1) at alpha = 1e-3.
    func testReleasesAreLogNormalInLaw() throws {
        var batch = try table()
        var lanes = RandomLanes(seed: 64, purpose: .release)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 20)
        defer { out.deallocate() }
        var standardised: [Double] = []
        for step in 0..<3_000 {
            batch.releaseRow(4, range: 24..<44, at: Double(step), sign: 1, lanes: &lanes, into: out)
            for (offset, k) in (24..<44).enumerated() {
                let p = batch.posterior(k)
                standardised.append((log(out[offset]) - p.mu) / p.sigma2.squareRoot())
            }
        }
        let d = KolmogorovSmirnov.statistic(standardised, cdf: KolmogorovSmirnov.normalCDF)
        XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: standardised.count), 1e-3)
    }
}
