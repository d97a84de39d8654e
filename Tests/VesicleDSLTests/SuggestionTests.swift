// "Did you mean" suggestions: plausible typos only.

import XCTest
@testable import VesicleDSL

final class SuggestionTests: XCTestCase {
    func testEditDistance() {
        XCTAssertEqual(Suggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.editDistance("wieght", "weight"), 1)  // one transposition
        XCTAssertEqual(Suggestion.editDistance("", "abc"), 3)
        XCTAssertEqual(Suggestion.editDistance("same", "same"), 0)
    }

    func testSuggestions() {
        XCTAssertEqual(Suggestion.closest(to: "wieght", among: ["weight", "delay"]), "weight")
        XCTAssertEqual(Suggestion.closest(to: "C_e", among: ["C_E", "C_I"]), "C_E")
        XCTAssertEqual(Suggestion.closest(to: "mv", among: ["mV", "ms"]), "mV")
        XCTAssertEqual(Suggestion.closest(to: "Ii", among: ["E", "I"]), "I")
        XCTAssertEqual(Suggestion.closest(to: "pairwise_bernouli", among: ["pairwise_bernoulli", "all_to_all"]), "pairwise_bernoulli")
    }

    func testNoSuggestionForUnrelatedNames() {
        XCTAssertNil(Suggestion.closest(to: "Q", among: ["E", "I"]))
        XCTAssertNil(Suggestion.closest(to: "readout", among: ["E", "I", "inputs"]))
        XCTAssertNil(Suggestion.closest(to: "xyz", among: []))
    }
}
