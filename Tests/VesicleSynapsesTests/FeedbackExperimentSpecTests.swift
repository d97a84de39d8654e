import VesicleModel
import VesicleSynapses
import XCTest

final class FeedbackExperimentSpecTests: XCTestCase {
    private func trackingSpec(rule: LearningRule = .supervised, release: ReleaseMode = .mean) -> NetworkSpec {
        var synapse = BayesianSynapseSpec()
        synapse.rule = rule
        synapse.release = release
        synapse.priorTau = 50_000
        synapse.assumedReleaseRatio = 0.0877
        synapse.sigmaDelta = .exact
        var teacher = TeacherSpec()
        teacher.tau = 50_000
        return NetworkSpec(
            simulation: SimulationSpec(duration: 100_000, warmup: 20_000, seed: 5),
            populations: [
                PopulationSpec(name: "inputs", size: 30,
                               model: .poissonSource(rate: .lognormal(mu: 0, sigma: 1.1513, sign: .positive),
                                                     refractoryPeriod: 0)),
                PopulationSpec(name: "neuron", size: 1, model: .linearReadout(LinearReadoutParameters(noiseSD: 2))),
            ],
            synapseTypes: [SynapseTypeSpec(name: "bayes", kind: .bayesian(synapse))],
            projections: [
                ProjectionSpec(name: "input_to_neuron", source: PopulationSlice(population: "inputs"),
                               target: PopulationSlice(population: "neuron"), rule: .allToAll,
                               synapseType: "bayes", weight: .constant(1), delay: .constant(1)),
            ],
            feedbacks: [FeedbackSpec(target: "neuron", teacher: teacher)],
            recordings: [RecordingSpec(kind: .posterior(projection: "input_to_neuron", interval: 500, limit: 2))]
        )
    }

    /// The spec's settings reach the experiment; the planned run is warm-up + duration; traces follow
    /// the posterior recording (2 synapses every 500 ms).
    func testBuildsAndRunsFromNetworkSpec() throws {
        var experiment = try FeedbackExperiment(spec: trackingSpec())
        XCTAssertEqual(experiment.parameters.inputCount, 30)
        XCTAssertEqual(experiment.parameters.prior.tau, 50_000)
        XCTAssertEqual(experiment.parameters.assumedReleaseRatio, 0.0877)
        XCTAssertEqual(experiment.plannedBins, 12_000)
        try experiment.runPlanned()
        XCTAssertEqual(experiment.time, 120_000)
        XCTAssertEqual(experiment.traces.count, 2 * 240)
        XCTAssertEqual(experiment.metrics.pairCount, 30 * 10)
    }

    /// The same spec and seed give the same run, draw for draw.
    func testSameSeedSameRun() throws {
        var a = try FeedbackExperiment(spec: trackingSpec())
        var b = try FeedbackExperiment(spec: trackingSpec())
        try a.run(bins: 3_000)
        try b.run(bins: 3_000)
        XCTAssertEqual(a.traces, b.traces)
        XCTAssertEqual(a.metrics, b.metrics)
    }

    func testRejectsNetworksItCannotRun() throws {
        var spec = trackingSpec()
        spec.feedbacks = []
        XCTAssertThrowsError(try FeedbackExperiment(spec: spec))

        spec = trackingSpec(rule: .reinforcement, release: .mean)
        XCTAssertThrowsError(try FeedbackExperiment(spec: spec)) { error in
            XCTAssertTrue("\(error)".contains("noisy release"), "\(error)")
        }

        spec = trackingSpec()
        spec.populations[0].model = .poissonSource(rate: .constant(1), refractoryPeriod: 2)
        XCTAssertThrowsError(try FeedbackExperiment(spec: spec))

        spec = trackingSpec()
        spec.synapseTypes = [SynapseTypeSpec(name: "bayes", kind: .static)]
        XCTAssertThrowsError(try FeedbackExperiment(spec: spec))

        spec = trackingSpec()
        if case .bayesian(var s) = spec.synapseTypes[0].kind {
            s.priorVariance = 0
            spec.synapseTypes[0].kind = .bayesian(s)
        }
        XCTAssertThrowsError(try FeedbackExperiment(spec: spec)) { error in
            XCTAssertTrue("\(error)".contains("sigma2_pr"), "\(error)")
        }
    }
}
