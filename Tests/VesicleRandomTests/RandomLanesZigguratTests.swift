import Foundation
import XCTest
@testable import VesicleRandom

final class RandomLanesZigguratTests: XCTestCase {
    /// The normals of rows of `blocks` blocks (the last call for a block carries its normals).
    static func row(_ lanes: inout RandomLanes, blocks: Int) -> [Double] {
        var samples = [Double](repeating: .nan, count: 4 * blocks)
        lanes.zigguratBlocks(blocks, layers: NormalZiggurat.layers, densities: NormalZiggurat.densities) { b, z in
            for j in 0..<4 { samples[4 * b + j] = z[j] }
        }
        return samples
    }

    /// 4 `calls` normals in rows of 250 blocks (1 000 normals, a Brunel row's length).
    static func draw(_ calls: Int, seed: UInt64) -> [Double] {
        var lanes = RandomLanes(seed: seed, purpose: .release)
        var samples: [Double] = []
        samples.reserveCapacity(4 * calls)
        var left = calls
        while left > 0 {
            samples += row(&lanes, blocks: min(250, left))
            left -= 250
        }
        return samples
    }

    /// Kolmogorov-Smirnov against Phi, n = 200 000 (seed 17): D below the alpha = 1e-3 critical value
    /// 1.9495 / sqrt(n) (asymptotic Kolmogorov quantile).
    func testKolmogorovSmirnovAgainstStandardNormal() {
        let samples = Self.draw(50_000, seed: 17).sorted()
        let n = Double(samples.count)
        var d = 0.0
        for (i, x) in samples.enumerated() {
            let phi = 0.5 * erfc(-x / 2.0.squareRoot())
            d = max(d, phi - Double(i) / n, Double(i + 1) / n - phi)
        }
        XCTAssertLessThan(d, 1.9495 / n.squareRoot())
    }

    /// Tails: the counts of |x| > 3, |x| > r = 3.654 (the base layer's exact tail method) and |x| > 4
    /// among n = 1 600 000 normals (seed 19) against n erfc(k / sqrt 2), to 5 binomial standard
    /// deviations (false-failure rate ~6e-7 each); and the two signs equally often in each tail.
    func testTailMassesMatchClosedForm() {
        let samples = Self.draw(400_000, seed: 19)
        let n = Double(samples.count)
        for k in [3.0, NormalZiggurat.r, 4.0] {
            let p = erfc(k / 2.0.squareRoot())
            let beyond = samples.filter { abs($0) > k }
            let count = Double(beyond.count)
            XCTAssertEqual(count, n * p, accuracy: 5 * (n * p * (1 - p)).squareRoot(), "beyond \(k) sd")
            let positive = Double(beyond.count(where: { $0 > 0 }))
            XCTAssertEqual(positive, count / 2, accuracy: 5 * (count / 4).squareRoot(), "sign beyond \(k) sd")
        }
    }

    /// Moments that the fast path alone would get wrong (its rejections fall in the wedges): mean 0
    /// and variance 1 to 5 standard errors, n = 400 000 (seed 29; sd of the sample variance sqrt(2/n)).
    func testMeanAndVariance() {
        let samples = Self.draw(100_000, seed: 29)
        let n = Double(samples.count)
        let mean = samples.reduce(0, +) / n
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        XCTAssertEqual(mean, 0, accuracy: 5 / n.squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 5 * (2 / n).squareRoot())
    }

    /// Each lane is its own stream: lane 2's normals do not depend on how often lanes 0, 1 and 3 were
    /// rejected. Two lane sets that share lane 2's state words and differ elsewhere give lane 2 the
    /// same 3 000 normals, in rows of 500, 1, 7 and 1 492 blocks.
    func testLanesAreIndependentStreams() {
        var seeder: UInt64 = 99
        var a = [SIMD4<UInt64>](repeating: .zero, count: 4)
        for w in 0..<4 { for lane in 0..<4 { a[w][lane] = splitMix64(&seeder) } }
        var b = a
        for w in 0..<4 { for lane in [0, 1, 3] { b[w][lane] = splitMix64(&seeder) } }
        var first = RandomLanes(state: (a[0], a[1], a[2], a[3]))
        var second = RandomLanes(state: (b[0], b[1], b[2], b[3]))
        var differ = false
        for blocks in [500, 1, 7, 1_492] {
            let p = Self.row(&first, blocks: blocks), q = Self.row(&second, blocks: blocks)
            for k in 0..<blocks {
                XCTAssertEqual(p[4 * k + 2], q[4 * k + 2])
                differ = differ || p[4 * k] != q[4 * k]
            }
        }
        XCTAssertTrue(differ)
    }

    /// The bound the release rows check exp's domain with: the fast path and the wedges return u x_i
    /// with i >= 1 (x_1 = r, the layers decreasing), below r; the tail returns r + a with
    /// a = -ln(u)/r <= 53 ln 2 / r for its uniforms u >= 2^-53; so no normal exceeds
    /// r + 53 ln 2 / r, which `largestZigguratNormal` is to 1e-14.
    func testLargestNormalBoundsEveryBranch() {
        let x = NormalZiggurat.layers, r = NormalZiggurat.r
        XCTAssertEqual(x[1], r)
        for i in 1..<256 { XCTAssertGreaterThan(x[i], x[i + 1], "layer \(i)") }
        XCTAssertEqual(RandomLanes.largestZigguratNormal, r + 53 * M_LN2 / r, accuracy: 1e-14)
        XCTAssertLessThanOrEqual(Self.draw(50_000, seed: 19).map(abs).max()!, RandomLanes.largestZigguratNormal)
    }

    /// The order of draws, against an independent scalar xoshiro256++ and scalar ziggurat run on each
    /// lane's state: in a row of B blocks, lane j's fast-path words are its next B outputs, and the
    /// draws that failed are then finished in block order from the outputs that follow. Rows of 1, 2,
    /// 300 and 5 000 blocks (seed 31; about 1.2% of draws fail, 0.026% reach the tail); every normal
    /// and the lanes' state after each row are equal.
    func testRowsFinishTheirRejectionsAfterTheirFastDraws() {
        var lanes = RandomLanes(seed: 31, purpose: .release)
        var reference = (0..<4).map { lane in ScalarXoshiro(lanes: lanes, lane: lane) }
        let x = NormalZiggurat.layers, f = NormalZiggurat.densities
        var failures = 0
        for blocks in [1, 2, 300, 5_000] {
            let normals = Self.row(&lanes, blocks: blocks)
            for lane in 0..<4 {
                let words = (0..<blocks).map { _ in reference[lane].next() }
                var expected = [Double](repeating: .nan, count: blocks)
                var failed: [Int] = []
                for (b, w) in words.enumerated() {
                    let i = Int(w & 0xFF)
                    let candidate = (Double(bitPattern: (w >> 12) | 0x3FF0_0000_0000_0000) - 1) * x[i]
                    if candidate < x[i + 1] {
                        expected[b] = w & 0x100 == 0 ? candidate : -candidate
                    } else {
                        failed.append(b)
                    }
                }
                failures += failed.count
                for b in failed { expected[b] = reference[lane].finishZiggurat(word: words[b], x: x, f: f) }
                for b in 0..<blocks {
                    XCTAssertEqual(normals[4 * b + lane].bitPattern, expected[b].bitPattern, "lane \(lane) block \(b) of \(blocks)")
                }
            }
            for lane in 0..<4 { XCTAssertEqual(lanes.next(lane: lane), reference[lane].next()) }
        }
        XCTAssertGreaterThan(failures, 100)
    }
}

/// One lane as an ordinary scalar xoshiro256++ (Blackman & Vigna), with the scalar ziggurat's slow
/// path written from Marsaglia & Tsang, for the order-of-draws test.
private struct ScalarXoshiro {
    var s: (UInt64, UInt64, UInt64, UInt64)

    init(lanes: RandomLanes, lane: Int) {
        var copy = lanes
        var words = [UInt64](repeating: 0, count: 16)
        copy.withWords { for k in 0..<16 { words[k] = $0[k] } }
        s = (words[lane], words[4 + lane], words[8 + lane], words[12 + lane])
    }

    mutating func next() -> UInt64 {
        func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
        let result = rotl(s.0 &+ s.3, 23) &+ s.0
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    mutating func finishZiggurat(word: UInt64, x: UnsafePointer<Double>, f: UnsafePointer<Double>) -> Double {
        var w = word
        while true {
            let i = Int(w & 0xFF)
            let sign: Double = w & 0x100 == 0 ? 1 : -1
            let candidate = (Double(bitPattern: (w >> 12) | 0x3FF0_0000_0000_0000) - 1) * x[i]
            if candidate < x[i + 1] { return sign * candidate }
            if i == 0 {
                let r = NormalZiggurat.r
                while true {
                    let a = -log(Double((next() >> 11) + 1) * 0x1.0p-53) / r
                    let b = -log(Double((next() >> 11) + 1) * 0x1.0p-53)
                    if 2 * b > a * a { return sign * (r + a) }
                }
            }
            let height = Double(next() >> 11) * 0x1.0p-53
            if f[i] + height * (f[i + 1] - f[i]) < exp(-candidate * candidate / 2) { return sign * candidate }
            w = next()
        }
    }
}
