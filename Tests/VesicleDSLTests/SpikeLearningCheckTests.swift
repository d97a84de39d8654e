// The checks on spike-based learning (docs/MODEL.md §5): where a Synaptic Filter projection may go.

import XCTest
@testable import VesicleDSL
import VesicleModel

final class SpikeLearningCheckTests: XCTestCase {
    /// A recurrent escape-noise population with plastic input and recurrent synapses, as the engine runs it.
    let recurrent = """
        neuron escape = lif_delta(tau_m = 25 ms, E_L = -2 mV, V_th = 0 mV, V_reset = -2 mV, rho_0 = 5 Hz, delta_V = 2 mV)
        population inputs = 20 poisson_source(rate = 20 Hz)
        population cells = 30 escape
        population plain = 10 lif_delta
        synapse filter = bayesian(link = identity, prior_mean = 0.2, prior_var = 0.1, rule = synaptic_filter, beta = 0.5 / (1 mV))
        connect inputs -> cells fixed_indegree(5) using filter delay 1 ms
        connect cells -> cells fixed_indegree(5) using filter delay 1.5 ms
        record spikes cells, plain

        """

    func testSynapticFilterOnARecurrentEscapeNoisePopulationCompiles() throws {
        let spec = try XCTUnwrap(cleanSpec(recurrent))
        XCTAssertEqual(spec.projections.map(\.name), ["inputs->cells", "cells->cells"])
        let type = try XCTUnwrap(spec.synapseType(named: "filter"))
        XCTAssertEqual(type.kind, .bayesian({
            var b = BayesianSynapseSpec()
            b.link = .identity
            b.priorMean = 0.2
            b.priorVariance = 0.1
            b.rule = .synapticFilter
            b.filterBeta = 0.5
            return b
        }()))
    }

    func testSynapticFilterOntoNeuronsWithoutEscapeNoiseIsRefusedAtTheUsingClause() {
        let source = recurrent + "connect inputs -> plain all_to_all using filter delay 1 ms"
        let error = singleError(source, .escapeNoiseMissing)
        XCTAssertEqual(error?.message,
                       "synapse type 'filter' learns with rule 'synaptic_filter' from the spikes of population 'plain', whose neurons have no escape noise")
        XCTAssertEqual(error?.line, 9)
        XCTAssertEqual(error?.column, 42)
    }

    func testGradientRuleNeedsEscapeNoiseToo() {
        let source = recurrent.replacingOccurrences(of: "rule = synaptic_filter", with: "rule = gradient(eta = 0.01)")
            + "connect inputs -> plain all_to_all using filter delay 1 ms"
        XCTAssertEqual(singleError(source, .escapeNoiseMissing)?.line, 9)
    }

    /// Feedback rules on a spiking projection still need feedback (docs/MODEL.md §4).
    func testFeedbackRuleOnASpikingProjectionStillNeedsFeedback() {
        let source = recurrent + """
            synapse taught = bayesian(rule = supervised)
            connect inputs -> plain all_to_all using taught delay 1 ms
            """
        let error = singleError(source, .feedbackMissing)
        XCTAssertEqual(error?.line, 10)
        XCTAssertEqual(error?.column, 42)
    }

    func testLogLinkIsRefusedAtTheSynapseDefinition() {
        let source = recurrent.replacingOccurrences(of: "link = identity", with: "link = log")
        let error = singleError(source, .invalidValue)
        XCTAssertEqual(error?.message,
                       "rule 'synaptic_filter' of synapse type 'filter' puts its posterior on the weight itself, but the link is 'log'")
        XCTAssertEqual(error?.line, 5)
    }

    func testRandomDelayIsRefusedAtTheDelay() {
        let source = recurrent.replacingOccurrences(of: "delay 1.5 ms", with: "delay uniform(1 ms, 2 ms)")
        let error = singleError(source, .invalidValue)
        XCTAssertEqual(error?.message, "projection 'cells->cells' learns with rule 'synaptic_filter' and needs one constant delay")
        XCTAssertEqual(error?.line, 7)
        XCTAssertEqual(error?.column, 61)
    }

    func testPlasticProjectionsOntoOnePopulationMustShareBeta() {
        let source = recurrent + """
            synapse other = bayesian(link = identity, rule = synaptic_filter, beta = 1 / (1 mV))
            connect inputs -> cells fixed_indegree(2) using other delay 1 ms as "second"
            """
        let error = singleError(source, .invalidValue)
        XCTAssertEqual(error?.message,
                       "projections 'inputs->cells' and 'second' learn onto population 'cells' with different rules, g0, beta or covariance")
    }
}
