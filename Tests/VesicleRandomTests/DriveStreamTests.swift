import Foundation
import XCTest
import VesicleModel
@testable import VesicleRandom

/// The counter-keyed drive streams (issue 13 item 3, `DriveStream`): arrival n of a train depends only
/// on (seed, purpose, entity, index, n), the intervals are exponential, neighbouring trains are
/// uncorrelated, and a checkpointed stream resumes where it stopped.
final class DriveStreamTests: XCTestCase {
    let seed: UInt64 = 2026

    /// Kolmogorov-Smirnov statistic sqrt(n) D of samples against a CDF.
    func ks(_ samples: [Double], _ cdf: (Double) -> Double) -> Double {
        let x = samples.sorted(), n = Double(x.count)
        var d = 0.0
        for (i, v) in x.enumerated() {
            let f = cdf(v)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        return d * n.squareRoot()
    }

    /// The documented layout: at the first arrival of block k the generator's state is Philox4x32-10
    /// of (k, k >> 32, index, purpose << 24 | entity) under the seed, high words first, and the first
    /// word is xoroshiro128++'s output for that state, rotl(s0 + s1, 17) + s0 (Blackman & Vigna's
    /// definition, written out here).
    func testBlockKeyLayout() {
        var stream = DriveStream(purpose: .externalInput, entity: 3, index: 77)
        for k: UInt64 in [0, 1] {
            stream.beginArrival(seed: seed)
            let b = Philox4x32.block(counter: (UInt32(k), 0, 77, 3 << 24 | 3), key: (UInt32(seed), 0))
            let s0 = UInt64(b.0) << 32 | UInt64(b.1), s1 = UInt64(b.2) << 32 | UInt64(b.3)
            let sum = s0 &+ s1
            XCTAssertEqual(stream.next(), (sum << 17 | sum >> 47) &+ s0, "block \(k)")
            for _ in 1..<DriveStream.blockSize { stream.beginArrival(seed: seed) }
        }
        XCTAssertEqual(stream.arrivals, 2 * DriveStream.blockSize)
    }

    /// History-freedom: the first word of arrivals 0, 1024, 2048, ... (a block's first) is the same
    /// whether the earlier arrivals took one word each or a varying number (as rejections do).
    func testBlocksDoNotDependOnEarlierDraws() {
        var plain = DriveStream(purpose: .externalInput, entity: 0, index: 5)
        var greedy = plain
        var words = (0..<4).map { _ in [UInt64]() }
        for n in 0..<(4 * Int(DriveStream.blockSize)) {
            plain.beginArrival(seed: seed)
            greedy.beginArrival(seed: seed)
            let a = plain.next()
            let b = greedy.next()
            for _ in 0..<(n % 5) { _ = greedy.next() }
            if n % Int(DriveStream.blockSize) == 0 { words[n / Int(DriveStream.blockSize)] = [a, b] }
        }
        for (k, pair) in words.enumerated() { XCTAssertEqual(pair[0], pair[1], "block \(k)") }
    }

    /// KS at alpha = 1e-3 (critical sqrt(n) D = 1.949), seed 2026: n = 200 000 inter-arrival times,
    /// 40 trains of 5000 arrivals each (so 5 blocks per train), against 1 - e^{-x}; and the fused
    /// drive's Lomax steps through alpha log1p(Y), which is a unit exponential, shape 80.
    func testIntervalsAreExponential() throws {
        var intervals: [Double] = []
        var throughLomax: [Double] = []
        let ziggurat = try XCTUnwrap(LomaxZiggurat(shape: 80))
        defer { withExtendedLifetime(ziggurat) {} }
        let z = ziggurat.tables
        for i in 0..<40 {
            var a = DriveStream(purpose: .externalInput, entity: 1, index: UInt32(i))
            var b = DriveStream(purpose: .poissonSource, entity: 1, index: UInt32(i))
            for _ in 0..<5000 {
                intervals.append(a.interval(meanInterval: 1, seed: seed))
                b.beginArrival(seed: seed)
                throughLomax.append(80 * log1p(b.lomax(z)))
            }
        }
        let cdf = { (x: Double) in x <= 0 ? 0 : -expm1(-x) }
        XCTAssertLessThan(ks(intervals, cdf), 1.949)
        XCTAssertLessThan(ks(throughLomax, cdf), 1.949)
        // The mean, to 5 standard errors (the sd of a unit exponential is 1).
        let mean = intervals.reduce(0, +) / Double(intervals.count)
        XCTAssertEqual(mean, 1, accuracy: 5 / Double(intervals.count).squareRoot())
    }

    /// Neighbouring trains (index i and i + 1, and entities e and e + 1) are uncorrelated: Pearson's r
    /// of their n-th uniforms over 20 000 pairs (arrivals across blocks) within 5 / sqrt(n), seed 2026.
    func testNeighbouringTrainsAreUncorrelated() {
        func uniforms(_ entity: UInt32, _ index: UInt32) -> [Double] {
            var s = DriveStream(purpose: .externalInput, entity: entity, index: index)
            return (0..<2000).map { _ in s.beginArrival(seed: seed); return s.uniform() }
        }
        var x: [Double] = [], y: [Double] = [], z: [Double] = []
        for i: UInt32 in 0..<10 {
            x += uniforms(0, i); y += uniforms(0, i + 1); z += uniforms(1, i)
        }
        func r(_ a: [Double], _ b: [Double]) -> Double {
            let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for (u, v) in zip(a, b) { sab += (u - ma) * (v - mb); saa += (u - ma) * (u - ma); sbb += (v - mb) * (v - mb) }
            return sab / (saa * sbb).squareRoot()
        }
        let bound = 5 / Double(x.count).squareRoot()
        XCTAssertLessThan(abs(r(x, y)), bound)
        XCTAssertLessThan(abs(r(x, z)), bound)
    }

    /// Arrival n is the same drawn in one pass or resumed from a checkpoint taken at arrival m, for m
    /// inside a block, at a block boundary and at 0; the checkpoint holds 3 words (24 bytes).
    func testResumeFromCheckpointEqualsOnePass() throws {
        let fresh = DriveStream(purpose: .externalInput, entity: 2, index: 9)
        var onePass = fresh
        let all = (0..<3000).map { _ in onePass.interval(meanInterval: 1, seed: seed) }
        for m in [0, 700, Int(DriveStream.blockSize), 2047] {
            var first = fresh
            for _ in 0..<m { _ = first.interval(meanInterval: 1, seed: seed) }
            var encoder = CheckpointEncoder()
            first.encode(into: &encoder)
            XCTAssertEqual(encoder.bytes.count, 24)
            var decoder = CheckpointDecoder(bytes: encoder.bytes)
            var resumed = try fresh.restored(from: &decoder)
            XCTAssertEqual(resumed.arrivals, UInt64(m))
            let rest = (m..<3000).map { _ in resumed.interval(meanInterval: 1, seed: seed) }
            XCTAssertEqual(rest, Array(all[m...]), "checkpoint at arrival \(m)")
        }
    }

    /// A corrupted checkpoint (all-zero generator inside a block) is refused with a reason.
    func testCorruptedCheckpointIsRefused() {
        var encoder = CheckpointEncoder()
        encoder.u64(5); encoder.u64(0); encoder.u64(0)
        var decoder = CheckpointDecoder(bytes: encoder.bytes)
        XCTAssertThrowsError(try DriveStream(purpose: .externalInput, entity: 0, index: 0).restored(from: &decoder))
    }
}
