import Foundation
import VesicleModel
import VesicleRandom
import VesicleSynapses
import XCTest

/// Releases from counter-seeded lanes (issue 13 item 3; docs/DESIGN.md, Randomness, Bayesian
/// releases): each spike of a row seeds four xoshiro256++ lanes from eight Philox4x32-10 blocks of
/// (seed, bayesianRelease, projection, row, spike ordinal, offset of the part), and the AVX2 and
/// AVX-512 loops release from them the portable loop's bits.
final class CounterReleaseTests: XCTestCase {
    private static func key(row: Int) -> CounterKey {
        CounterKey(seed: 65, purpose: .bayesianRelease, entity: 3, index: UInt32(row))
    }

    /// Seeding and releasing by `kernel` (its Philox build seeds the lanes, its loop releases) against
    /// Swift's scalar Philox and the portable loop. Rows of 1 to 9 synapses (every remainder of the four-wide blocks) and of 40 000 (about 500 slow
    /// ziggurat draws and ten exact-tail draws per spike), spike ordinals 0, 1 and 7, parts at offsets
    /// 0 and 5, both signs, a narrow and a wide shared posterior, relaxed and not (seed 65): every
    /// release of `kernel` equals the portable loop's bit for bit, and the lanes end in the same state.
    private func assertKernelMatchesPortableLoop(_ kernel: ReleaseKernel) throws {
        guard ReleaseKernel.available.contains(kernel) else {
            throw XCTSkip("this CPU (or OS) has no \(kernel) release kernel (available: \(ReleaseKernel.available)); nothing to compare")
        }
        let lengths = Array(1...9) + [40_000]
        let offsets = lengths.reduce(into: [0]) { $0.append($0.last! + $1) }
        var compared = 0, differing = 0
        for (mean, variance) in [(-2.34, 0.07448), (1.5, 9.0)] {
            let prior = try OrnsteinUhlenbeckPrior(mean: mean, variance: variance, tau: 100)
            let table = try CompactBayesianSynapseTable(
                rowOffsets: offsets, prior: prior, link: .log, release: .posterior,
                initialMean: Array(repeating: mean + 0.5, count: offsets.last!), initialVariance: variance / 2)
            XCTAssertTrue(table.rowsShareOnePosterior)
            let expected = UnsafeMutablePointer<Double>.allocate(capacity: 40_000)
            let released = UnsafeMutablePointer<Double>.allocate(capacity: 40_000)
            defer { expected.deallocate(); released.deallocate() }
            for sign in [1.0, -1.0] {
                for (row, count) in lengths.enumerated() {
                    for ordinal: UInt32 in [0, 1, 7] {
                        for part in [0, 5] where part < count {
                            let range = offsets[row] + part..<offsets[row + 1]
                            for time in [0.0, 12.5] {
                                var portable = RandomLanes(key: Self.key(row: row), event: ordinal, offset: part)
                                var vector = kernel.lanes(key: Self.key(row: row), event: ordinal, offset: part)
                                table.releaseRow(row, range: range, at: time, sign: sign, lanes: &portable,
                                                 into: expected, kernel: .portable)
                                table.releaseRow(row, range: range, at: time, sign: sign, lanes: &vector,
                                                 into: released, kernel: kernel)
                                for j in 0..<range.count where expected[j].bitPattern != released[j].bitPattern {
                                    differing += 1
                                    if differing <= 5 { XCTFail("\(kernel): row of \(count), part \(part), ordinal \(ordinal), sign \(sign), t \(time), release \(j): \(released[j]) against \(expected[j])") }
                                }
                                XCTAssertTrue(portable.next() == vector.next(), "\(kernel) lanes")
                                compared += range.count
                            }
                        }
                    }
                }
            }
        }
        XCTAssertEqual(differing, 0)
        // 2 posteriors, 2 signs, 3 ordinals, 2 times; parts: the whole rows plus rows of 6 ... 40 000 from 5.
        let parts = offsets.last! + lengths.filter { $0 > 5 }.map { $0 - 5 }.reduce(0, +)
        XCTAssertEqual(compared, 2 * 2 * 3 * 2 * parts)
        print("\(kernel): \(compared) releases equal to the portable loop's")
    }

    func testAVX2KernelReleasesThePortableLoopsBitsFromCounterLanes() throws {
        try assertKernelMatchesPortableLoop(.avx2)
    }

    func testAVX512KernelReleasesThePortableLoopsBitsFromCounterLanes() throws {
        try assertKernelMatchesPortableLoop(.avx512)
    }

    /// Each kernel's Philox build seeds the lanes Swift's scalar Philox4x32-10 (Random123's, pinned by
    /// its known answers in `CounterRandomTests`) seeds: all 16 state words, over 3 000 keys (seeds,
    /// entities, rows), events up to 2^32 - 2 and offsets up to 2^29 - 1, where block numbers wrap.
    private func assertKernelSeedsTheScalarLanes(_ kernel: ReleaseKernel) throws {
        guard ReleaseKernel.available.contains(kernel) else {
            throw XCTSkip("this CPU (or OS) has no \(kernel) release kernel (available: \(ReleaseKernel.available)); nothing to compare")
        }
        var rng = RandomStream(seed: 66, purpose: .bayesianRelease)
        var compared = 0
        for t in 0..<3_000 {
            let key = CounterKey(seed: rng.next(), purpose: .bayesianRelease, entity: UInt32(t % 5),
                                 index: UInt32(truncatingIfNeeded: rng.next()))
            let event = t % 3 == 0 ? UInt32.max - 1 : UInt32(truncatingIfNeeded: rng.next())
            let offset = t % 7 == 0 ? (1 << 29) - 1 : Int(rng.next() % 100_000)
            var scalar = RandomLanes(key: key, event: event, offset: offset)
            var vector = kernel.lanes(key: key, event: event, offset: offset)
            let a = scalar.withWords { Array(UnsafeBufferPointer(start: $0, count: 16)) }
            let b = vector.withWords { Array(UnsafeBufferPointer(start: $0, count: 16)) }
            XCTAssertEqual(a, b, "\(kernel): key \(key), event \(event), offset \(offset)")
            compared += 1
        }
        XCTAssertEqual(compared, 3_000)
    }

    func testAVX2PhiloxBuildSeedsTheScalarLanes() throws { try assertKernelSeedsTheScalarLanes(.avx2) }

    func testAVX512PhiloxBuildSeedsTheScalarLanes() throws { try assertKernelSeedsTheScalarLanes(.avx512) }

    /// 60 000 releases of one shared-posterior row of 600 synapses (log link, m = -1.2, v = 0.3; the
    /// SIMD loop of the selected kernel) and of a row whose synapses all hold their own posterior
    /// (identity link, per-synapse loop), at spike ordinals 0 ..< 100 of row 4 (seed 65): log(w) and
    /// w standardised by the posterior each release was drawn from pass Kolmogorov-Smirnov against
    /// N(0, 1) at alpha = 1e-3.
    func testReleasesFollowThePosteriorInLaw() throws {
        let prior = try OrnsteinUhlenbeckPrior(mean: -1.2, variance: 0.3, tau: 100)
        let shared = try CompactBayesianSynapseTable(rowOffsets: [0, 600], prior: prior, link: .log, release: .posterior,
                                                     initialMean: Array(repeating: -1.2, count: 600), initialVariance: 0.3)
        var rng = RandomStream(seed: 65, purpose: .posteriorInit)
        let own = try CompactBayesianSynapseTable(rowOffsets: [0, 600], prior: prior, link: .identity, release: .posterior,
                                                  initialMean: (0..<600).map { _ in 2 + rng.normal() }, initialVariance: 0.5)
        XCTAssertTrue(shared.rowsShareOnePosterior)
        XCTAssertFalse(own.rowsShareOnePosterior)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: 600)
        defer { out.deallocate() }
        for (table, logLink) in [(shared, true), (own, false)] {
            var standardised: [Double] = []
            for ordinal in 0..<UInt32(100) {
                var lanes = RandomLanes(key: Self.key(row: 4), event: ordinal, offset: 0)
                table.releaseRow(0, range: 0..<600, at: 0, sign: 1, lanes: &lanes, into: out)
                for k in 0..<600 {
                    let p = table.relaxedPosterior(k, row: 0, at: 0)
                    standardised.append(((logLink ? log(out[k]) : out[k]) - p.mu) / p.sigma2.squareRoot())
                }
            }
            let d = KolmogorovSmirnov.statistic(standardised, cdf: KolmogorovSmirnov.normalCDF)
            XCTAssertGreaterThan(KolmogorovSmirnov.pValue(statistic: d, count: standardised.count), 1e-3,
                                 logLink ? "log-normal" : "normal")
        }
    }

    /// The normals of neighbouring rows at one spike ordinal, of one row at neighbouring ordinals, and
    /// of neighbouring parts (offsets 0 and 4) are uncorrelated: over 200 rows x 10 ordinals x 100
    /// synapses (200 000 pairs, seed 65) each Pearson correlation is within 4 / sqrt(200 000) = 0.0089
    /// of 0 (4 standard errors).
    func testNeighbouringRowsOrdinalsAndPartsDrawUncorrelatedNormals() {
        func normals(row: Int, ordinal: UInt32, offset: Int) -> [Double] {
            var lanes = RandomLanes(key: Self.key(row: row), event: ordinal, offset: offset)
            var xi = [Double](repeating: 0, count: 100)
            lanes.zigguratBlocks(25, layers: NormalZiggurat.layers, densities: NormalZiggurat.densities) { b, z in
                for j in 0..<4 { xi[4 * b + j] = z[j] }
            }
            return xi
        }
        var pairs: [String: ([Double], [Double])] = ["rows": ([], []), "ordinals": ([], []), "parts": ([], [])]
        for row in 0..<200 {
            for ordinal in 0..<UInt32(10) {
                let x = normals(row: row, ordinal: ordinal, offset: 0)
                pairs["rows"]!.0 += x
                pairs["rows"]!.1 += normals(row: row + 1, ordinal: ordinal, offset: 0)
                pairs["ordinals"]!.0 += x
                pairs["ordinals"]!.1 += normals(row: row, ordinal: ordinal + 1, offset: 0)
                pairs["parts"]!.0 += x
                pairs["parts"]!.1 += normals(row: row, ordinal: ordinal, offset: 4)
            }
        }
        for (name, (a, b)) in pairs {
            let n = Double(a.count)
            let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for i in a.indices {
                sab += (a[i] - ma) * (b[i] - mb)
                saa += (a[i] - ma) * (a[i] - ma)
                sbb += (b[i] - mb) * (b[i] - mb)
            }
            let rho = sab / (saa * sbb).squareRoot()
            XCTAssertEqual(a.count, 200_000)
            XCTAssertLessThan(abs(rho), 4 / n.squareRoot(), "\(name): correlation \(rho)")
        }
    }

    /// The documented layout: lane j's four state words are blocks 8 offset + 2 j and 8 offset + 2 j + 1
    /// of (key, event), high word first, and a lane then runs as xoshiro256++ from them (its first
    /// output rotl(s0 + s3, 23) + s0, Blackman & Vigna); a scalar stream's words are blocks 2 offset
    /// and 2 offset + 1.
    func testLaneStatesAreTheKeysPhiloxBlocks() {
        let key = Self.key(row: 11)
        for (event, offset) in [(UInt32(0), 0), (3, 2), (.max - 1, 1000)] {
            var lanes = RandomLanes(key: key, event: event, offset: offset)
            let first = lanes.next()
            for lane in 0..<4 {
                let a = key.block(event: event, block: UInt32(8 * offset + 2 * lane))
                let b = key.block(event: event, block: UInt32(8 * offset + 2 * lane + 1))
                let s0 = UInt64(a.0) << 32 | UInt64(a.1), s3 = UInt64(b.2) << 32 | UInt64(b.3)
                let sum = s0 &+ s3
                XCTAssertEqual(first[lane], (sum << 23 | sum >> 41) &+ s0, "event \(event), offset \(offset), lane \(lane)")
            }
            var stream = RandomStream(key: key, event: event, offset: offset)
            let a = key.block(event: event, block: UInt32(2 * offset))
            let s1 = UInt64(a.2) << 32 | UInt64(a.3)
            XCTAssertEqual(stream.next(), ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9, "stream, event \(event)")
        }
    }
}
