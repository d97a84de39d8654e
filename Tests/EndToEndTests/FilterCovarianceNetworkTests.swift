import Foundation
import VesicleDSL
import VesicleEngine
import VesicleModel
import XCTest

/// `covariance = full` runs only in the single-neuron Synaptic Filter experiment; a spiking network that
/// asks for it is refused when it is built, with the projection named (docs/LANGUAGE.md), never run
/// silently with the diagonal filter.
final class FilterCovarianceNetworkTests: XCTestCase {
    func testANetworkAskingForTheFullCovarianceIsRefusedByName() throws {
        let source = """
            neuron escape = lif_delta(tau_m = 25 ms, E_L = -2 mV, V_th = 0 mV, V_reset = -2 mV, rho_0 = 5 Hz, delta_V = 2 mV)
            population inputs = 20 poisson_source(rate = 20 Hz)
            population cells = 30 escape
            synapse filter = bayesian(link = identity, prior_mean = 0.2, prior_var = 0.1, rule = synaptic_filter,
                                      covariance = full, beta = 0.5 / (1 mV))
            connect inputs -> cells fixed_indegree(5) using filter delay 1 ms
            connect cells -> cells fixed_indegree(5) using filter delay 1.5 ms
            simulate 100 ms seed 1
            record spikes cells

            """
        let (spec, diagnostics) = NetworkLanguage.compile(source: source, path: "full.vsl")
        let compiled = try XCTUnwrap(spec, "\(diagnostics.map(\.message))")
        XCTAssertThrowsError(try NetworkBuilder.build(compiled)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("projection 'inputs->cells' asks for covariance = full"), text)
        }
    }
}
