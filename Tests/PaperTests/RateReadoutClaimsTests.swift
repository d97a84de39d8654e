import Foundation
import VesiclePaper
import XCTest

/// The Nature paper's Fig. 4 claim through the paper library (PaperRateReadout.run), on
/// Networks/paper/rate_readout.rates as written (N = 500, p = 0.1, g = 1.5, tau = 10 steps, 1000 trials),
/// for network 0 and targets 0 and 1 of seed 1: at 1000 trials the Bayesian rule's test MSE is below the
/// delta rule's at its best rate of the file's 9, on each target; and both learnt (MSE < 0.5, chance 1).
final class RateReadoutClaimsTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("paper-sized runs: use a release build")
        #endif
    }

    func testBayesianReadoutBeatsTheDeltaRulesBestRateAt1000Trials() throws {
        let s = try RateReadoutSettings(fileAt: PaperNetworks.directory.appendingPathComponent("rate_readout.rates").path)
        XCTAssertEqual(s.units, 500)
        XCTAssertEqual(s.trials, 1000)
        let nd = s.deltaRates.count
        let bayes = nd + (try XCTUnwrap(s.initialVarianceFactors.firstIndex(of: 1)))
        for target in 0..<2 {
            let r = PaperRateReadout.run(s, gain: s.gain, network: 0, target: target)
            XCTAssertEqual(r[bayes].count, 10)
            let bestDelta = (0..<nd).map { r[$0].last! }.min()!
            let message = "target \(target): Bayesian \(r[bayes].last!), delta \((0..<nd).map { r[$0].last! })"
            XCTAssertLessThan(r[bayes].last!, bestDelta, message)
            XCTAssertLessThan(r[bayes].last!, 0.5, message)
            print(message)
        }
    }

    /// A misspelt setting is an error with file:line:column, the line, a caret and a suggestion.
    func testAMisspeltSettingIsNamedWithItsPlace() {
        XCTAssertThrowsError(try RateReadoutSettings(text: "units = 500\n  gian = 1.5\n", path: "x.rates")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("x.rates:2:3: error: unknown setting 'gian'"), text)
            XCTAssertTrue(text.contains("did you mean 'gain'?"), text)
            XCTAssertTrue(text.contains("  gian = 1.5\n  ^"), text)
        }
    }
}
