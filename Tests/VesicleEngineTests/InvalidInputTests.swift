import XCTest
import VesicleEngine
import VesicleModel

/// Invalid parameters through the Swift API throw a sentence; they never trap or run with garbage.
final class InvalidInputTests: XCTestCase {
    func assertRejected(_ spec: NetworkSpec, mentioning words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try NetworkBuilder.build(spec), file: file, line: line) { error in
            let text = String(describing: error)
            for word in words { XCTAssertTrue(text.contains(word), "'\(text)' should mention '\(word)'", file: file, line: line) }
        }
    }

    func base() -> NetworkSpec { ReferenceNetworks.brunel(regime: .C, neurons: 100, seed: 1, duration: 10, warmup: 0) }

    func testNegativeTimeConstant() {
        var spec = base()
        var p = spec.populations[0].model.lifParameters!
        p.tauM = -20
        spec.populations[0].model = .lifDelta(p)
        assertRejected(spec, mentioning: ["tau_m", "-20"])
    }

    func testProbabilityOutsideUnitInterval() {
        var spec = base()
        spec.projections[0].rule = .pairwiseBernoulli(1.5)
        assertRejected(spec, mentioning: ["probability", "1.5"])
    }

    func testIndegreeLargerThanSource() {
        var spec = base()
        spec.projections[0].rule = .fixedIndegree(500)
        spec.projections[0].allowMultapses = false  // with multapses NEST (and Vesicle) repeat sources
        assertRejected(spec, mentioning: ["in-degree 500", "80 neurons"])
    }

    func testZeroDelay() {
        var spec = base()
        spec.projections[1].delay = .constant(0)
        assertRejected(spec, mentioning: ["delay", "> 0"])
    }

    func testUnknownPopulationAndSliceOutOfRange() {
        var spec = base()
        spec.projections[0].target = PopulationSlice(population: "X")
        assertRejected(spec, mentioning: ["'X'"])
        spec = base()
        spec.projections[0].source = PopulationSlice(population: "E", range: 70..<90)
        assertRejected(spec, mentioning: ["E[70:90]"])
    }

    func testResetAboveThresholdAndBadDuration() {
        var spec = base()
        var p = spec.populations[1].model.lifParameters!
        p.resetPotential = 30
        spec.populations[1].model = .lifDelta(p)
        assertRejected(spec, mentioning: ["V_reset"])
        spec = base()
        spec.simulation.duration = -1
        assertRejected(spec, mentioning: ["duration"])
    }
}
