import Foundation
import VesicleAnalysis
import VesiclePaper
import XCTest

/// The paper's prediction inside a recurrent circuit (Networks/paper/circuit_prediction.vsl; issue 18
/// item 5), through the paper library as `vesicle paper` runs it, at scale 0.01 (772 neurons, 1920 plastic
/// synapses per projection) for 5 s after 5 s of warm-up, seed 1 (about 5 s of test time).
final class CircuitPredictionClaimsTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("network-sized run: use a release build (swift test -c release --filter CircuitPredictionClaimsTests)")
        #endif
    }

    static let settings = PaperSettings(quick: true, networks: PaperNetworks.directory.path)

    /// What holds and what does not (seed 1; the README has the full-mode figures):
    /// - the filter stays in its domain for the whole run (`measure` throws otherwise) and the model's
    ///   rate is matched to the L5E neurons' (median ratio within 0.8-1.25);
    /// - the posterior variance follows the mean field: for each projection the measured log-log slope of
    ///   <s2> against rate is negative, the mean-field slope over the same synapses and window lies in its
    ///   two-way cluster-robust 95 % interval (measured -0.122 [-0.140, -0.104] against -0.112 predicted for
    ///   L2/3E, -0.136 [-0.156, -0.116] against -0.146 for L4E), and the median measured/predicted <s2> is
    ///   within 5 % of 1 (0.98, 0.99);
    /// - the normalised variability <s2>/<m> does **not** follow the prediction: the means fall with rate
    ///   (slope of log <m> negative, interval below 0), because the circuit's neuron answers an input less
    ///   than the filter's model does (README), so the measured s2/m slope lies above the predicted one
    ///   and the predicted slope lies below the measured interval (measured +0.071 [0.038, 0.103] and
    ///   +0.017 [-0.022, 0.056]; m slopes -0.19 and -0.15).
    func testVarianceFollowsTheMeanFieldAndTheMeansDrift() throws {
        let spec = try PaperCircuitPrediction.spec(settings: Self.settings, scale: 0.01, duration: 5_000, warmup: 5_000, seed: 1)
        let m = try PaperCircuitPrediction.measure(spec)
        let ratio = PaperCircuitPrediction.medianModelRateRatio(m)
        print("model rate / L5E rate \(ratio), L5E \(m.rate("L5E")) Hz")
        XCTAssertGreaterThan(ratio, 0.8)
        XCTAssertLessThan(ratio, 1.25)
        for projection in PaperCircuitPrediction.plasticProjections {
            let c = PaperCircuitPrediction.compare(try XCTUnwrap(m.synapses[projection]), measurement: m)
            print("\(projection): \(c.synapses) synapses; s2 slope \(c.varianceSlope) predicted \(c.predictedVarianceSlope); "
                  + "s2/m slope \(c.measured) predicted \(c.predictedSlope); m slope \(c.meanSlope); ratio \(c.medianVarianceRatio); "
                  + "min s2/s2_pr \(c.minimumSigma2OverPrior)")
            XCTAssertGreaterThan(c.synapses, 400, projection)
            XCTAssertGreaterThan(c.minimumSigma2OverPrior, 0, projection)
            XCTAssertLessThan(c.varianceSlope.high, 0, projection)
            XCTAssertGreaterThan(c.predictedVarianceSlope, c.varianceSlope.low, projection)
            XCTAssertLessThan(c.predictedVarianceSlope, c.varianceSlope.high, projection)
            XCTAssertEqual(c.medianVarianceRatio, 1, accuracy: 0.05, projection)
            XCTAssertLessThan(c.meanSlope.high, 0, projection)
            XCTAssertGreaterThan(c.measured.low, c.predictedSlope, projection)
        }
    }
}
