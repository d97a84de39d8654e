import XCTest
import VesicleEngine
import VesicleModel

/// Windows on several partitions (`Partitions`): every neuron receives its inputs, current changes
/// and samples in the same order through the same arithmetic as on one, and every Bayesian row
/// releases the same draws whichever partition owns it, so everything the observer receives, and
/// every count, must be exactly equal (==, no tolerance) whatever the partition count: 1 against 2,
/// 3 and 7 (more partitions than some populations have neurons).
final class PartitionedRunTests: XCTestCase {
    /// lif_delta E/I with Poisson drives, a spike source, Float weights and random delays, seed 9.
    func testStaticNetworkIsIdenticalOnAnyThreadCount() throws {
        try assertIdentical(Self.network(), minimumSpikes: 200)
    }

    /// The same with `fixed_outdegree` rows (not sorted by target: gathered per partition).
    func testFixedOutdegreeIsIdenticalOnAnyThreadCount() throws {
        var spec = Self.network()
        spec.projections[0].rule = .fixedOutdegree(12)
        try assertIdentical(spec, minimumSpikes: 200)
    }

    /// lif_exp neurons with Poisson drives that differ between neurons, a constant current that starts
    /// and stops inside the run, and membrane samplers on two slices.
    func testExponentialCurrentNetworkWithCurrentChangesAndSamplersIsIdentical() throws {
        var spec = Self.network()
        spec.populations[0].model = .lifExp(TestNetworks.lif(tauM: 20, threshold: 20, reset: 10, tauE: 2, tauI: 3))
        spec.populations[1].model = .lifExp(TestNetworks.lif(tauM: 10, threshold: 20, reset: 10, tauE: 2, tauI: 3))
        for k in spec.projections.indices { spec.projections[k].weight = .constant(spec.projections[k].name.hasPrefix("I") ? -400 : 300) }
        spec.inputs = [
            InputSpec(name: "ext", kind: .poisson(rate: 8_000), targets: [.init(population: "E", range: 0..<100)], weight: 60, delay: 0.1),
            InputSpec(name: "ext2", kind: .poisson(rate: 6_000), targets: [.init(population: "E"), .init(population: "I")], weight: 50, delay: 0.3),
            InputSpec(name: "step", kind: .constantCurrent(amplitude: 200, start: 50.25, stop: 180), targets: [.init(population: "I", range: 5..<31)],
                      weight: 0, delay: 0),
        ]
        spec.recordings = [RecordingSpec(kind: .membrane(interval: 0.5), source: .init(population: "E", range: 70..<90)),
                           RecordingSpec(kind: .membrane(interval: 0.75), source: .init(population: "I"))]
        try assertIdentical(spec, minimumSpikes: 200, minimumSamples: 1000)
    }

    /// lif_delta neurons with escape noise and a current change.
    func testEscapeNoiseNetworkIsIdentical() throws {
        var spec = Self.network()
        var p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 20, reset: 10, refractory: 2)
        p.escapeNoise = EscapeNoise(rateAtThreshold: 20, deltaV: 2)
        spec.populations[0].model = .lifDelta(p)
        spec.inputs.append(InputSpec(name: "step", kind: .constantCurrent(amplitude: 100, start: 40, stop: 120),
                                     targets: [.init(population: "E")], weight: 0, delay: 0))
        spec.recordings = [RecordingSpec(kind: .membrane(interval: 1), source: .init(population: "E", range: 0..<50))]
        try assertIdentical(spec, minimumSpikes: 200, minimumSamples: 1000)
    }

    /// Bayesian synapses: batched posterior release (log link) on one projection, one-at-a-time
    /// Gaussian release on another, with release logs and posterior samplers on both.
    func testBayesianNetworkWithReleaseLogsAndPosteriorsIsIdentical() throws {
        var spec = Self.network()
        var lognormal = BayesianSynapseSpec()
        lognormal.priorMean = log(0.3) - 0.035
        lognormal.priorVariance = 0.07
        lognormal.priorTau = 1000
        lognormal.release = .posterior
        var gaussian = BayesianSynapseSpec()
        gaussian.link = .identity
        gaussian.priorMean = 1.2
        gaussian.priorVariance = 0.04
        gaussian.priorTau = 50
        gaussian.release = .gaussian
        spec.synapseTypes = [SynapseTypeSpec(name: "lognormal", kind: .bayesian(lognormal)),
                             SynapseTypeSpec(name: "gaussian", kind: .bayesian(gaussian))]
        spec.projections[0].synapseType = "lognormal"
        spec.projections[2].synapseType = "gaussian"
        spec.recordings = [
            RecordingSpec(kind: .releases(projection: "E->all", limit: 400)),
            RecordingSpec(kind: .releases(projection: "I->E", limit: nil)),
            RecordingSpec(kind: .posterior(projection: "E->all", interval: 5, limit: 300)),
            RecordingSpec(kind: .posterior(projection: "I->E", interval: 7.5, limit: nil)),
        ]
        try assertIdentical(spec, minimumSpikes: 200, minimumReleases: 1000, minimumSamples: 1000)
    }

    /// STDP (all-to-all, multiplicative depression) on E->E with weight samples of 600 synapses, and
    /// the same with nearest-spike pairing on `fixed_outdegree` rows (gathered per partition): each
    /// synapse's weight, its target's post history and the row's K+ copy on its target's partition.
    func testSTDPNetworkWithWeightSamplesIsIdentical() throws {
        for (pairing, rule) in [(STDPSynapseSpec.Pairing.allToAll, ConnectionRule.fixedIndegree(16)),
                                (.nearest, .fixedOutdegree(14))] {
            var stdp = STDPSynapseSpec()
            stdp.lambda = 0.02
            stdp.alpha = 1.1
            stdp.muPlus = 0
            stdp.muMinus = 1
            stdp.wMax = 1
            stdp.pairing = pairing
            var spec = Self.network()
            spec.synapseTypes = [.staticSynapse, SynapseTypeSpec(name: "stdp", kind: .stdp(stdp))]
            spec.projections[0].synapseType = "stdp"
            spec.projections[0].rule = rule
            spec.projections[0].weight = .uniform(low: 0.2, high: 0.6)
            spec.projections[0].delay = .constant(1.5)
            spec.recordings = [RecordingSpec(kind: .weights(projection: "E->all", interval: 10, limit: 600))]
            try assertIdentical(spec, minimumSpikes: 200, minimumWeights: 600 * 25)
        }
    }

    /// Tsodyks-Markram short-term plasticity with per-synapse weights (E->all, sorted rows and
    /// `fixed_outdegree` rows) and with one weight (I->E): u and x kept per row in every partition
    /// that holds one of its synapses.
    func testShortTermPlasticNetworkIsIdentical() throws {
        for rule in [ConnectionRule.fixedIndegree(16), .fixedOutdegree(14)] {
            var tm = TsodyksSynapseSpec()
            tm.U = 0.3
            tm.tauRec = 200
            tm.tauFac = 50
            var spec = Self.network()
            spec.synapseTypes = [.staticSynapse, SynapseTypeSpec(name: "tm", kind: .tsodyks(tm))]
            spec.projections[0].synapseType = "tm"
            spec.projections[0].rule = rule
            spec.projections[0].weight = .normal(mean: 0.6, sd: 0.2, clipToSign: .positive)
            spec.projections[0].delay = .constant(1.5)
            spec.projections[2].synapseType = "tm"
            spec.projections[2].weight = .constant(-2)
            try assertIdentical(spec, minimumSpikes: 200)
        }
    }

    // MARK: - Support

    private func assertIdentical(_ spec: NetworkSpec, minimumSpikes: Int, minimumReleases: Int = 0,
                                 minimumSamples: Int = 0, minimumWeights: Int = 0,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let serial = try Self.run(spec, threads: 1)
        XCTAssertGreaterThan(serial.recorder.spikes.count, minimumSpikes, "the network must fire", file: file, line: line)
        XCTAssertGreaterThanOrEqual(serial.recorder.releases.count, minimumReleases, file: file, line: line)
        XCTAssertGreaterThanOrEqual(serial.recorder.membrane.count + serial.recorder.posteriors.count, minimumSamples,
                                    file: file, line: line)
        XCTAssertGreaterThanOrEqual(serial.recorder.weights.count, minimumWeights, file: file, line: line)
        if minimumWeights > 0 {
            // The weights must have moved, or the comparison below would compare the initial draws.
            let first = serial.recorder.weights.prefix(600).map { $0[3] }, last = serial.recorder.weights.suffix(600).map { $0[3] }
            XCTAssertNotEqual(first, last, "STDP must change the weights", file: file, line: line)
        }
        for threads in [2, 3, 7] {
            let parallel = try Self.run(spec, threads: threads)
            XCTAssertNil(parallel.simulator.parallelRefusal, file: file, line: line)
            XCTAssertEqual(parallel.simulator.threadCount, threads, file: file, line: line)
            XCTAssertTrue(parallel.recorder.spikes == serial.recorder.spikes,
                          "\(threads) threads: \(parallel.recorder.spikes.count) spikes against \(serial.recorder.spikes.count)",
                          file: file, line: line)
            XCTAssertTrue(parallel.recorder.membrane == serial.recorder.membrane, "\(threads) threads: membrane", file: file, line: line)
            XCTAssertTrue(parallel.recorder.releases == serial.recorder.releases, "\(threads) threads: releases", file: file, line: line)
            XCTAssertTrue(parallel.recorder.posteriors == serial.recorder.posteriors, "\(threads) threads: posteriors",
                          file: file, line: line)
            XCTAssertTrue(parallel.recorder.weights == serial.recorder.weights, "\(threads) threads: weights", file: file, line: line)
            XCTAssertEqual(parallel.simulator.counters.recurrentEvents, serial.simulator.counters.recurrentEvents, file: file, line: line)
            XCTAssertEqual(parallel.simulator.counters.externalEvents, serial.simulator.counters.externalEvents, file: file, line: line)
            XCTAssertEqual(parallel.simulator.counters.spikes, serial.simulator.counters.spikes, file: file, line: line)
        }
    }

    private static func run(_ spec: NetworkSpec, threads: Int) throws -> (simulator: Simulator, recorder: Recorder) {
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network, threads: threads)
        let recorder = Recorder()
        simulator.recordAllSpikes()
        simulator.run(observer: recorder)
        return (simulator, recorder)
    }

    /// Everything the observer receives, in the order received, as numbers.
    private final class Recorder: SimulationObserver {
        var spikes: [[Double]] = []
        var membrane: [[Double]] = []
        var releases: [[Double]] = []
        var posteriors: [[Double]] = []
        var weights: [[Double]] = []

        func spike(population: Int, neuron: Int, time: Double) { spikes.append([Double(population), Double(neuron), time]) }
        func membrane(population: Int, neuron: Int, time: Double, potential: Double) {
            membrane.append([Double(population), Double(neuron), time, potential])
        }
        func release(projection: Int, synapse: Int, pre: Int, post: Int, time: Double, amplitude: Double, mu: Double, sigma2: Double) {
            releases.append([Double(projection), Double(synapse), Double(pre), Double(post), time, amplitude, mu, sigma2])
        }
        func posterior(projection: Int, synapse: Int, time: Double, mu: Double, sigma2: Double) {
            posteriors.append([Double(projection), Double(synapse), time, mu, sigma2])
        }
        func weight(projection: Int, synapse: Int, time: Double, weight: Double) {
            weights.append([Double(projection), Double(synapse), time, weight])
        }
    }

    private static func network() -> NetworkSpec {
        let p = TestNetworks.lif(tauM: 20, rest: 0, threshold: 20, reset: 10, refractory: 2)
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 300, seed: 9))
        spec.populations = [
            PopulationSpec(name: "E", size: 160, model: .lifDelta(p)),
            PopulationSpec(name: "I", size: 40, model: .lifDelta(p)),
            PopulationSpec(name: "S", size: 1, model: .spikeSource(times: [(0..<60).map { 5 * Double($0) + 0.7 }])),
        ]
        spec.projections = [
            ProjectionSpec(name: "E->all", source: .init(population: "E"), target: .init(population: "E"),
                           rule: .fixedIndegree(16), weight: .normal(mean: 0.3, sd: 0.1, clipToSign: .positive),
                           delay: .uniform(low: 1, high: 3)),
            ProjectionSpec(name: "E->I", source: .init(population: "E"), target: .init(population: "I"),
                           rule: .fixedIndegree(16), weight: .constant(0.3), delay: .constant(1.5)),
            ProjectionSpec(name: "I->E", source: .init(population: "I"), target: .init(population: "E"),
                           rule: .pairwiseBernoulli(0.2), weight: .constant(-1.2), delay: .constant(1.5)),
            ProjectionSpec(name: "S->E", source: .init(population: "S"), target: .init(population: "E"),
                           rule: .allToAll, weight: .constant(2), delay: .constant(1)),
        ]
        spec.inputs = [InputSpec(name: "ext", kind: .poisson(rate: 18_000), targets: [.init(population: "E"), .init(population: "I")],
                                 weight: 0.1, delay: 0.1)]
        return spec
    }
}
