import XCTest
@testable import VesicleAnalysis

final class CorrelogramTests: XCTestCase {
    /// Seeded uniform spike times in [0, duration) (SplitMix64-style mixing, written here).
    private func spikes(count: Int, duration: Double, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1p-53 * duration
        }.sorted()
    }

    /// The definition, pair by pair: lag = floor(t_j / b) - floor(t_i / b).
    private func bruteForce(_ a: [Double], _ b: [Double], binWidth: Double, maxLag: Int, excludeSelf: Bool) -> [Int] {
        var counts = Array(repeating: 0, count: 2 * maxLag + 1)
        for (i, ti) in a.enumerated() {
            for (j, tj) in b.enumerated() {
                if excludeSelf && i == j { continue }
                let lag = Int(tj / binWidth) - Int(ti / binWidth)
                if abs(lag) <= maxLag { counts[lag + maxLag] += 1 }
            }
        }
        return counts
    }

    /// FFT counts equal the brute-force pair counts exactly (FFTCorrelationTests checks that the
    /// unrounded FFT values lie within 1e-6 of integers, so rounding cannot pick a wrong count).
    func testCrossCorrelogramEqualsBruteForcePairCount() throws {
        for seed in UInt64(1)...3 {
            let a = spikes(count: 60, duration: 500, seed: seed)
            let b = spikes(count: 45, duration: 480, seed: seed + 100)
            for (binWidth, maxLag) in [(1.0, 20), (2.5, 50), (7.0, 3)] {
                let correlogram = try Correlogram.cross(reference: a, target: b, binWidth: binWidth, maxLag: maxLag)
                XCTAssertEqual(correlogram.counts, bruteForce(a, b, binWidth: binWidth, maxLag: maxLag, excludeSelf: false),
                               "seed \(seed) bin \(binWidth)")
            }
        }
    }

    func testAutoCorrelogramExcludesOnlySelfPairs() throws {
        let a = spikes(count: 80, duration: 300, seed: 4) + [10.2, 10.7]  // two spikes sharing a 1 ms bin
        let correlogram = try Correlogram.auto(a, binWidth: 1, maxLag: 30)
        XCTAssertEqual(correlogram.counts, bruteForce(a, a, binWidth: 1, maxLag: 30, excludeSelf: true))
        for lag in 1...30 { XCTAssertEqual(correlogram.count(atLag: lag), correlogram.count(atLag: -lag), "symmetric") }
    }

    /// Lags longer than the recording: every lag is counted without circular wrap-around.
    func testMaxLagBeyondTheRecording() throws {
        let a = [0.5, 3.2], b = [1.1, 4.9]
        let correlogram = try Correlogram.cross(reference: a, target: b, binWidth: 1, maxLag: 12)
        XCTAssertEqual(correlogram.counts, bruteForce(a, b, binWidth: 1, maxLag: 12, excludeSelf: false))
        XCTAssertEqual(correlogram.counts.reduce(0, +), 4)
    }

    func testEmptyTrainsGiveZeroCounts() throws {
        let correlogram = try Correlogram.cross(reference: [], target: [1, 2, 3], binWidth: 1, maxLag: 5)
        XCTAssertEqual(correlogram.counts, Array(repeating: 0, count: 11))
    }

    func testBadInputThrows() {
        XCTAssertThrowsError(try Correlogram.cross(reference: [1], target: [2], binWidth: 0, maxLag: 3))
        XCTAssertThrowsError(try Correlogram.cross(reference: [-1], target: [2], binWidth: 1, maxLag: 3))
        XCTAssertThrowsError(try Correlogram.cross(reference: [1], target: [2], binWidth: 1, maxLag: -1))
        XCTAssertThrowsError(try Correlogram.cross(reference: [1e30], target: [2], binWidth: 1, maxLag: 3))
        XCTAssertThrowsError(try Correlogram.cross(reference: [1], target: [2], binWidth: 1, maxLag: Int.max))
    }
}
