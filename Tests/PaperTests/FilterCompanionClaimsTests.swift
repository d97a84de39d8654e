import Foundation
import VesicleModel
import VesiclePaper
import VesicleSynapses
import XCTest

/// The companion paper's claims (Jegminat & Pfister 2022; docs/MODEL.md §5), through the paper library
/// (`PaperFilterComparison.run`, as `vesicle paper` runs them) on Networks/paper/filter_companion.vsl as
/// written (d = 5, beta_0 = 1, dt = 0.5 ms, tau_ou = 100 s), shortened to 4 tau_ou of which the first is
/// discarded, seed 1. Paired: every learner sees the same inputs, teacher path and output spikes.
final class FilterCompanionClaimsTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("paper-sized runs: use a release build (swift test -c release --filter FilterCompanionClaimsTests)")
        #endif
    }

    private func base() throws -> SynapticFilterParameters {
        var p = try SynapticFilterParameters(spec: PaperNetworks.spec("filter_companion"))
        p.burnIn = p.prior.tau
        return p
    }

    /// Full MSE < diagonal MSE, and full MSE < the gradient rule's best MSE over 7 of the 21 rates (every
    /// third, 0.001 ... 3); the full filter's z^2 lies in [0.7, 1.4] and its ±2 sd fraction in [0.9, 0.99];
    /// the diagonal filter is overconfident (z^2 > 1.4: it ignores the correlation of each weight with
    /// the bias). Measured while writing this test (seed 1): full 0.282 (z^2 1.007, 0.956 within 2 sd),
    /// diagonal 0.344 (z^2 2.20), best gradient 0.302 (eta = 0.095). The issue's "diagonal < best
    /// gradient" does NOT hold here, so it is not asserted (see the report and docs/paper).
    func testFullBeatsDiagonalAndTheBestGradientRateAndIsCalibrated() throws {
        let p = try base()
        XCTAssertEqual(p.covariance, .full)
        XCTAssertEqual(p.inputCount, 5)
        let duration = 4 * p.prior.tau
        let run = { (kind: String, eta: Double?) in
            try PaperFilterComparison.run(.init(inputCount: 5, beta0: 1, kind: kind, eta: eta), base: p, seed: 1,
                                          duration: duration)
        }
        let full = try run("full", nil)
        let diagonal = try run("diagonal", nil)
        let rates = stride(from: 0, to: 21, by: 3).map { PaperFilterComparison.gradientRates[$0] }
        let gradient = try rates.map { try run("gradient", $0).meanSquaredError }
        let best = try XCTUnwrap(gradient.filter(\.isFinite).min())
        let summary = "full \(full.meanSquaredError) (z2 \(full.normalizedSquaredError), 2sd \(full.calibration)), "
            + "diagonal \(diagonal.meanSquaredError) (z2 \(diagonal.normalizedSquaredError)), gradient \(gradient)"
        XCTAssertLessThan(full.meanSquaredError, diagonal.meanSquaredError, summary)
        XCTAssertLessThan(full.meanSquaredError, best, summary)
        XCTAssertGreaterThan(diagonal.normalizedSquaredError, 1.4, summary)
        XCTAssertGreaterThanOrEqual(full.normalizedSquaredError, 0.7, summary)
        XCTAssertLessThanOrEqual(full.normalizedSquaredError, 1.4, summary)
        XCTAssertGreaterThanOrEqual(full.calibration, 0.9, summary)
        XCTAssertLessThanOrEqual(full.calibration, 0.99, summary)
        print(summary)
    }

    /// What the README states instead of the "diagonal < best gradient": at d = 5, beta_0 = 1 the
    /// diagonal filter's MSE is above the gradient rule's best over 7 of the 21 rates, by more than 5 %,
    /// on each of seeds 1-3 (4 tau_ou, the first discarded). Measured while writing this test: ratios
    /// 1.14 (0.344 / 0.302), 1.13 (0.299 / 0.266), 1.11 (0.464 / 0.417); the quick `vesicle paper` run,
    /// 3 tau_ou over all 21 rates, seed 1: 0.36 / 0.29 = 1.25.
    func testDiagonalDoesNotBeatTheBestGradientRate() throws {
        let p = try base()
        let rates = stride(from: 0, to: 21, by: 3).map { PaperFilterComparison.gradientRates[$0] }
        for seed: UInt64 in 1...3 {
            let run = { (kind: String, eta: Double?) in
                try PaperFilterComparison.run(.init(inputCount: 5, beta0: 1, kind: kind, eta: eta), base: p, seed: seed,
                                              duration: 4 * p.prior.tau)
            }
            let diagonal = try run("diagonal", nil).meanSquaredError
            let best = try XCTUnwrap(rates.map { try run("gradient", $0).meanSquaredError }.filter(\.isFinite).min())
            print("seed \(seed): diagonal \(diagonal), best gradient \(best), ratio \(diagonal / best)")
            XCTAssertGreaterThan(diagonal, 1.05 * best, "seed \(seed)")
        }
    }
}
