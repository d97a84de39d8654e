import Foundation
import VesicleModel
import VesicleSynapses
import XCTest

/// docs/MODEL.md §3: with the identity link, the supervised rule with the exact sigma_delta^2 followed by
/// the prior relaxation is, step for step, a scalar Kalman filter (update, then predict).
final class KalmanFilterTests: XCTestCase {
    func testSupervisedIdentityLinkIsAScalarKalmanFilter() throws {
        let (priorMean, priorVariance, tau) = (0.5, 0.3, 2_000.0)
        let (sigma0, bin) = (0.7, 10.0)
        let ou = try OrnsteinUhlenbeckPrior(mean: priorMean, variance: priorVariance, tau: tau)
        // 50 Hz in 10-ms bins: the input spikes in half the bins, so lazy catch-up over skipped bins is exercised.
        var p = FeedbackExperimentParameters(inputCount: 1, rate: .constant(50), prior: ou, teacher: ou,
                                             rule: .supervised, release: .mean)
        p.link = .identity
        p.noiseSD = sigma0
        p.bin = bin
        p.sigmaDelta = .exact
        p.initialMean = .constant(0.2)
        p.initialVariance = 0.25
        p.seed = 31
        // Traced every 7 bins, so between traces the synapse is brought forward lazily over runs of
        // skipped bins, while the filter below relaxes bin by bin.
        p.tracedSynapses = [0]
        p.traceInterval = 7 * bin
        var experiment = try FeedbackExperiment(parameters: p)
        nonisolated(unsafe) var records: [FeedbackBinRecord] = []
        experiment.binObserver = { records.append($0) }
        try experiment.run(bins: 2_002)

        XCTAssertEqual(records.count, 2_002)
        XCTAssertEqual(experiment.traces.count, 286)
        let spikingBins = records.filter { !$0.spikingInputs.isEmpty }.count
        XCTAssertTrue((800...1_200).contains(spikingBins), "\(spikingBins) spiking bins")
        var traces = experiment.traces[...]
        var compared = 0

        // The filter, written from the textbook: observation y = lambda + noise, H = 1 when the input spiked.
        var mean = 0.2, variance = 0.25
        let a = exp(-bin / tau)
        for record in records {
            if !record.spikingInputs.isEmpty {
                let innovationVariance = variance + sigma0 * sigma0
                XCTAssertEqual(record.sigmaDelta2, innovationVariance, accuracy: 1e-9)
                let innovation = record.delta  // y - H mean: the released PSP is the mean
                XCTAssertEqual(record.released[0], mean, accuracy: 1e-9)
                let gain = variance / innovationVariance
                mean += gain * innovation
                variance *= 1 - gain
            }
            mean = priorMean + a * (mean - priorMean)
            variance = a * a * variance + (1 - a * a) * priorVariance
            if let trace = traces.first, trace.time == record.time {
                XCTAssertEqual(trace.mu, mean, accuracy: 1e-9, "t = \(trace.time)")
                XCTAssertEqual(trace.sigma2, variance, accuracy: 1e-9, "t = \(trace.time)")
                traces = traces.dropFirst()
                compared += 1
            }
        }
        XCTAssertEqual(compared, 286)
    }
}
