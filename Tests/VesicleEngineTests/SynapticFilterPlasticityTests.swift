import Foundation
import XCTest
import VesicleEngine
import VesicleModel

/// The engine's Synaptic Filter (docs/MODEL.md §5) against closed forms written here.
final class SynapticFilterPlasticityTests: XCTestCase {
    /// One presynaptic spike at 0.2 ms through a 0.3-ms delay onto one escape-noise neuron whose hazard
    /// (1e-9 Hz at threshold, 15 mV below it at rest) makes a spike in 1 ms a 1e-21 event; steps h = 0.5 ms.
    func oneSynapse(rule: LearningRule = .synapticFilter, priorMean: Double = 0.3, priorVariance: Double = 0.5) -> NetworkSpec {
        var spec = NetworkSpec(simulation: SimulationSpec(duration: 1, seed: 3, delayResolution: 0.5))
        var neuron = LIFParameters()
        neuron.escapeNoise = EscapeNoise(rateAtThreshold: 1e-9, deltaV: 1)
        spec.populations = [PopulationSpec(name: "pre", size: 1, model: .spikeSource(times: [[0.2]])),
                            PopulationSpec(name: "post", size: 1, model: .lifDelta(neuron))]
        var filter = BayesianSynapseSpec()
        filter.link = .identity
        filter.priorMean = priorMean
        filter.priorVariance = priorVariance
        filter.priorTau = 1000
        filter.rule = rule
        filter.filterTauEpsilon = 10
        filter.filterG0 = 50
        filter.filterBeta = 2
        spec.synapseTypes = [SynapseTypeSpec(name: "filter", kind: .bayesian(filter))]
        spec.projections = [ProjectionSpec(name: "pre->post", source: .init(population: "pre"), target: .init(population: "post"),
                                           rule: .allToAll, synapseType: "filter", weight: .constant(1), delay: .constant(0.3))]
        return spec
    }

    /// Step 0 ([0, 0.5) ms) sees only the bias input (x = 1); the spike arrives at 0.5 ms, so step 1
    /// sees the synapse's trace at x = e^0 = 1. With y = 0, the closed form of docs/MODEL.md §5 over the two
    /// steps, each followed by the OU relaxation d = e^(-h/tau), is computed here; the variance falls
    /// below the prior's with the evidence, and the mean falls (no spike where one was expected).
    func testVarianceFallsFromThePriorByTheClosedFormOfOneStep() throws {
        let network = try NetworkBuilder.build(oneSynapse())
        let simulator = Simulator(network: network)
        let collector = SpikeCollector(populationSizes: network.populationSizes)
        simulator.recordAllSpikes()
        simulator.run(until: 1, observer: collector)
        XCTAssertNil(simulator.failure)
        XCTAssertEqual(collector.times[1][0], [], "y = 0 in both steps")
        XCTAssertEqual(network.learnedPosteriorTime, 1)

        let h = 0.5, g0 = 50.0 / 1000, beta = 2.0, m = 0.3, v = 0.5, d = exp(-h / 1000)
        // Step 0: the bias alone.
        let e0 = g0 * h * exp(beta * m + beta * beta * v / 2)
        let biasMean = m + (m + beta * v * (0 - e0) - m) * d
        let biasVariance = v + (v - e0 * beta * beta * v * v - v) * d * d
        // Step 1: the synapse (still at the prior: m, v) with x = 1, and the bias.
        let e1 = g0 * h * exp(beta * (m + biasMean) + beta * beta * (v + biasVariance) / 2)
        let expectedVariance = v + (v - e1 * beta * beta * v * v - v) * d * d
        let expectedMean = m + (m + beta * v * (0 - e1) - m) * d

        let learned = try XCTUnwrap(network.learnedPosterior(projection: 0, synapse: 0))
        XCTAssertEqual(learned.sigma2, expectedVariance, accuracy: 1e-14)
        XCTAssertEqual(learned.mu, expectedMean, accuracy: 1e-14)
        XCTAssertLessThan(learned.sigma2, v - 0.01)
        XCTAssertLessThan(learned.mu, m)
        let bias = try XCTUnwrap(network.learnedBias(population: 1, neuron: 0))
        XCTAssertLessThan(bias.sigma2, v)
        // Releases read the Float32 copy of the same posterior.
        let stored = try XCTUnwrap(network.projections[0].posterior(0))
        XCTAssertEqual(stored.sigma2, Double(Float(expectedVariance)))
    }

    /// The gradient rule has no variance and no prior term: d mu = eta beta x (y - g0 h e^(beta mu.x)).
    func testGradientRuleStepsByItsClosedForm() throws {
        let network = try NetworkBuilder.build(oneSynapse(rule: .gradient(eta: 0.1)))
        let simulator = Simulator(network: network)
        simulator.run(until: 1)
        let h = 0.5, g0 = 50.0 / 1000, beta = 2.0, m = 0.3, eta = 0.1
        let bias1 = m + eta * beta * (0 - g0 * h * exp(beta * m))
        let expectedMean = m + eta * beta * 1 * (0 - g0 * h * exp(beta * (m + bias1)))
        let learned = try XCTUnwrap(network.learnedPosterior(projection: 0, synapse: 0))
        XCTAssertEqual(learned.mu, expectedMean, accuracy: 1e-14)
        XCTAssertEqual(learned.sigma2, 0)
    }

    /// A variance step that would make sigma2 negative stops the run with an error naming the synapse
    /// and the time, never a clamp (docs/MODEL.md §4 on non-finite posteriors; §5's Euler step).
    func testVarianceThatWouldTurnNegativeStopsTheRun() throws {
        var spec = oneSynapse(priorMean: 3, priorVariance: 4)
        spec.simulation.duration = 5
        let network = try NetworkBuilder.build(spec)
        let simulator = Simulator(network: network)
        simulator.run()
        let failure = try XCTUnwrap(simulator.failure)
        XCTAssertLessThan(simulator.time, 5)
        XCTAssertTrue(failure.description.contains("left its domain"), failure.description)
    }

    /// The Swift API gets the checker's refusals as sentences.
    func testTargetWithoutEscapeNoiseIsRefusedByTheBuilder() {
        var spec = oneSynapse()
        spec.populations[1] = PopulationSpec(name: "post", size: 1, model: .lifDelta(LIFParameters()))
        XCTAssertThrowsError(try NetworkBuilder.build(spec)) { error in
            XCTAssertTrue("\(error)".contains("must be lif_delta neurons with escape noise"), "\(error)")
        }
    }
}
