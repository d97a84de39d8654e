import Foundation
import XCTest
import VesicleDSL
import VesicleEngine
import VesicleModel
import VesicleSynapses

/// Spike-based learning inside the engine (MODEL.md §5) against the single-neuron Synaptic Filter.
final class SynapticFilterNetworkTests: XCTestCase {
    static let networks = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Networks")

    func compile(_ name: String) throws -> NetworkSpec {
        let (spec, diagnostics) = NetworkLanguage.compile(fileAt: Self.networks.appendingPathComponent(name).path)
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity != .error }, "\(name): \(diagnostics)")
        return try XCTUnwrap(spec, name)
    }

    /// Networks/paper/synaptic_filter.vsl (d = 10 Poisson inputs onto one escape-noise neuron), with
    /// the neuron's rest at its threshold and rho_0 = 5 Hz so that it fires a few times per second, and
    /// no warm-up so that every spike is recorded.
    func singleNeuronNetwork(rule: LearningRule, duration: Double) throws -> NetworkSpec {
        var spec = try compile("paper/synaptic_filter.vsl")
        spec.simulation.duration = duration
        spec.simulation.warmup = 0
        let type = try XCTUnwrap(spec.synapseTypes.firstIndex { $0.name == spec.projections[0].synapseType })
        guard case .lifDelta(var neuron) = spec.populations[1].model, case .bayesian(var synapse) = spec.synapseTypes[type].kind else {
            throw NetworkError("synaptic_filter.vsl no longer has a lif_delta cell and a bayesian synapse type")
        }
        neuron.restingPotential = neuron.threshold
        neuron.escapeNoise = EscapeNoise(rateAtThreshold: 5, deltaV: 1)
        spec.populations[1].model = .lifDelta(neuron)
        synapse.rule = rule
        spec.synapseTypes[type].kind = .bayesian(synapse)
        return spec
    }

    /// The single-neuron experiment's step (`SynapticFilterExperiment.step`) on given spikes: the update
    /// from the traces at t by the library's `synapticFilterUpdate` / `synapticGradientUpdate` with y = 1
    /// if the neuron spiked in [t, t + h); the exact OU relaxation (filter only); then the traces carried
    /// to t + h (decay, plus e^(-(t + h - a)/tau_eps) per arrival a <= t + h). Index d is the bias input.
    struct SingleNeuronReplay {
        var mu: [Double]
        var sigma2: [Double]
        var trace: [Double]
        var next: [Int]
        var nextOutput = 0
        var stepIndex = 0
        let arrivals: [[Double]]
        let output: [Double]
        let synapse: BayesianSynapseSpec
        let h: Double

        init(arrivals: [[Double]], output: [Double], synapse: BayesianSynapseSpec, step h: Double) {
            let d = arrivals.count
            let isFilter = synapse.rule == .synapticFilter
            mu = Array(repeating: synapse.priorMean, count: d + 1)
            sigma2 = Array(repeating: isFilter ? (synapse.initialVariance ?? synapse.priorVariance) : 0, count: d + 1)
            trace = Array(repeating: 0, count: d) + [1]
            next = Array(repeating: 0, count: d)
            self.arrivals = arrivals
            self.output = output
            self.synapse = synapse
            self.h = h
        }

        mutating func run(steps: Int) throws {
            let prior = try OrnsteinUhlenbeckPrior(mean: synapse.priorMean, variance: synapse.priorVariance,
                                                   tau: synapse.priorTau)
            let g0 = synapse.filterG0 / 1000, beta = synapse.filterBeta, tauEps = synapse.filterTauEpsilon
            for _ in 0..<steps {
                let t = Double(stepIndex) * h
                var y = 0.0
                while nextOutput < output.count && output[nextOutput] < t + h {
                    if output[nextOutput] >= t { y = 1 }
                    nextOutput += 1
                }
                switch synapse.rule {
                case .gradient(let eta):
                    synapticGradientUpdate(mu: &mu, x: trace, y: y, eta: eta, beta: beta, g0: g0, h: h)
                default:
                    synapticFilterUpdate(mu: &mu, sigma2: &sigma2, x: trace, y: y, beta: beta, g0: g0, h: h)
                    for i in mu.indices { prior.relax(mu: &mu[i], sigma2: &sigma2[i], decay: prior.decay(over: h)) }
                }
                let end = t + h
                for i in arrivals.indices {
                    trace[i] *= exp(-h / tauEps)
                    while next[i] < arrivals[i].count && arrivals[i][next[i]] <= end {
                        trace[i] += exp(-(end - arrivals[i][next[i]]) / tauEps)
                        next[i] += 1
                    }
                }
                stepIndex += 1
            }
        }
    }

    /// The engine, run on the single-neuron file's network, and the single-neuron filter replayed on the
    /// engine's own input and output spikes give the same posterior trajectories, checked every second
    /// for 10 s: bitwise (tolerance 0), since both form the same sums in the same order.
    func testEngineReproducesTheSingleNeuronFilterOnTheSameSpikes() throws {
        for rule in [LearningRule.synapticFilter, .gradient(eta: 0.05)] {
            let spec = try singleNeuronNetwork(rule: rule, duration: 10_000)
            guard case .bayesian(let synapse)? = spec.synapseType(named: spec.projections[0].synapseType)?.kind,
                  case .constant(let delay) = spec.projections[0].delay else {
                return XCTFail("unexpected file")
            }
            let network = try NetworkBuilder.build(spec)
            let simulator = Simulator(network: network)
            simulator.recordAllSpikes()
            let collector = SpikeCollector(populationSizes: network.populationSizes)
            var engine: [(time: Double, mu: [Double], sigma2: [Double])] = []
            let d = network.populationSizes[0]
            for second in 1...10 {
                simulator.run(until: Double(second) * 1000, observer: collector)
                XCTAssertNil(simulator.failure)
                let posteriors = (0..<d).map { network.learnedPosterior(projection: 0, synapse: $0)! }
                let bias = try XCTUnwrap(network.learnedBias(population: 1, neuron: 0))
                engine.append((try XCTUnwrap(network.learnedPosteriorTime),
                               posteriors.map(\.mu) + [bias.mu], posteriors.map(\.sigma2) + [bias.sigma2]))
            }
            let output = collector.times[1][0]
            XCTAssertGreaterThan(output.count, 10, "the neuron must spike for y = 1 steps to be compared")
            let arrivals = collector.times[0].map { $0.map { $0 + delay } }
            var replay = SingleNeuronReplay(arrivals: arrivals, output: output, synapse: synapse,
                                            step: spec.simulation.delayResolution)
            for checkpoint in engine {
                let steps = Int((checkpoint.time / replay.h).rounded())
                try replay.run(steps: steps - replay.stepIndex)
                XCTAssertEqual(checkpoint.mu, replay.mu, "\(rule.name) at \(checkpoint.time) ms")
                XCTAssertEqual(checkpoint.sigma2, replay.sigma2, "\(rule.name) at \(checkpoint.time) ms")
            }
            // The learning is not trivial: means moved away from the prior mean 0.
            XCTAssertGreaterThan(replay.mu.map { abs($0) }.max() ?? 0, 0.05, rule.name)
        }
    }
}
