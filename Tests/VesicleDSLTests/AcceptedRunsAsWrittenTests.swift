// What `check` accepts runs as written (issue 15 §1): every name resolves to exactly what it names
// or is an error, every declaration of an accepted file is in its NetworkSpec, and what the
// builder or the run would refuse is a located diagnostic here.

import Foundation
import XCTest
@testable import VesicleDSL
import VesicleModel

final class AcceptedRunsAsWrittenTests: XCTestCase {
    // MARK: aliases

    /// `neuron cell = cell` once passed check and the run dropped E, its projection and recording.
    func testSelfAliasIsAnErrorAtTheAlias() throws {
        let source = """
            neuron cell = cell
            population E = 100 cell
            connect E -> E fixed_indegree(10) weight 0.1 mV delay 1.5 ms
            record spikes E
            simulate 100 ms

            """
        let error = try XCTUnwrap(singleError(source, .aliasCycle))
        XCTAssertEqual(error.line, 1)
        XCTAssertEqual(error.column, 15, error.description)
        XCTAssertTrue(error.message.contains("cell = cell"), error.message)
    }

    func testAliasCycleThroughTwoNamesIsAnError() {
        let source = """
            neuron a = b
            neuron b = a
            population E = 10 a
            record spikes E
            simulate 10 ms

            """
        let found = errors(compile(source).diagnostics)
        XCTAssertFalse(found.isEmpty)
        XCTAssertTrue(found.allSatisfy { $0.check == .aliasCycle }, found.map(\.description).description)
    }

    /// An alias declared before the neuron it names resolves to that neuron's parameters.
    func testForwardAliasResolvesToTheNamedModel() throws {
        let source = """
            neuron a = b
            neuron b = lif_delta(tau_m = 7 ms, V_th = -50 mV)
            population E = 100 a
            connect E -> E fixed_indegree(10) weight 0.1 mV delay 1.5 ms
            record spikes E
            simulate 100 ms

            """
        let spec = try XCTUnwrap(cleanSpec(source))
        let population = try XCTUnwrap(spec.population(named: "E"))
        let p = try XCTUnwrap(population.model.lifParameters)
        XCTAssertEqual(p.tauM, 7)
        XCTAssertEqual(p.threshold, -50)
        XCTAssertEqual(spec.projections.map(\.name), ["E->E"])
        XCTAssertEqual(spec.recordings.count, 1)
    }

    // MARK: the spec holds every declaration

    /// Every accepted file in Networks/ lowers into a spec with every declared population, every
    /// projection (one per source-target pair of each `connect`) and every recording (one per
    /// subject of each `record`), counted from the parsed statements, not from the checker.
    func testEveryNetworkFileSpecHasEveryDeclaration() throws {
        var files = try FileManager.default.contentsOfDirectory(atPath: networksDirectory).filter { $0.hasSuffix(".vsl") }
        files += try FileManager.default.contentsOfDirectory(atPath: networksDirectory + "/paper")
            .filter { $0.hasSuffix(".vsl") }.map { "paper/" + $0 }
        XCTAssertGreaterThan(files.count, 5)
        for name in files {
            let path = networkFile(name)
            let source = try String(contentsOfFile: path, encoding: .utf8)
            let result = NetworkLanguage.compile(fileAt: path)
            guard let spec = result.spec else {
                XCTFail("\(name) does not compile: \(errors(result.diagnostics).map(\.description))")
                continue
            }
            var lexer = Lexer(source: source, path: path)
            var parser = Parser(tokens: lexer.tokenize(), path: path)
            let statements = parser.parseProgram()
            var populations: [String] = []
            var projections = 0
            var recordings = 0
            for statement in statements {
                switch statement.kind {
                case .population(let n, _, _, _): populations.append(n.text)
                case .connect(let sources, let targets, _, _): projections += sources.count * targets.count
                case .record(_, let subjects, _): recordings += subjects.count
                default: break
                }
            }
            XCTAssertEqual(Set(spec.populations.map(\.name)), Set(populations), name)
            XCTAssertEqual(spec.projections.count, projections, name)
            XCTAssertEqual(spec.recordings.count, recordings, name)
        }
    }

    // MARK: what the builder or the run would refuse

    private func infeasible(_ source: String, line: Int, contains text: String,
                            file: StaticString = #filePath, lineNumber: UInt = #line) {
        let found = errors(compile(source).diagnostics)
        XCTAssertEqual(found.count, 1, found.map(\.description).description, file: file, line: lineNumber)
        guard let error = found.first else { return }
        XCTAssertEqual(error.line, line, error.description, file: file, line: lineNumber)
        XCTAssertTrue(error.message.contains(text), error.message, file: file, line: lineNumber)
    }

    func testInDegreeEqualToTheSourceWithoutAutapsesOrMultapses() {
        infeasible("""
            neuron lif = lif_delta()
            population E = 10 lif
            connect E -> E fixed_indegree(10) weight 0.1 mV delay 1.5 ms autapses false multapses false
            record spikes E
            simulate 10 ms

            """, line: 3, contains: "needs 10 distinct partners")
    }

    /// Multapses allowed: k above the pool is allowed (another rule's business), but a one-neuron
    /// pool without autapses has nothing to draw, and the draw would never end.
    func testOneNeuronPoolWithoutAutapses() {
        infeasible("""
            neuron lif = lif_delta()
            population E = 1 lif
            connect E -> E fixed_indegree(1) weight 0.1 mV delay 1.5 ms autapses false
            record spikes E
            simulate 10 ms

            """, line: 3, contains: "has no partner to draw")
        XCTAssertNotNil(cleanSpec("""
            neuron lif = lif_delta()
            population E = 10 lif
            connect E -> E fixed_indegree(9) weight 0.1 mV delay 1.5 ms autapses false multapses false
            record spikes E
            simulate 10 ms

            """))
    }

    /// Slices of one population that do not overlap have no autapse to exclude: an in-degree equal
    /// to the source slice is feasible without autapses or multapses (one degree check, at the
    /// rule, decides it).
    func testDisjointSlicesOfOnePopulationNeedNoSelfExclusion() {
        XCTAssertNotNil(cleanSpec("""
            neuron lif = lif_delta()
            population E = 10 lif
            connect E[0:5] -> E[5:10] fixed_indegree(5) weight 0.1 mV delay 1.5 ms autapses false multapses false
            record spikes E
            simulate 10 ms

            """))
    }

    func testTinyRecurrentDelayIsRefusedAtTheDelay() {
        infeasible("""
            neuron lif = lif_delta()
            population E = 10 lif
            connect E -> E fixed_indegree(2) weight 0.1 mV delay 1e-300 ms
            record spikes E
            simulate 10 ms

            """, line: 3, contains: "windows long")
    }

    func testResolutionBelowOneNanosecond() {
        infeasible(minimalNetwork + "simulate 10 ms resolution 1e-300 ms\n", line: 6, contains: "delay resolution must be at least")
    }

    func testSourceRateAndSpreadBounds() {
        infeasible("""
            neuron lif = lif_delta()
            population P = 10 poisson_source(rate = 1e15 Hz)
            population E = 10 lif
            connect P -> E all_to_all weight 0.1 mV delay 1 ms
            record spikes E
            simulate 10 ms

            """, line: 2, contains: "reach 1000000000000000.0 Hz")
        infeasible("""
            neuron lif = lif_delta()
            population P = 10 poisson_source(rate = lognormal(mu = 2, sigma = 50, unit = 1 Hz))
            population E = 10 lif
            connect P -> E all_to_all weight 0.1 mV delay 1 ms
            record spikes E
            simulate 10 ms

            """, line: 2, contains: "1-in-10^9 upper quantile")
        infeasible(minimalNetwork + "input x = poisson(rate = 1e15 Hz) -> E weight 0.1 mV\nsimulate 10 ms\n",
                   line: 6, contains: "must be at most 10000000 Hz")
    }

    func testBiasDrivenFiringWithoutRefractoryPeriod() {
        infeasible("""
            neuron lif = lif_delta(I_e = 1e12 pA, t_ref = 0 ms)
            population E = 10 lif
            record spikes E
            simulate 10 ms

            """, line: 2, contains: "would fire at")
    }

    func testEscapeNoiseHazardWithoutRefractoryPeriod() {
        infeasible("""
            neuron lif = lif_delta(I_e = 1000 pA, t_ref = 0 ms, rho_0 = 10 Hz, delta_V = 0.01 mV)
            population E = 10 lif
            record spikes E
            simulate 10 ms

            """, line: 2, contains: "escape hazard")
        // With a refractory period the hazard is bounded by 1/t_ref: accepted.
        XCTAssertNotNil(cleanSpec("""
            neuron lif = lif_delta(I_e = 1000 pA, t_ref = 2 ms, rho_0 = 10 Hz, delta_V = 0.01 mV)
            population E = 10 lif
            record spikes E
            simulate 10 ms

            """))
    }

    func testSamplingIntervalBounds() {
        infeasible(minimalNetwork + "record membrane E every 1e-9 ms\nsimulate 10 ms\n",
                   line: 6, contains: "samples per")
    }

    func testHugeTimeConstantIsRefusedWithItsRange() {
        infeasible("""
            synapse b = bayesian(tau = 1e300 ms)
            neuron lif = lif_delta()
            population E = 10 lif
            connect E -> E fixed_indegree(2) delay 1.5 ms using b
            record spikes E
            simulate 10 ms

            """, line: 1, contains: "must be at most 10000000000 ms")
    }

    /// `linear_readout(sigma_0)` and the feedback block's sigma_0 are one noise; the run refused a
    /// disagreement without a line.
    func testReadoutNoiseMustAgreeWithTheFeedbackBlock() throws {
        let path = networkFile("paper/bayesian_vs_classical_supervised.vsl")
        let source = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "linear_readout(sigma_0 = 2 mV)", with: "linear_readout(sigma_0 = 3 mV)")
        let found = errors(compile(source).diagnostics)
        XCTAssertEqual(found.map(\.check), [.infeasible], found.map(\.description).description)
        XCTAssertTrue(found.first?.message.contains("must agree") ?? false)
        XCTAssertEqual(found.first?.line, source.components(separatedBy: "\n").firstIndex { $0.hasPrefix("feedback readout") }.map { $0 + 1 })
    }

    /// `one_to_one autapses false` within one population builds nothing (every pair is i -> i);
    /// the estimate once counted 10 synapses.
    func testOneToOneWithoutAutapsesIsEstimatedAtZero() throws {
        let spec = try XCTUnwrap(cleanSpec("""
            neuron lif = lif_delta()
            population E = 10 lif
            connect E -> E one_to_one weight 0.1 mV delay 1.5 ms autapses false
            connect E[0:5] -> E[5:10] one_to_one weight 0.1 mV delay 1.5 ms autapses false
            record spikes E
            simulate 10 ms

            """))
        XCTAssertEqual(expectedSynapseCount(of: spec.projections[0], in: spec), 0)
        XCTAssertEqual(expectedSynapseCount(of: spec.projections[1], in: spec), 5)
    }

    /// A spike-time file with CRLF line ends is read line by line.
    func testCRLFSpikeTimeFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crlf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("1.5\r\n2.5\r\n# comment\r\n4\r\n".utf8).write(to: directory.appendingPathComponent("times.txt"))
        let source = """
            neuron lif = lif_delta()
            population S = 1 spike_source(times = file("times.txt"))
            population E = 1 lif
            connect S -> E all_to_all weight 0.1 mV delay 1 ms
            record spikes E
            simulate 10 ms

            """
        let result = NetworkLanguage.compile(source: source, path: directory.appendingPathComponent("net.vsl").path)
        let spec = try XCTUnwrap(result.spec, result.diagnostics.map(\.description).description)
        XCTAssertEqual(spec.population(named: "S")?.model, .spikeSource(times: [[1.5, 2.5, 4]]))
    }
}
