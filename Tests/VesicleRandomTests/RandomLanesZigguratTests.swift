import Foundation
import XCTest
@testable import VesicleRandom

final class RandomLanesZigguratTests: XCTestCase {
    static func draw(_ calls: Int, seed: UInt64) -> [Double] {
        var lanes = RandomLanes(seed: seed, purpose: .release)
        let x = NormalZiggurat.layers, f = NormalZiggurat.densities
        var samples: [Double] = []
        samples.reserveCapacity(4 * calls)
        for _ in 0..<calls {
            let z = lanes.nextZigguratNormals(layers: x, densities: f)
            for j in 0..<4 { samples.append(z[j]) }
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
    /// same 2 000 normals.
    func testLanesAreIndependentStreams() {
        var seeder: UInt64 = 99
        var a = [SIMD4<UInt64>](repeating: .zero, count: 4)
        for w in 0..<4 { for lane in 0..<4 { a[w][lane] = splitMix64(&seeder) } }
        var b = a
        for w in 0..<4 { for lane in [0, 1, 3] { b[w][lane] = splitMix64(&seeder) } }
        var first = RandomLanes(state: (a[0], a[1], a[2], a[3]))
        var second = RandomLanes(state: (b[0], b[1], b[2], b[3]))
        let x = NormalZiggurat.layers, f = NormalZiggurat.densities
        var differ = false
        for _ in 0..<2_000 {
            let p = first.nextZigguratNormals(layers: x, densities: f)
            let q = second.nextZigguratNormals(layers: x, densities: f)
            XCTAssertEqual(p[2], q[2])
            differ = differ || p[0] != q[0]
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
}
