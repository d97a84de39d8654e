// `covariance = diagonal | full` on a Synaptic Filter synapse type (docs/MODEL.md §5, docs/LANGUAGE.md
// "Synaptic Filter experiments").

import XCTest
@testable import VesicleDSL
import VesicleModel

final class FilterCovarianceCheckTests: XCTestCase {
    private func source(_ arguments: String) -> String {
        """
        population inputs = 5 poisson_source(rate = 40 Hz, t_ref = 10 ms)
        population cell = 1 lif_delta(rho_0 = 1 Hz, delta_V = 1 mV)
        synapse filter = bayesian(link = identity, prior_mean = 0, prior_var = 1, tau = 100 s, \(arguments))
        connect inputs -> cell all_to_all using filter delay 1 ms

        """
    }

    func testCovarianceFullIsReadAndDiagonalIsTheDefault() throws {
        let full = try XCTUnwrap(cleanSpec(source("rule = synaptic_filter, covariance = full")))
        guard case .bayesian(let b)? = full.synapseType(named: "filter")?.kind else { return XCTFail("not bayesian") }
        XCTAssertEqual(b.filterCovariance, .full)
        let plain = try XCTUnwrap(cleanSpec(source("rule = synaptic_filter")))
        guard case .bayesian(let d)? = plain.synapseType(named: "filter")?.kind else { return XCTFail("not bayesian") }
        XCTAssertEqual(d.filterCovariance, .diagonal)
    }

    func testCovarianceFullNeedsTheFilterRule() {
        let error = singleError(source("rule = gradient(eta = 0.1), covariance = full"), .invalidValue)
        XCTAssertEqual(error?.message,
                       "covariance = full of synapse type 'filter' needs rule = synaptic_filter; rule 'gradient' holds no posterior covariance")
    }

    func testAnUnknownCovarianceIsNamedWithItsChoices() {
        let (spec, diagnostics) = compile(source("rule = synaptic_filter, covariance = dense"))
        XCTAssertNil(spec)
        XCTAssertTrue(diagnostics.contains { $0.message.contains("diagonal") && $0.message.contains("full") },
                      "\(diagnostics.map(\.message))")
    }
}
