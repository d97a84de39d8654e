import Foundation
import VesicleModel
import VesicleRandom
import VesicleSynapses
import XCTest

/// `releasePartOfRow` (an MPI rank's own synapses of a part, docs/DESIGN.md, Ranks, Bayesian rows)
/// against `releaseRow` on the whole part, with the selected kernel: the rank's synapses must get
/// the whole part's releases bit for bit (tolerance zero), for every alignment of the rank's run
/// in the blocks of four, after a relaxation from a stored state, under both links and signs, and
/// near exp's vector limit, where a block falls back to libm lane by lane.
final class PartOfRowReleaseTests: XCTestCase {
    func testARanksSynapsesReleaseTheWholePartsBits() throws {
        let cases: [(mean: Double, variance: Double, link: PosteriorLink)] = [
            (-2.34, 0.07448, .log), (1.5, 9.0, .log), (700, 1, .log), (-2.34, 0.2, .identity),
        ]
        var compared = 0
        for c in cases {
            let prior = try OrnsteinUhlenbeckPrior(mean: c.mean, variance: c.variance, tau: 100)
            for whole in [1, 5, 13, 40, 401] {
                let full = try CompactBayesianSynapseTable(
                    rowOffsets: [0, whole], prior: prior, link: c.link, release: .posterior,
                    initialMean: Array(repeating: c.mean + 0.5, count: whole), initialVariance: c.variance / 2)
                let expected = UnsafeMutablePointer<Double>.allocate(capacity: whole)
                let released = UnsafeMutablePointer<Double>.allocate(capacity: whole)
                defer { expected.deallocate(); released.deallocate() }
                var runs: [(skip: Int, count: Int)] = []
                for skip in 0..<min(whole, 9) {
                    for count in [1, 2, 3, 4, 5, 8, whole - skip] where count >= 1 && skip + count <= whole { runs.append((skip, count)) }
                }
                runs.append((whole / 2, whole - whole / 2))
                for (skip, count) in runs {
                    let part = try CompactBayesianSynapseTable(
                        rowOffsets: [0, count], prior: prior, link: c.link, release: .posterior,
                        initialMean: Array(repeating: c.mean + 0.5, count: count), initialVariance: c.variance / 2)
                    XCTAssertTrue(part.rowsShareOnePosterior && full.rowsShareOnePosterior)
                    // Both stored at 12 ms, released at 12 ms (no relaxation) and at 30 ms.
                    full.bringRow(0, to: 12)
                    part.bringRow(0, to: 12)
                    for (k, time) in [12.0, 30.0].enumerated() {
                        for sign in [1.0, -1.0] {
                            var lanes = RandomLanes(seed: 70 + UInt64(k), purpose: .release)
                            let partLanes = lanes
                            full.releaseRow(0, range: 0..<whole, at: time, sign: sign, lanes: &lanes, into: expected)
                            let a = (skip..<(skip + count)).map { expected[$0].bitPattern }
                            // The portable loop and every vector build.
                            for kernel in ReleaseKernel.available {
                                var lanes = partLanes
                                part.releasePartOfRow(0, range: 0..<count, skip: skip, wholeCount: whole, at: time, sign: sign,
                                                      lanes: &lanes, into: released, kernel: kernel)
                                let b = (0..<count).map { released[$0].bitPattern }
                                XCTAssertEqual(a, b, "\(kernel), mean \(c.mean), \(c.link), part \(skip)..<\(skip + count) of \(whole), t \(time), sign \(sign)")
                                compared += count
                            }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
    }
}
