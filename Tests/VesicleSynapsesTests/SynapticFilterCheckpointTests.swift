import VesicleModel
import VesicleSynapses
import XCTest

/// Checkpoints of the single-neuron Synaptic Filter experiment's variants (docs/CHECKPOINT.md,
/// Synaptic Filter experiment; issue 17): the full-covariance filter, the particle-filter reference
/// and the sampling filter. For each, an experiment run to `cut`, encoded, restored into a fresh one
/// made from the same parameters and run on to `end` must be bit for bit the uninterrupted run:
/// the checkpoint bytes of both at `end` (every posterior, covariance entry, particle, importance
/// weight, estimate, metric and generator word) are equal, and so are mu and sigma2.
final class SynapticFilterCheckpointTests: XCTestCase {
    func parameters(seed: UInt64, _ configure: (inout SynapticFilterParameters) -> Void) throws -> SynapticFilterParameters {
        var p = try SynapticFilterParameters(inputCount: 4, rule: .synapticFilter, tau: 10_000)
        p.g0 = 20
        p.beta0 = 0.5
        p.seed = seed
        p.burnIn = 500
        p.metricInterval = 50
        configure(&p)
        return p
    }

    func bytes(_ experiment: SynapticFilterExperiment) throws -> [UInt8] {
        var encoder = CheckpointEncoder()
        try experiment.encodeCheckpoint(into: &encoder)
        return encoder.bytes
    }

    func assertResumesBitForBit(_ p: SynapticFilterParameters, cut: Double, end: Double, _ what: String,
                                line: UInt = #line) throws -> SynapticFilterExperiment {
        var whole = try SynapticFilterExperiment(parameters: p)
        try whole.run(until: end)
        var first = try SynapticFilterExperiment(parameters: p)
        try first.run(until: cut)
        let saved = try bytes(first)
        XCTAssertNotEqual(saved, try bytes(try SynapticFilterExperiment(parameters: p)), "\(what): the state moved by \(cut) ms", line: line)
        var resumed = try SynapticFilterExperiment(parameters: p)
        var decoder = CheckpointDecoder(bytes: saved)
        try resumed.restoreCheckpoint(from: &decoder)
        XCTAssertTrue(decoder.isAtEnd, "\(what): the whole checkpoint is read", line: line)
        XCTAssertEqual(try bytes(resumed), saved, "\(what): restoring gives back the state written", line: line)
        try resumed.run(until: end)
        XCTAssertEqual(resumed.stepIndex, whole.stepIndex, what, line: line)
        XCTAssertEqual(resumed.mu.map(\.bitPattern), whole.mu.map(\.bitPattern), "\(what): mu", line: line)
        XCTAssertEqual(resumed.sigma2.map(\.bitPattern), whole.sigma2.map(\.bitPattern), "\(what): sigma2", line: line)
        XCTAssertEqual(resumed.outputSpikes, whole.outputSpikes, what, line: line)
        XCTAssertTrue(try bytes(resumed) == bytes(whole), "\(what): the whole state at \(end) ms", line: line)
        return whole
    }

    /// The full covariance: the dense Sigma's off-diagonal entries carry the correlations the
    /// diagonal mu and sigma2 do not, so a resume that rebuilt Sigma from them would differ.
    func testFullCovarianceFilterResumesBitForBit() throws {
        for seed in [1, 2] as [UInt64] {
            let p = try parameters(seed: seed) { $0.covariance = .full }
            let whole = try assertResumesBitForBit(p, cut: 1_237 + Double(seed) * 311, end: 3_000, "full covariance, seed \(seed)")
            let sigma = try XCTUnwrap(whole.fullPosterior)
            XCTAssertNotEqual(sigma[0, 1], 0, "correlations were learnt")
        }
    }

    /// The particle reference (256 particles, with the full filter beside it): particles, importance
    /// weights, the resampling count and the particle filter's own generator.
    func testParticleReferenceResumesBitForBit() throws {
        let p = try parameters(seed: 3) {
            $0.covariance = .full
            $0.particleReference = 256
        }
        let whole = try assertResumesBitForBit(p, cut: 1_501, end: 3_000, "particle reference")
        XCTAssertGreaterThan(try XCTUnwrap(whole.particleFilter).resamplings, 0, "resampling (its generator) was exercised")
        XCTAssertGreaterThan(whole.particleMetrics.pairCount, 0)
    }

    /// The sampling filter (tau_s = 100 ms): the held samples, the correlations and the spread.
    func testSamplingFilterResumesBitForBit() throws {
        for seed in [4, 5] as [UInt64] {
            let p = try parameters(seed: seed) { $0.samplingTimeConstant = 100 }
            _ = try assertResumesBitForBit(p, cut: 977 + Double(seed) * 101, end: 3_000, "sampling filter, seed \(seed)")
        }
    }
}
