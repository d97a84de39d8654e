import Foundation
import XCTest
@testable import VesicleEngine

/// The quiet horizon's bound and the cheap test after an input (`LIFExpPopulation.keepHorizon`,
/// docs/MODEL.md §2) against the independent Float80 trajectory (`ExponentialCurrentReference`):
/// the horizon's bound never lies below the true maximum, and an excitatory jump the headroom is said
/// to cover never lets the trajectory after it reach theta - touchTolerance.
extension LIFExpCrossingTests {
    /// 10^6 random states and intervals (seed 20261203, `randomCase`), one in ten made grazing (theta
    /// put at the Float80 maximum plus 1e-9 ... 1e-14 mV or 0 above it, so the headroom is tiny).
    /// Where the bound `upperBound(before:)` lies below the level, the Float80 maximum must too (within
    /// the case's rounding slack), and a jump at a random time in the interval whose reach is a random
    /// 0.5-1.01 of the headroom is applied: where the rule keeps the horizon, the Float80 maximum of the
    /// trajectory after the jump, on the rest of the interval, must stay below the level (same slack).
    func testKeptHorizonNeverHidesACrossing() {
        var r = TestRandom(state: 20_261_203)
        let offsets = [1e-9, 1e-11, 2e-12, 1e-12, 5e-13, 1e-13, 1e-14, 0]
        var bounded = 0, kept = 0, keptGrazing = 0, failures = 0
        for n in 0..<1_000_000 {
            var k = randomCase(&r)
            let isGrazing = n % 10 == 0
            if isGrazing {
                let top = Double(k.reference.maximum(within: k.h).value)
                k.threshold = top + eps + offsets[Int(r.next() % UInt64(offsets.count))]
                if k.trajectory.v0 >= k.threshold - eps { continue }
            }
            let t = k.trajectory
            let end = t.sample(at: k.h)
            let level = k.threshold - eps
            let upper = t.upperBound(before: end)
            // The bound is one `mayCross` decides by: it must agree with it.
            XCTAssertEqual(upper >= level, t.mayCross(threshold: k.threshold, before: end), "case \(n)")
            guard upper < level else { continue }
            bounded += 1
            if isGrazing || !clearlyBelow(k) {
                let top = Double(k.reference.maximum(within: k.h).value)
                if top >= upper + slack(k) {
                    failures += 1
                    if failures < 5 { XCTFail("bound \(upper) below the maximum \(top), case \(n)") }
                }
            }
            // A jump of w pA at t1, its reach w (H_e peak / C) a fraction of the headroom.
            let kernel = SynapticCurrentKernel(tauM: t.tauM, tauX: t.tauE)
            let reach = kernel.peakValue / t.capacitance * (1 + 1e-9)
            let headroom = level - upper
            let w = r.uniform(0.5, 1.01) * headroom / reach
            guard headroom - (w * reach + LIFExpPopulation.roundingAllowance) > 0 else { continue }
            kept += 1
            if isGrazing { keptGrazing += 1 }
            let t1 = r.uniform(0, k.h)
            typealias F = Float80
            let v1 = Double(k.reference.potential(F(t1)))
            let iE1 = Double(F(t.iE0) * expl(-F(t1) / F(t.tauE))) + w
            let iI1 = Double(F(t.iI0) * expl(-F(t1) / F(t.tauI)))
            let after = ExponentialCurrentReference(asymptote: t.asymptote, v0: v1, tauM: t.tauM, capacitance: t.capacitance,
                                                    iE0: iE1, tauE: t.tauE, iI0: iI1, tauI: t.tauI)
            let top = Double(after.maximum(within: k.h - t1).value)
            if top >= level + slack(k) {
                failures += 1
                if failures < 5 { XCTFail("kept horizon hid a crossing: max \(top), level \(level), case \(n)") }
            }
        }
        XCTAssertEqual(failures, 0)
        // Both answers and the grazing cases must be exercised.
        XCTAssertGreaterThan(bounded, 300_000)
        XCTAssertGreaterThan(kept, 100_000)
        XCTAssertGreaterThan(keptGrazing, 2_000)
        print("kept horizon: \(bounded) of 10^6 bounded below the level, \(kept) jumps kept (\(keptGrazing) grazing)")
    }
}

/// phi(z) = expm1(z)/z, the series every `lif_exp` sample evaluates (`SynapticCurrentKernel.phiSeries`,
/// degree 8 for |z| <= 1/16, 15 up to 1/2), against Float80 expm1: 2e5 arguments, half log-uniform in
/// 1e-12 ... 1/2 of either sign (seed 77), half on a uniform grid of [-1/2, 1/2] that crosses the switch
/// at 1/16; within 2 ulp of the Float80 value rounded to double.
final class PhiSeriesTests: XCTestCase {
    func testPhiSeriesAgreesWithFloat80() {
        var r = TestRandom(state: 77)
        var worst = 0.0
        for n in 0..<200_000 {
            let z = n % 2 == 0 ? r.logUniform(1e-12, 0.5) * (r.uniform() < 0.5 ? -1 : 1) : -0.5 + Double(n) / 200_000
            let exact = Double(z == 0 ? Float80(1) : expm1l(Float80(z)) / Float80(z))
            let ulps = abs(SynapticCurrentKernel.phiSeries(z) - exact) / exact.ulp
            worst = max(worst, ulps)
            if ulps > 2 { XCTFail("phi(\(z)): \(SynapticCurrentKernel.phiSeries(z)) against \(exact)"); break }
        }
        print("phi series: worst \(worst) ulp")
    }
}
