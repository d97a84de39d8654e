// Each construct of the language lowers to the NetworkSpec value it documents (docs/LANGUAGE.md).

import Foundation
import XCTest
@testable import VesicleDSL
import VesicleModel

final class LoweringTests: XCTestCase {
    func testNeuronDefaultsComeFromLIFParameters() throws {
        let spec = try XCTUnwrap(cleanSpec("population P = 3 lif_delta\nrecord spikes P"))
        XCTAssertEqual(spec.populations[0].model, .lifDelta(LIFParameters()))
        XCTAssertNil(spec.populations[0].initialPotential)
    }

    func testEveryLIFParameter() throws {
        let spec = try XCTUnwrap(cleanSpec("""
            neuron n = lif_exp(tau_m = 15 ms, C_m = 0.2 nF, E_L = -65 mV, V_th = -50 mV, V_reset = -60 mV,
                               t_ref = 1 ms, I_e = 0.1 nA, tau_syn_ex = 3 ms, tau_syn_in = 6 ms,
                               rho_0 = 20 Hz, delta_V = 0.5 mV)
            population P = 2 n { V_m = normal(-60 mV, 2 mV) }
            record membrane P every 0.5 ms
            """))
        var p = LIFParameters()
        p.tauM = 15; p.capacitance = 200; p.restingPotential = -65; p.threshold = -50; p.resetPotential = -60
        p.refractoryPeriod = 1; p.biasCurrent = 100; p.tauSynExcitatory = 3; p.tauSynInhibitory = 6
        p.escapeNoise = EscapeNoise(rateAtThreshold: 20, deltaV: 0.5)
        XCTAssertEqual(spec.populations[0].model, .lifExp(p))
        XCTAssertEqual(spec.populations[0].initialPotential, .normal(mean: -60, sd: 2, clipToSign: nil))
        XCTAssertEqual(spec.recordings, [RecordingSpec(kind: .membrane(interval: 0.5), source: PopulationSlice(population: "P"))])
    }

    func testSourcesAndReadout() throws {
        let spec = try XCTUnwrap(cleanSpec("""
            population In = 4 poisson_source(rate = uniform(5 Hz, 15 Hz), t_ref = 10 ms)
            population Seq = 2 spike_source(times = [[1 ms, 2 ms], [3 ms]])
            population R = 1 linear_readout(sigma_0 = 1.5 mV)
            connect In, Seq -> R all_to_all weight 0.5 mV delay 1 ms
            record spikes In, Seq
            """))
        XCTAssertEqual(spec.populations.map(\.model), [
            .poissonSource(rate: .uniform(low: 5, high: 15), refractoryPeriod: 10),
            .spikeSource(times: [[1, 2], [3]]),
            .linearReadout(LinearReadoutParameters(noiseSD: 1.5)),
        ])
        XCTAssertEqual(spec.projections.map(\.name), ["In->R", "Seq->R"])
    }

    func testInputs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vsl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# spike times in ms\n5\n12.5\n\n40\n".write(to: directory.appendingPathComponent("times.txt"), atomically: true, encoding: .utf8)
        let source = minimalNetwork + """
            input ext = poisson(rate = 2 kHz) -> E[0:10], I weight 0.2 mV delay 0.5 ms start 100 ms stop 1 s
            input kick = spike_times(times = [1 ms, 2 ms]) -> E[3] weight 1 mV
            input replay = spike_times(times = file("times.txt")) -> I weight 1 mV delay 2 ms
            input bias = current(amplitude = 0.5 nA) -> E start 10 ms stop 20 ms
            """
        let result = NetworkLanguage.compile(source: source, path: directory.appendingPathComponent("net.vsl").path)
        XCTAssertEqual(errors(result.diagnostics).map(\.description), [])
        let spec = try XCTUnwrap(result.spec)
        XCTAssertEqual(spec.inputs, [
            InputSpec(name: "ext", kind: .poisson(rate: 2000),
                      targets: [PopulationSlice(population: "E", range: 0..<10), PopulationSlice(population: "I")],
                      weight: 0.2, delay: 0.5, start: 100, stop: 1000),
            InputSpec(name: "kick", kind: .spikeTimes([1, 2]), targets: [PopulationSlice(population: "E", range: 3..<4)], weight: 1),
            InputSpec(name: "replay", kind: .spikeTimes([5, 12.5, 40]), targets: [PopulationSlice(population: "I")], weight: 1, delay: 2),
            InputSpec(name: "bias", kind: .constantCurrent(amplitude: 500, start: 10, stop: 20),
                      targets: [PopulationSlice(population: "E")], start: 10, stop: 20),
        ])
    }

    func testMissingSpikeTimeFileIsADiagnostic() {
        let error = singleError(minimalNetwork + "input r = spike_times(times = file(\"nope.txt\")) -> I weight 1 mV", .unreadableFile)
        XCTAssertEqual(error?.line, 6)
    }

    func testBayesianSynapseWithEveryField() throws {
        let spec = try XCTUnwrap(cleanSpec(minimalNetwork + """
            synapse b = bayesian(link = identity, prior_mean = 0.5, prior_var = 0.1, tau = 100 s,
                                 release = fixed_ratio(k = 0.0877 mV), rule = classical_reinforcement(eta = 0.01),
                                 assumed_ratio = 0.0877 mV, sigma_delta = exact, initial_mean = normal(0.5, 0.1),
                                 initial_var = 0.05, tau_eps = 20 ms, g0 = 2 Hz, beta = 0.5 / (1 mV))
            synapse fixed = static()
            connect I -> E fixed_outdegree(5) using b weight -1 mV delay 1 ms autapses false multapses false as "inh"
            connect E[0:10] -> E[10:20] one_to_one using fixed weight uniform(0.1 mV, 0.2 mV) delay 2 ms
            feedback E { bin = 5 ms, sigma_0 = 1 mV, theta_f = -2, teacher = ou(mean = 0.5, var = 0.1, tau = 100 s, initial = uniform(0, 1)) }
            record releases "inh" limit 10
            record posterior "inh" every 1 s limit 20
            """))
        var expected = BayesianSynapseSpec()
        expected.link = .identity; expected.priorMean = 0.5; expected.priorVariance = 0.1; expected.priorTau = 100_000
        expected.release = .fixedRatio(k: 0.0877); expected.rule = .classicalReinforcement(eta: 0.01)
        expected.assumedReleaseRatio = 0.0877; expected.sigmaDelta = .exact
        expected.initialMean = .normal(mean: 0.5, sd: 0.1, clipToSign: nil); expected.initialVariance = 0.05
        expected.filterTauEpsilon = 20; expected.filterG0 = 2; expected.filterBeta = 0.5
        XCTAssertEqual(spec.synapseTypes, [.staticSynapse, SynapseTypeSpec(name: "b", kind: .bayesian(expected)),
                                           SynapseTypeSpec(name: "fixed", kind: .static)])
        XCTAssertEqual(spec.projections[2], ProjectionSpec(
            name: "inh", source: PopulationSlice(population: "I"), target: PopulationSlice(population: "E"),
            rule: .fixedOutdegree(5), allowAutapses: false, allowMultapses: false, synapseType: "b",
            weight: .constant(-1), delay: .constant(1)))
        XCTAssertEqual(spec.projections[3].name, "E[0:10]->E[10:20]")
        XCTAssertEqual(spec.projections[3].weight, .uniform(low: 0.1, high: 0.2))
        var teacher = TeacherSpec()
        teacher.priorMean = 0.5; teacher.priorVariance = 0.1; teacher.tau = 100_000; teacher.initial = .uniform(low: 0, high: 1)
        XCTAssertEqual(spec.feedbacks, [FeedbackSpec(target: "E", bin: 5, noiseSD: 1, cerebellarThreshold: -2, teacher: teacher)])
        XCTAssertEqual(Array(spec.recordings.suffix(2)), [
            RecordingSpec(kind: .releases(projection: "inh", limit: 10)),
            RecordingSpec(kind: .posterior(projection: "inh", interval: 1000, limit: 20)),
        ])
    }

    func testDistributionsForWeightsAndDelays() throws {
        let spec = try XCTUnwrap(cleanSpec(minimalNetwork + """
            let w = normal(-0.5 mV, 0.1 mV, clip = negative)
            connect I -> E all_to_all weight w delay uniform(1 ms, 2 ms)
            connect I -> I all_to_all weight lognormal(mu = -1, sigma = 0.5, unit = 1 V, sign = negative) delay 1 ms
            """))
        XCTAssertEqual(spec.projections[2].weight, .normal(mean: -0.5, sd: 0.1, clipToSign: .negative))
        XCTAssertEqual(spec.projections[2].delay, .uniform(low: 1, high: 2))
        // exp(N(-1, 0.25)) V = exp(N(-1 + ln 1000, 0.25)) mV.
        guard case .lognormal(let mu, let sigma, .negative) = spec.projections[3].weight else { return XCTFail("lognormal") }
        XCTAssertEqual(mu, -1 + log(1000), accuracy: 1e-12)
        XCTAssertEqual(sigma, 0.5)
    }

    func testSimulationSettingsAndOutput() throws {
        let spec = try XCTUnwrap(cleanSpec(minimalNetwork + """
            simulate 2 s
                warmup 200 ms
                seed 42
                resolution 0.05 ms
            output "runs/test"
            """))
        XCTAssertEqual(spec.simulation, SimulationSpec(duration: 2000, warmup: 200, seed: 42, delayResolution: 0.05,
                                                       outputDirectory: "runs/test"))
    }

    func testStatementsContinueOnLinesThatDoNotStartAStatement() throws {
        let spec = try XCTUnwrap(cleanSpec(minimalNetwork + """
            connect I -> E
                fixed_indegree(5)
                weight -0.5 mV
                delay 1 ms
            """))
        XCTAssertEqual(spec.projections.last?.rule, .fixedIndegree(5))
    }

    func testSliceForms() throws {
        let spec = try XCTUnwrap(cleanSpec(minimalNetwork + "record spikes E[:10], E[90:], I[7]"))
        XCTAssertEqual(spec.recordings.suffix(3).map(\.source?.range), [0..<10, 90..<100, 7..<8])
    }

    func testEveryASTNodeCarriesItsRange() {
        var lexer = Lexer(source: "let x = 2 * (3 ms + 4 ms)", path: "r.vsl")
        var parser = Parser(tokens: lexer.tokenize(), path: "r.vsl")
        let statements = parser.parseProgram()
        guard case .constant(let name, let value)? = statements.first?.kind,
              case .binary(.multiply, let left, let right) = value.kind else { return XCTFail("unexpected tree") }
        XCTAssertEqual(name.range, SourceRange(offset: 4, length: 1, line: 1, column: 5))
        XCTAssertEqual(value.range, SourceRange(offset: 8, length: 17, line: 1, column: 9))
        XCTAssertEqual(left.range, SourceRange(offset: 8, length: 1, line: 1, column: 9))
        XCTAssertEqual(right.range, SourceRange(offset: 12, length: 13, line: 1, column: 13))
        XCTAssertEqual(statements.first?.range, SourceRange(offset: 0, length: 25, line: 1, column: 1))
    }
}

final class IssueSketchTests: XCTestCase {
    /// The sketch from the issue that introduced the language compiles as written.
    func testIssueSketchCompiles() throws {
        let spec = try XCTUnwrap(cleanSpec("""
            # Brunel (2000), regime C
            let J = 0.1 mV
            let g = 5
            neuron lif = lif_delta(tau_m = 20 ms, C_m = 250 pF, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV, t_ref = 2 ms)
            population E = 10000 lif { V_m = uniform(0 mV, 20 mV) }
            population I = 2500 lif { V_m = uniform(0 mV, 20 mV) }
            input ext = poisson(rate = 20 kHz) -> E, I weight J delay 1.5 ms
            connect E -> E, I fixed_indegree(1000) weight J delay 1.5 ms      # makes projections "E->E", "E->I"
            connect I -> E, I fixed_indegree(250) weight -g * J delay 1.5 ms
            synapse plastic = bayesian(prior_mean = -0.669, prior_var = 0.07448, tau = 1000 s, release = posterior, rule = supervised)
            feedback E { bin = 10 ms, sigma_0 = 2 mV, teacher = ou(mean = -0.669, var = 0.07448, tau = 1000 s) }
            record spikes E, I
            record releases "E->E" limit 1000
            simulate 1000 ms warmup 100 ms seed 1
            output "runs/brunel"
            """))
        XCTAssertEqual(spec.projections.map(\.name), ["E->E", "E->I", "I->E", "I->I"])
        XCTAssertEqual(spec.projections[2].weight, .constant(-0.5))
    }

    func testIndependentInputErrorsAreAllReported() {
        let result = compile(minimalNetwork + "input x = poisson(rate = 5 mV) -> E, Q weight 1 ms delay -1 ms start 5 ms stop 1 ms")
        XCTAssertEqual(errors(result.diagnostics).map(\.check), [.dimensionMismatch, .undefinedName, .outOfRange, .outOfRange])
    }

    /// `LearningRule(name:eta:)` is the inverse of `name` for every rule the language knows, and
    /// exactly the classical rules and the gradient rule take a learning rate.
    func testLearningRuleNamesRoundTrip() {
        for name in Checker.learningRules {
            let rule = LearningRule(name: name, eta: 0.25)
            XCTAssertEqual(rule?.name, name)
            XCTAssertEqual(rule?.takesLearningRate, name.hasPrefix("classical_") || name == "gradient", name)
        }
        XCTAssertEqual(LearningRule(name: "gradient", eta: 0.25), .gradient(eta: 0.25))
        XCTAssertNil(LearningRule(name: "hebbian", eta: 0))
    }
}
