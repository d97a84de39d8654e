// The files in Networks/ describe exactly the reference networks `vesicle bench` builds, so both go
// through the same builder; and every file compiles cleanly.

import XCTest
@testable import VesicleDSL
import VesicleModel

final class NetworkFileTests: XCTestCase {
    private func compiledFile(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> NetworkSpec? {
        let result = NetworkLanguage.compile(fileAt: networkFile(name))
        XCTAssertEqual(errors(result.diagnostics).map(\.description), [], name, file: file, line: line)
        return result.spec
    }

    func testBrunelFilesEqualReferenceNetworks() {
        let files: [(String, BrunelRegime)] = [
            ("brunel_ai.vsl", .C), ("brunel_sr.vsl", .A), ("brunel_si_fast.vsl", .B), ("brunel_si_slow.vsl", .D),
        ]
        for (name, regime) in files {
            let spec = compiledFile(name)
            XCTAssertEqual(spec, ReferenceNetworks.brunel(regime: regime), name)
        }
    }

    func testBrunelExternalRateIsTwentyKilohertzInRegimeC() {
        // nu_thr = theta / (J C_E tau_m) = 20 mV / (0.1 mV * 1000 * 20 ms) = 10 Hz; eta C_E nu_thr = 20 kHz.
        guard case .poisson(let rate)? = compiledFile("brunel_ai.vsl")?.inputs.first?.kind else {
            return XCTFail("expected a Poisson input")
        }
        XCTAssertEqual(rate, 20_000, accuracy: 1e-9)
    }

    func testBretteFileEqualsReferenceNetwork() {
        XCTAssertEqual(compiledFile("brette_cuba.vsl"), ReferenceNetworks.bretteCUBA())
    }

    func testEveryNetworkFileCompilesWithoutWarnings() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: networksDirectory).filter { $0.hasSuffix(".vsl") }
        XCTAssertGreaterThanOrEqual(names.count, 7)
        for name in names {
            let result = NetworkLanguage.compile(fileAt: networkFile(name))
            XCTAssertNotNil(result.spec, name)
            XCTAssertEqual(result.diagnostics.map(\.description), [], name)
        }
    }

    func testSingleNeuronFile() throws {
        let spec = try XCTUnwrap(compiledFile("single_neuron.vsl"))
        XCTAssertEqual(spec.populations.count, 1)
        guard case .lifExp(let p) = spec.populations[0].model else { return XCTFail("expected lif_exp") }
        XCTAssertEqual(p.tauM, 10)
        XCTAssertEqual(p.capacitance, 250)
        XCTAssertEqual(p.restingPotential, 0)
        XCTAssertEqual(p.threshold, 15)
        XCTAssertEqual(p.resetPotential, 0)
        XCTAssertEqual(spec.inputs.first?.kind, .constantCurrent(amplitude: 1000, start: 0, stop: .infinity))
        XCTAssertEqual(spec.populations[0].initialPotential, .constant(0))
        XCTAssertEqual(spec.simulation.outputDirectory, "runs/single_neuron")
    }

    func testBayesianFileRecordsReleasesOfABayesianProjection() throws {
        let spec = try XCTUnwrap(compiledFile("bayesian_small.vsl"))
        let projection = try XCTUnwrap(spec.projections.first)
        XCTAssertEqual(projection.name, "inputs->readout")
        guard case .bayesian(let bayesian)? = spec.synapseType(named: projection.synapseType)?.kind else {
            return XCTFail("expected a bayesian synapse type")
        }
        XCTAssertEqual(bayesian.rule, .supervised)
        XCTAssertEqual(bayesian.release, .posterior)
        XCTAssertEqual(bayesian.priorTau, 100_000)
        XCTAssertTrue(spec.recordings.contains { $0.kind == .releases(projection: "inputs->readout", limit: 100) })
        XCTAssertEqual(spec.feedbacks.map(\.target), ["readout"])
        // log10(nu / Hz) ~ N(0, 0.5^2) is exp(N(0, (0.5 ln 10)^2)) Hz.
        guard case .poissonSource(.lognormal(let mu, let sigma, .positive), _) = spec.populations[0].model else {
            return XCTFail("expected log-normal Poisson rates")
        }
        XCTAssertEqual(mu, 0)
        XCTAssertEqual(sigma, 0.5 * log(10), accuracy: 1e-15)
    }
}
