import Foundation
import VesicleModel
import VesicleRandom
import VesicleSynapses
import XCTest

/// `releaseRow` (the spiking engine's batch posterior sampling) against the per-synapse definition:
/// the closed-form relaxation, then `exp(mu + sqrt(sigma2) xi)` with libm, on the same normals.
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

    /// The normals `releaseRow` consumes for a range of `count` synapses: one row of blocks of four.
    private func normals(_ lanes: inout RandomLanes, count: Int) -> [Double] {
        var xi = [Double](repeating: .nan, count: (count + 3) / 4 * 4)
        lanes.zigguratBlocks((count + 3) / 4, layers: NormalZiggurat.layers, densities: NormalZiggurat.densities) { b, z in
            for j in 0..<4 { xi[4 * b + j] = z[j] }
        }
        return xi
    }

    /// Whole rows at increasing times: each release equals sign * exp(mu + sqrt(sigma2) xi) with libm
    /// from `relaxedPosterior` within 4 ulp (vector exp 1 ulp and sqrt 1 ulp, the first amplified by
    /// |x| < 4 in the exponent's argument); `relaxedPosterior` is the closed form from the stored state
    /// and agrees with `bringRow`'s Float state to 2^-23 relative; the table is not written.
    func testWholeRowsMatchClosedFormRelaxationThenLogNormalRelease() throws {
        let batch = try table()
        // Unequal variances in rows 0 and 4 (the square root of a block is reused only when equal).
        for k in [1, 5, 6, 30, 41] {
            try batch.apply(PosteriorIncrement(mu: 0, sigma2: 0.01 * Double(k)), to: k, at: 0)
        }
        let brought = batch.copy()
        var lanes = RandomLanes(seed: 62, purpose: .release)
        var referenceLanes = lanes
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 20)
        defer { out.deallocate() }
        for (step, row) in [0, 1, 2, 3, 4, 0, 4, 1].enumerated() {
            let time = 7.5 * Double(step + 1)
            let range = batch.rowOffsets[row]..<batch.rowOffsets[row + 1]
            batch.releaseRow(row, range: range, at: time, sign: -1, lanes: &lanes, into: out)
            brought.bringRow(row, to: time)
            let xi = range.isEmpty ? [] : normals(&referenceLanes, count: range.count)
            let d = exp(-time / 100)
            for (offset, k) in range.enumerated() {
                let p = batch.relaxedPosterior(k, row: row, at: time)
                let stored = batch.posterior(k)
                XCTAssertEqual(p.mu, -2.34 + (stored.mu + 2.34) * d, accuracy: 1e-15 * abs(p.mu))
                XCTAssertEqual(p.sigma2, 0.07448 + (stored.sigma2 - 0.07448) * d * d, accuracy: 1e-15)
                XCTAssertEqual(p.mu, brought.posterior(k).mu, accuracy: 0x1p-23 * abs(p.mu))
                XCTAssertEqual(p.sigma2, brought.posterior(k).sigma2, accuracy: 0x1p-23 * p.sigma2)
                let expected = -exp(p.mu + p.sigma2.squareRoot() * xi[offset])
                XCTAssertEqual(out[offset], expected, accuracy: 4 * expected.ulp, "row \(row) synapse \(k)")
            }
        }
        XCTAssertEqual(batch.rowTime, [0, 0, 0, 0, 0])
    }

    /// Rows that share one posterior (one initial mean, no learning: the Bayesian Brunel network) are
    /// released from it read once per row; the releases are bit for bit those of the per-synapse path
    /// (the same table with the flag dropped by a no-op write), for whole rows and parts of rows of
    /// every remainder length, rows brought forward or not, under both links, on the same normals.
    func testRowsSharingOnePosteriorReleaseBitForBitAsPerSynapse() throws {
        let prior = try OrnsteinUhlenbeckPrior(mean: -2.34, variance: 0.07448, tau: 100)
        for link in [PosteriorLink.log, .identity] {
            let shared = try CompactBayesianSynapseTable(
                rowOffsets: [0, 13, 21, 21, 24, 44], prior: prior, link: link, release: .posterior,
                initialMean: Array(repeating: -2.0, count: 44), initialVariance: 0.2)
            let perSynapse = shared.copy()
            perSynapse.withMutablePosteriors { _, _ in }
            XCTAssertTrue(shared.rowsShareOnePosterior)
            XCTAssertFalse(perSynapse.rowsShareOnePosterior)
            var lanes = RandomLanes(seed: 63, purpose: .release)
            var otherLanes = lanes
            let a = UnsafeMutablePointer<Double>.allocate(capacity: 20), b = UnsafeMutablePointer<Double>.allocate(capacity: 20)
            defer { a.deallocate(); b.deallocate() }
            for (step, row) in [0, 1, 2, 3, 4, 0, 4, 1].enumerated() {
                let time = 7.5 * Double(step)
                if step % 3 == 2 {
                    // Rows brought forward: the per-row copy the shared path reads follows its synapses.
                    shared.bringRow(row, to: time - 2)
                    perSynapse.bringRow(row, to: time - 2)
                    XCTAssertTrue(shared.rowsShareOnePosterior)
                }
                let whole = shared.rowOffsets[row]..<shared.rowOffsets[row + 1]
                for range in [whole, whole.lowerBound..<(whole.lowerBound + whole.count / 2)] {
                    shared.releaseRow(row, range: range, at: time, sign: -1, lanes: &lanes, into: a)
                    perSynapse.releaseRow(row, range: range, at: time, sign: -1, lanes: &otherLanes, into: b)
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: a, count: range.count)),
                                   Array(UnsafeBufferPointer(start: b, count: range.count)), "\(link) row \(row)")
                }
            }
        }
        // A shared posterior near exp's vector limit (|mu| + sqrt(sigma2) * 13.708 above 707) takes the
        // per-block domain check instead of the row's, with the sign multiplied, not set in the
        // scale: still bit for bit the per-synapse path, under either sign, and finite.
        let wide = try OrnsteinUhlenbeckPrior(mean: 700, variance: 1, tau: 100)
        let nearLimit = try CompactBayesianSynapseTable(
            rowOffsets: [0, 400], prior: wide, link: .log, release: .posterior,
            initialMean: Array(repeating: 700, count: 400), initialVariance: 1)
        let nearLimitPerSynapse = nearLimit.copy()
        nearLimitPerSynapse.withMutablePosteriors { _, _ in }
        XCTAssertGreaterThan(700 + RandomLanes.largestZigguratNormal, 707)
        let a = UnsafeMutablePointer<Double>.allocate(capacity: 400), b = UnsafeMutablePointer<Double>.allocate(capacity: 400)
        defer { a.deallocate(); b.deallocate() }
        for sign in [1.0, -1.0] {
            var lanes = RandomLanes(seed: 64, purpose: .release)
            var otherLanes = lanes
            nearLimit.releaseRow(0, range: 0..<400, at: 0, sign: sign, lanes: &lanes, into: a)
            nearLimitPerSynapse.releaseRow(0, range: 0..<400, at: 0, sign: sign, lanes: &otherLanes, into: b)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: a, count: 400)), Array(UnsafeBufferPointer(start: b, count: 400)))
            XCTAssertEqual((0..<400).filter { a[$0].isFinite && a[$0].sign == (sign < 0 ? .minus : .plus) }.count, 400)
        }
        // Different initial means within a row, or a learning increment, end the sharing.
        let learning = try CompactBayesianSynapseTable(
            rowOffsets: [0, 2], prior: prior, link: .log, release: .posterior, initialMean: [-2, -2], initialVariance: 0.2)
        try learning.apply(PosteriorIncrement(mu: 0.1, sigma2: 0), to: 1, at: 0)
        XCTAssertFalse(learning.rowsShareOnePosterior)
        XCTAssertFalse(try CompactBayesianSynapseTable(
            rowOffsets: [0, 2], prior: prior, link: .log, release: .posterior, initialMean: [-2, -1],
            initialVariance: 0.2).rowsShareOnePosterior)
    }

    /// Part of a row (one delay class of it) of a row brought to 12 ms, released at 30 ms under the
    /// identity link: mu + sqrt(sigma2) xi from the state relaxed from 12 ms; and at the row's own
    /// time the stored posterior is used as it is.
    func testPartOfARowUnderTheIdentityLink() throws {
        let batch = try table(link: .identity)
        batch.bringRow(4, to: 12)
        var lanes = RandomLanes(seed: 63, purpose: .release)
        var referenceLanes = lanes
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 20)
        defer { out.deallocate() }
        batch.releaseRow(4, range: 30..<39, at: 30, sign: 1, lanes: &lanes, into: out)
        var xi = normals(&referenceLanes, count: 9)
        let d = exp(-18.0 / 100)
        for (offset, k) in (30..<39).enumerated() {
            let p = batch.relaxedPosterior(k, row: 4, at: 30)
            XCTAssertEqual(p.mu, -2.34 + (batch.posterior(k).mu + 2.34) * d, accuracy: 1e-15 * abs(p.mu))
            let expected = p.mu + p.sigma2.squareRoot() * xi[offset]
            XCTAssertEqual(out[offset], expected, accuracy: 2 * expected.ulp)
        }
        batch.releaseRow(4, range: 30..<39, at: 12, sign: 1, lanes: &lanes, into: out)
        xi = normals(&referenceLanes, count: 9)
        for (offset, k) in (30..<39).enumerated() {
            XCTAssertTrue(batch.relaxedPosterior(k, row: 4, at: 12) == batch.posterior(k))
            let p = batch.posterior(k)
            XCTAssertEqual(out[offset], p.mu + p.sigma2.squareRoot() * xi[offset], accuracy: 2 * out[offset].ulp)
        }
    }

    /// Law of the released amplitudes: (ln w - mu) / sqrt(sigma2) over 60 000 releases of a row
    /// (3 000 deliveries of row 4 at 1 ms intervals, seed 64, each standardised by the posterior it was
    /// drawn from) passes
    /// Kolmogorov-Smirnov against N(0, 1) at alpha = 1e-3.
    func testReleasesAreLogNormalInLaw() throws {
        let batch = try table()
        var lanes = RandomLanes(seed: 64, purpose: .release)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 20)
        defer { out.deallocate() }
        var standardised: [Double] = []
        for step in 0..<3_000 {
            batch.releaseRow(4, range: 24..<44, at: Double(step), sign: 1, lanes: &lanes, into: out)
            for (offset, k) in (24..<44).enumerated() {
                let p = batch.relaxedPosterior(k, row: 4, at: Double(step))
                standardised.append((log(out[offset]) - p.mu) / p.sigma2.squareRoot())
            }
        }
        let d = KolmogorovSmirnov.statistic(standardised, cdf: KolmogorovSmirnov.normalCDF)
        XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: standardised.count), 1e-3)
    }
}

/// The C builds of the shared-posterior loop (`CVesicleVector`, AVX2 and AVX-512) against the
/// portable Swift loop: the same releases bit for bit and the lanes left in the same state, on every
/// kernel this machine has (the portable one always; the test names the kernels it compared).
final class ReleaseKernelTests: XCTestCase {
    /// Rows of 1 to 9 synapses (every remainder of the four-wide blocks) and of 40 000 (its lanes take
    /// the ziggurat's slow path for about 1.2% of draws, some 500 per row, and its exact tail, 2.6e-4
    /// of draws, about ten times per row; seed 65), both signs, a narrow and a wide posterior, relaxed
    /// and not: every release and the lanes after it are equal.
    func testEveryKernelReleasesTheSameBitsAsThePortableLoop() throws {
        let kernels = ReleaseKernel.available.filter { $0 != .portable }
        if kernels.isEmpty { throw XCTSkip("this CPU (or OS) has no AVX2 or AVX-512 release kernel: nothing to compare with the portable loop") }
        print("release kernels on this machine: \(ReleaseKernel.available), selected \(ReleaseKernel.selected)")
        XCTAssertEqual(MemoryLayout<RandomLanes>.size, 128)
        let lengths = Array(1...9) + [40_000]
        let offsets = lengths.reduce(into: [0]) { $0.append($0.last! + $1) }
        var compared = 0
        for (mean, variance) in [(-2.34, 0.07448), (1.5, 9.0)] {
            let prior = try OrnsteinUhlenbeckPrior(mean: mean, variance: variance, tau: 100)
            let table = try CompactBayesianSynapseTable(
                rowOffsets: offsets, prior: prior, link: .log, release: .posterior,
                initialMean: Array(repeating: mean + 0.5, count: offsets.last!), initialVariance: variance / 2)
            XCTAssertTrue(table.rowsShareOnePosterior)
            let expected = UnsafeMutablePointer<Double>.allocate(capacity: 40_000)
            let released = UnsafeMutablePointer<Double>.allocate(capacity: 40_000)
            defer { expected.deallocate(); released.deallocate() }
            for kernel in kernels {
                var portableLanes = RandomLanes(seed: 65, purpose: .release), kernelLanes = portableLanes
                for sign in [1.0, -1.0] {
                    for (row, count) in lengths.enumerated() {
                        let range = offsets[row]..<offsets[row + 1]
                        for time in [0.0, 12.5] {
                            table.releaseRow(row, range: range, at: time, sign: sign, lanes: &portableLanes,
                                             into: expected, kernel: .portable)
                            table.releaseRow(row, range: range, at: time, sign: sign, lanes: &kernelLanes,
                                             into: released, kernel: kernel)
                            let a = (0..<count).map { expected[$0].bitPattern }
                            let b = (0..<count).map { released[$0].bitPattern }
                            XCTAssertEqual(a, b, "\(kernel), row of \(count), sign \(sign), t \(time)")
                            XCTAssertTrue(portableLanes.next() == kernelLanes.next(), "\(kernel) lanes")
                            compared += count
                        }
                    }
                }
            }
        }
        XCTAssertEqual(compared, kernels.count * 2 * 2 * 2 * offsets.last!)
    }

    /// Which kernels exist follows from the CPU: AVX-512 is reported only with AVX2, and the
    /// selected kernel is one of them.
    func testSelectedKernelIsAvailable() {
        XCTAssertEqual(ReleaseKernel.available.first, .portable)
        XCTAssertTrue(ReleaseKernel.available.contains(ReleaseKernel.selected))
        if ReleaseKernel.available.contains(.avx512) { XCTAssertTrue(ReleaseKernel.available.contains(.avx2)) }
    }
}
