// `stdp(...)`, `tsodyks(...)`, `record weights` and the lab input kinds in the language.

import Foundation
import XCTest
@testable import VesicleDSL
import VesicleModel

final class PlasticityLanguageTests: XCTestCase {
    let base = """
        population E = 100 lif_delta
        population X = 20 lif_exp
        input drive = poisson(rate = 10 kHz) -> E weight 0.1 mV delay 1 ms

        """

    func testSTDPAndTsodyksLowerToTheirSpecs() throws {
        let spec = try XCTUnwrap(cleanSpec(base + """
            synapse hebb = stdp(tau_plus = 16.8 ms, tau_minus = 33.7 ms, lambda = 0.05, alpha = 1.2, mu_plus = 0, mu_minus = 0.5, Wmax = 0.3 mV, pairing = nearest)
            synapse d = tsodyks(U = 0.3, u = 0.1, x = 0.9, tau_rec = 150 ms, tau_fac = 420 ms)
            connect E -> E fixed_indegree(10) using hebb weight 0.1 mV delay 1.5 ms
            connect E -> X fixed_indegree(10) using d weight 20 pA delay 1 ms
            record weights "E->E" every 100 ms limit 50
            record spikes E
            """))
        guard case .stdp(let rule)? = spec.synapseType(named: "hebb")?.kind else { return XCTFail("no stdp type") }
        XCTAssertEqual(rule.tauPlus, 16.8)
        XCTAssertEqual(rule.tauMinus, 33.7)
        XCTAssertEqual(rule.lambda, 0.05)
        XCTAssertEqual(rule.alpha, 1.2)
        XCTAssertEqual(rule.muPlus, 0)
        XCTAssertEqual(rule.muMinus, 0.5)
        XCTAssertEqual(rule.wMax, 0.3, accuracy: 1e-15)
        XCTAssertEqual(rule.pairing, .nearest)
        guard case .tsodyks(let model)? = spec.synapseType(named: "d")?.kind else { return XCTFail("no tsodyks type") }
        XCTAssertEqual(model, { var m = TsodyksSynapseSpec(); m.U = 0.3; m.u = 0.1; m.x = 0.9; m.tauRec = 150; m.tauFac = 420; return m }())
        XCTAssertTrue(spec.recordings.contains { $0.kind == .weights(projection: "E->E", interval: 100, limit: 50) })
    }

    func testSTDPOnABayesianSynapseIsRefusedWhereItIsWritten() throws {
        let error = try XCTUnwrap(singleError(base + "synapse b = bayesian(rule = stdp(tau_plus = 20 ms))\n", .invalidValue))
        XCTAssertEqual(error.message, "STDP cannot drive a Bayesian synapse")
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.column, 29)
        XCTAssertTrue(error.notes.joined().contains("synaptic_filter"))
    }

    func testWmaxMustBeOfTheTargetsWeightKind() throws {
        let error = try XCTUnwrap(singleError(base + """
            synapse hebb = stdp(Wmax = 1 mV)
            connect E -> X fixed_indegree(10) using hebb weight 5 pA delay 1 ms
            """, .dimensionMismatch))
        XCTAssertTrue(error.message.contains("bounds weights by a voltage"), error.message)
        XCTAssertEqual(error.line, 5)
    }

    func testWeightsOutsideTheBoundAndRandomDelaysAreRefused() throws {
        let weight = try XCTUnwrap(singleError(base + """
            synapse hebb = stdp(Wmax = 0.2 mV)
            connect E -> E fixed_indegree(10) using hebb weight 0.3 mV delay 1 ms
            """, .outOfRange))
        XCTAssertTrue(weight.message.contains("between 0 and Wmax"), weight.message)
        let delay = try XCTUnwrap(singleError(base + """
            synapse d = tsodyks(U = 0.5)
            connect E -> E fixed_indegree(10) using d weight 0.1 mV delay uniform(1 ms, 2 ms)
            """, .invalidValue))
        XCTAssertTrue(delay.message.contains("one delay"), delay.message)
        XCTAssertEqual(delay.line, 5)
        XCTAssertEqual(delay.column, 63)
    }

    func testTsodyksFractionsAndWeightRecordingsAreChecked() throws {
        let u = try XCTUnwrap(singleError(base + "synapse d = tsodyks(U = 1.5)\n", .outOfRange))
        XCTAssertEqual(u.column, 25)
        let record = try XCTUnwrap(singleError(base + "connect E -> E fixed_indegree(10) weight 0.1 mV delay 1 ms\nrecord weights \"E->E\" every 10 ms\n",
                                               .invalidValue))
        XCTAssertTrue(record.message.contains("does not have STDP synapses"), record.message)
        XCTAssertEqual(record.line, 5)
    }

    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vesicle-inputs-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testSpikeTrainFilesGiveEachNeuronItsOwnTrain() throws {
        let csv = try temporaryFile("trains.csv", "neuron,time_ms\n2,5.5\n0,1.25\n# a comment\n2,3\n")
        let spec = try XCTUnwrap(cleanSpec(base + "input t = spike_trains(file = \"\(csv)\") -> E[0:4] weight 1 mV delay 1 ms\n"))
        XCTAssertEqual(spec.inputs.last?.kind, .spikeTrains([[1.25], [], [3, 5.5], []]))
        let lines = try temporaryFile("trains.txt", "1.5 2.5\n\n# neuron 2 next\n4, 0.5\n")
        let fromLines = try XCTUnwrap(cleanSpec(base + "input t = spike_trains(file = \"\(lines)\") -> E[0:3] weight 1 mV delay 1 ms\n"))
        XCTAssertEqual(fromLines.inputs.last?.kind, .spikeTrains([[1.5, 2.5], [], [0.5, 4]]))
    }

    func testBadSpikeTrainFilesAreReportedWithTheirLine() throws {
        let csv = try temporaryFile("bad.csv", "neuron,time_ms\n0,1\n1,abc\n")
        let error = try XCTUnwrap(singleError(base + "input t = spike_trains(file = \"\(csv)\") -> E weight 1 mV delay 1 ms\n", .invalidValue))
        XCTAssertTrue(error.message.hasSuffix("bad.csv:3: 'abc' is not a spike time (a non-negative number of ms)"), error.message)
        XCTAssertEqual(error.line, 4)
        let missing = try XCTUnwrap(singleError(base + "input t = spike_trains(file = \"/nonexistent/x.csv\") -> E weight 1 mV delay 1 ms\n", .unreadableFile))
        XCTAssertTrue(missing.message.hasSuffix("no such file"), missing.message)
        let many = try temporaryFile("many.csv", "5,1\n")
        let tooMany = try XCTUnwrap(singleError(base + "input t = spike_trains(file = \"\(many)\") -> E[0:3] weight 1 mV delay 1 ms\n", .invalidValue))
        XCTAssertEqual(tooMany.message, "the spike trains name 6 neurons, but the targets have 3")
    }

    func testRateAndCurrentTablesLower() throws {
        let spec = try XCTUnwrap(cleanSpec(base + """
            input a = inhomogeneous_poisson(rate_times = [0 ms, 100 ms], rate_values = [5 Hz, 20 Hz]) -> E weight 0.2 mV delay 1 ms
            input b = sinusoidal_poisson(rate = 10 Hz, amplitude = 5 Hz, frequency = 4 Hz, phase = 90) -> E weight 0.2 mV delay 1 ms
            input c = noise(mean = 10 pA, std = 50 pA, dt = 1 ms) -> E start 10 ms
            input d = step_current(amplitude_times = [10 ms, 20 ms], amplitude_values = [100 pA, -50 pA]) -> X
            """))
        XCTAssertEqual(spec.inputs[1].kind, .inhomogeneousPoisson(times: [0, 100], rates: [5, 20]))
        XCTAssertEqual(spec.inputs[2].kind, .sinusoidalPoisson(rate: 10, amplitude: 5, frequency: 4, phase: 90))
        XCTAssertEqual(spec.inputs[3].kind, .noiseCurrent(mean: 10, std: 50, dt: 1))
        XCTAssertEqual(spec.inputs[3].start, 10)
        XCTAssertEqual(spec.inputs[4].kind, .stepCurrent(times: [10, 20], amplitudes: [100, -50]))
    }

    func testBadTablesAreLocated() throws {
        let order = try XCTUnwrap(singleError(base + "input a = inhomogeneous_poisson(rate_times = [0 ms, 100 ms, 50 ms], rate_values = [1 Hz, 2 Hz, 3 Hz]) -> E weight 1 mV delay 1 ms\n",
                                              .invalidValue))
        XCTAssertTrue(order.message.contains("must increase strictly"), order.message)
        XCTAssertEqual(order.column, 46)
        let count = try XCTUnwrap(singleError(base + "input d = step_current(amplitude_times = [10 ms], amplitude_values = [1 pA, 2 pA]) -> E\n",
                                              .invalidValue))
        XCTAssertTrue(count.message.contains("the same number of entries"), count.message)
        let unit = try XCTUnwrap(singleError(base + "input c = noise(std = 5 mV, dt = 1 ms) -> E\n", .dimensionMismatch))
        XCTAssertEqual(unit.column, 23)
    }
}
