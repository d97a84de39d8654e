import XCTest
@testable import VesicleRandom

final class RandomLanesTests: XCTestCase {
    /// xoshiro256++ as Blackman & Vigna publish it, one 64-bit stream, written here independently.
    struct ScalarXoshiro256PlusPlus {
        var s: [UInt64]
        static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
        mutating func next() -> UInt64 {
            let result = Self.rotl(s[0] &+ s[3], 23) &+ s[0]
            let t = s[1] << 17
            s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
            s[3] = Self.rotl(s[3], 45)
            return result
        }
    }

    /// Every lane is the scalar generator run from that lane's state words (10 000 outputs per lane).
    func testEachLaneIsXoshiro256PlusPlus() {
        var seeder: UInt64 = 42
        var words = [SIMD4<UInt64>](repeating: .zero, count: 4)
        for w in 0..<4 { for lane in 0..<4 { words[w][lane] = splitMix64(&seeder) } }
        var lanes = RandomLanes(state: (words[0], words[1], words[2], words[3]))
        var scalars = (0..<4).map { lane in ScalarXoshiro256PlusPlus(s: (0..<4).map { words[$0][lane] }) }
        for _ in 0..<10_000 {
            let v = lanes.next()
            for lane in 0..<4 { XCTAssertEqual(v[lane], scalars[lane].next()) }
        }
    }

    /// `next(lane:)` advances that lane as `next()` would and leaves the other lanes alone.
    func testSingleLaneStepIsTheSameGenerator() {
        var seeder: UInt64 = 43
        var words = [SIMD4<UInt64>](repeating: .zero, count: 4)
        for w in 0..<4 { for lane in 0..<4 { words[w][lane] = splitMix64(&seeder) } }
        var lanes = RandomLanes(state: (words[0], words[1], words[2], words[3]))
        var scalars = (0..<4).map { lane in ScalarXoshiro256PlusPlus(s: (0..<4).map { words[$0][lane] }) }
        for step in 0..<1_000 {
            let lane = step % 3 == 0 ? 1 : 2
            XCTAssertEqual(lanes.next(lane: lane), scalars[lane].next())
        }
        let v = lanes.next()
        for lane in 0..<4 { XCTAssertEqual(v[lane], scalars[lane].next()) }
    }

    /// The same (seed, purpose, index) gives the same lanes; another index or purpose gives other
    /// bits, and the four lanes of one row differ from each other.
    func testSeedingIsDeterministicAndSeparatesStreams() {
        var a = RandomLanes(seed: 7, purpose: .release, index: 3)
        var b = RandomLanes(seed: 7, purpose: .release, index: 3)
        var c = RandomLanes(seed: 7, purpose: .release, index: 4)
        var d = RandomLanes(seed: 7, purpose: .connectivity, index: 3)
        let (va, vb, vc, vd) = (a.next(), b.next(), c.next(), d.next())
        XCTAssertEqual(va, vb)
        XCTAssertNotEqual(va, vc)
        XCTAssertNotEqual(va, vd)
        XCTAssertEqual(Set((0..<4).map { va[$0] }).count, 4)
    }

    /// Output bits are fair: each of the 64 bit positions is set in half the words, over 4 x 20 000
    /// words (seed 11), to 5 standard errors (false-failure rate ~6e-7 per position).
    func testBitsAreBalanced() {
        var lanes = RandomLanes(seed: 11, purpose: .release)
        var ones = [Int](repeating: 0, count: 64)
        let draws = 20_000
        for _ in 0..<draws {
            let v = lanes.next()
            for lane in 0..<4 { for bit in 0..<64 where v[lane] >> UInt64(bit) & 1 == 1 { ones[bit] += 1 } }
        }
        let n = Double(4 * draws)
        for bit in 0..<64 { XCTAssertEqual(Double(ones[bit]), n / 2, accuracy: 5 * (n / 4).squareRoot(), "bit \(bit)") }
    }
}
