import Foundation
import XCTest
@testable import VesicleRandom

/// The counter-based generators (issue 13 item 3): the library is the one we think it is (Random123's
/// own known answers), the draws have the right distributions, and draws under neighbouring keys are
/// uncorrelated.
final class CounterRandomTests: XCTestCase {
    /// Known-answer vectors of Random123's source distribution, file `tests/kat_vectors`
    /// (github.com/DEShawResearch/random123, release 1.14; Debian's librandom123-dev ships the headers
    /// only): the three "philox4x32 10" lines, columns counter (4 words), key (2 words), expected.
    func testPhiloxKnownAnswers() {
        let vectors: [(Philox4x32.Block, (UInt32, UInt32), Philox4x32.Block)] = [
            ((0, 0, 0, 0), (0, 0), (0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
            ((.max, .max, .max, .max), (.max, .max), (0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
            ((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), (0xa409_3822, 0x299f_31d0),
             (0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
        ]
        for (counter, key, expected) in vectors {
            let out = Philox4x32.block(counter: counter, key: key)
            XCTAssertEqual([out.0, out.1, out.2, out.3], [expected.0, expected.1, expected.2, expected.3])
        }
    }

    /// The same file's three "threefry4x32 20" lines: counter (4 words), key (4 words), expected.
    func testThreefryKnownAnswers() {
        let vectors: [(Threefry4x32.Block, Threefry4x32.Block, Threefry4x32.Block)] = [
            ((0, 0, 0, 0), (0, 0, 0, 0), (0x9c6c_a96a, 0xe17e_ae66, 0xfc10_ecd4, 0x5256_a7d8)),
            ((.max, .max, .max, .max), (.max, .max, .max, .max), (0x2a88_1696, 0x5701_2287, 0xf6c7_446e, 0xa16a_6732)),
            ((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), (0xa409_3822, 0x299f_31d0, 0x082e_fa98, 0xec4e_6c89),
             (0x59cd_1dbb, 0xb887_9579, 0x86b5_d00c, 0xac8b_6d84)),
        ]
        for (counter, key, expected) in vectors {
            let out = Threefry4x32.block(counter: counter, key: key)
            XCTAssertEqual([out.0, out.1, out.2, out.3], [expected.0, expected.1, expected.2, expected.3])
        }
    }

    /// The documented layout: key = seed, counter = (block, event, index, purpose << 24 | entity), and
    /// a stream's words are its blocks in order, high word first. The engine will rely on it.
    func testKeyLayout() {
        let key = CounterKey(seed: 0x0123_4567_89AB_CDEF, purpose: .release, entity: 0x00AB_CDEF, index: 77)
        let direct = Philox4x32.block(counter: (1, 9, 77, 5 << 24 | 0x00AB_CDEF), key: (0x89AB_CDEF, 0x0123_4567))
        XCTAssertEqual(key.block(event: 9, block: 1).0, direct.0)
        var stream = key.stream(event: 9)
        _ = stream.next(); _ = stream.next()
        XCTAssertEqual(stream.next(), UInt64(direct.0) << 32 | UInt64(direct.1))
        XCTAssertEqual(stream.next(), UInt64(direct.2) << 32 | UInt64(direct.3))
        XCTAssertEqual(stream.blocksUsed, 2)
    }

    /// Kolmogorov-Smirnov statistic of sorted samples against a CDF.
    func ks(_ samples: [Double], _ cdf: (Double) -> Double) -> Double {
        let x = samples.sorted(), n = Double(x.count)
        var d = 0.0
        for (i, v) in x.enumerated() {
            let f = cdf(v)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        return d * n.squareRoot()
    }

    /// KS at alpha = 0.01 (critical sqrt(n) D = 1.628), n = 200 000, seed 2026: uniforms one per event
    /// (the engine's pattern: a fresh counter per event) and many from one event's stream; normals and
    /// exponentials one per event; the normal's tail beyond the ziggurat's r against its mass (5 sigma).
    func testKolmogorovSmirnov() {
        let n = 200_000, critical = 1.628
        let key = CounterKey(seed: 2026, purpose: .externalInput, entity: 3, index: 11)
        let perEvent = (0..<n).map { key.uniforms(event: UInt32($0)).0 }
        XCTAssertLessThan(ks(perEvent) { $0 }, critical, "uniform, one per event")
        let second = (0..<n).map { key.uniforms(event: UInt32($0)).1 }
        XCTAssertLessThan(ks(second) { $0 }, critical, "uniform, second word of the block")
        var stream = key.stream(event: 0)
        let sequential = (0..<n).map { _ in stream.uniform() }
        XCTAssertLessThan(ks(sequential) { $0 }, critical, "uniform, one event's stream")
        let normals = (0..<n).map { e -> Double in var s = key.stream(event: UInt32(e)); return s.normal() }
        XCTAssertLessThan(ks(normals) { 0.5 * erfc(-$0 / 2.0.squareRoot()) }, critical, "normal")
        let tail = normals.filter { abs($0) > NormalZiggurat.r }.count
        let expected = Double(n) * erfc(NormalZiggurat.r / 2.0.squareRoot())
        XCTAssertEqual(Double(tail), expected, accuracy: 5 * expected.squareRoot())
        let exponentials = (0..<n).map { e -> Double in var s = key.stream(event: UInt32(e)); return s.exponential() }
        XCTAssertLessThan(ks(exponentials) { 1 - exp(-$0) }, critical, "exponential")
    }

    /// Draws under keys that differ in one component by one (seed, purpose, entity, index, event):
    /// Pearson correlation of n = 200 000 paired uniforms within 4.5/sqrt(n) (under independence
    /// sqrt(n) r is standard normal: a false alarm has probability 7e-6 per pair), and the uniforms'
    /// bits agree in about half the positions (|fraction - 1/2| < 4.5 sd of a binomial over 53 n bits).
    func testNeighbouringKeysAreIndependent() {
        let n = 200_000
        let base = CounterKey(seed: 99, purpose: .release, entity: 4, index: 1000)
        let neighbours: [(String, (Int) -> (Double, Double))] = [
            ("index", { e in (base.uniforms(event: UInt32(e)).0, base.with(index: 1001).uniforms(event: UInt32(e)).0) }),
            ("event", { e in (base.uniforms(event: UInt32(e)).0, base.uniforms(event: UInt32(e + 1)).0) }),
            ("seed", { e in (base.uniforms(event: UInt32(e)).0,
                             CounterKey(seed: 100, purpose: .release, entity: 4, index: 1000).uniforms(event: UInt32(e)).0) }),
            ("entity", { e in (base.uniforms(event: UInt32(e)).0,
                               CounterKey(seed: 99, purpose: .release, entity: 5, index: 1000).uniforms(event: UInt32(e)).0) }),
            ("purpose", { e in (base.uniforms(event: UInt32(e)).0,
                                CounterKey(seed: 99, purpose: .teacher, entity: 4, index: 1000).uniforms(event: UInt32(e)).0) }),
            ("block", { e in (base.uniforms(event: UInt32(e)).0, CounterStream.unit({ let b = base.block(event: UInt32(e), block: 1); return UInt64(b.0) << 32 | UInt64(b.1) }())) }),
        ]
        let bound = 4.5 / Double(n).squareRoot()
        for (name, pair) in neighbours {
            var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
            var agreeing = 0
            for e in 0..<n {
                let (x, y) = pair(e)
                sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y
                let bx = UInt64(x * 0x1.0p53), by = UInt64(y * 0x1.0p53)
                agreeing += 53 - (bx ^ by).nonzeroBitCount
            }
            let m = Double(n)
            let r = (sxy / m - sx / m * sy / m) / ((sxx / m - sx * sx / (m * m)) * (syy / m - sy * sy / (m * m))).squareRoot()
            XCTAssertLessThan(abs(r), bound, "correlation across neighbouring \(name)")
            let bits = 53 * m
            XCTAssertEqual(Double(agreeing) / bits, 0.5, accuracy: 4.5 * 0.5 / bits.squareRoot(), "bit agreement across \(name)")
        }
    }

    /// A draw depends on its key alone: computed in reverse order, or after other draws, it is the same.
    func testDrawsDoNotDependOnHistory() {
        let key = CounterKey(seed: 5, purpose: .poissonSource, entity: 1, index: 2)
        let forward = (0..<1000).map { key.uniforms(event: UInt32($0)).0 }
        var other = CounterKey(seed: 5, purpose: .poissonSource, entity: 1, index: 3).stream(event: 0)
        var reverse = [Double](repeating: 0, count: 1000)
        for e in (0..<1000).reversed() {
            _ = other.normal()
            reverse[e] = key.uniforms(event: UInt32(e)).0
        }
        XCTAssertEqual(forward, reverse)
        XCTAssertEqual(Set(forward).count, 1000)
    }
}
