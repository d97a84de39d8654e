// One test per named check of the checker (CheckID), each on a minimal file with one mistake.

import XCTest
@testable import VesicleDSL
import VesicleModel

final class NamedCheckTests: XCTestCase {
    func testMinimalNetworkIsClean() {
        XCTAssertNotNil(cleanSpec(minimalNetwork))
    }

    // MARK: undefined-name

    func testUndefinedConstantSuggestsClosestName() {
        let error = singleError("let C_E = 10\n" + minimalNetwork.replacingOccurrences(of: "fixed_indegree(10)", with: "fixed_indegree(C_e)"),
                                .undefinedName)
        XCTAssertEqual(error?.message, "undefined constant 'C_e'")
        XCTAssertEqual(error?.suggestion, "C_E")
        XCTAssertEqual(error?.line, 5)
        XCTAssertEqual(error?.column, 34)
        XCTAssertEqual(error?.length, 3)
    }

    func testUndefinedPopulationSuggestsClosestPopulation() {
        let error = singleError(minimalNetwork + "record spikes Exc\npopulation Exc2 = 3 lif\nconnect Exc2 -> E all_to_all weight 1 mV delay 1 ms",
                                .undefinedName)
        XCTAssertEqual(error?.message, "undefined population 'Exc'")
        XCTAssertEqual(error?.suggestion, "Exc2")
    }

    func testUnitNameIsNeverSilentlyAUnit() {
        let error = singleError(minimalNetwork + "let D = ms", .undefinedName)
        XCTAssertEqual(error?.message, "undefined constant 'ms'")
        XCTAssertTrue(error?.notes.first?.contains("directly after a number") ?? false)
    }

    func testConstantUsedBeforeItsDefinition() {
        let error = singleError(minimalNetwork + "let a = b * 2\nlet b = 1", .undefinedName)
        XCTAssertEqual(error?.message, "constant 'b' is used before its definition at line 7")
    }

    /// A constant whose own definition is wrong is reported there once, not again at every use.
    func testFailedConstantIsReportedOnlyAtItsDefinition() {
        let error = singleError("let d = 1.5 ms + 1 mV\n" + minimalNetwork.replacingOccurrences(of: "delay 1.5 ms", with: "delay d")
                                + "let later = d * 2\n", .dimensionMismatch)
        XCTAssertEqual(error?.line, 1)
        XCTAssertEqual(singleError("let a = a + 1\n" + minimalNetwork, .undefinedName)?.message,
                       "constant 'a' is used before its definition at line 1")
    }

    // MARK: duplicate-definition

    func testDuplicateDefinitionAcrossKinds() {
        let error = singleError(minimalNetwork + "let E = 3", .duplicateDefinition)
        XCTAssertEqual(error?.message, "'E' is already defined")
        XCTAssertEqual(error?.notes.first, "'E' was defined as a population at line 2, column 12")
    }

    func testDuplicateProjectionName() {
        let error = singleError(minimalNetwork + "connect E -> I all_to_all weight 0.1 mV delay 1 ms", .duplicateDefinition)
        XCTAssertEqual(error?.message, "projection 'E->I' is already defined")
    }

    func testRedefiningAUnitIsRefused() {
        XCTAssertEqual(singleError(minimalNetwork + "let mV = 3", .duplicateDefinition)?.line, 6)
    }

    // MARK: dimension-mismatch

    func testWeightWithTheWrongDimension() {
        let error = singleError(minimalNetwork.replacingOccurrences(of: "weight 0.1 mV", with: "weight 0.1 ms"), .dimensionMismatch)
        XCTAssertEqual(error?.message, "a synaptic weight must be a voltage (mV), found a time (ms)")
    }

    func testPlainNumberWhereAUnitIsNeeded() {
        let error = singleError(minimalNetwork.replacingOccurrences(of: "delay 1.5 ms", with: "delay 1.5"), .dimensionMismatch)
        XCTAssertEqual(error?.message, "a delay must be a time (ms), found a plain number")
        XCTAssertEqual(error?.notes.first, "a plain number has no unit; write e.g. '1.5 ms'")
    }

    func testAddingTimeAndVoltage() {
        let error = singleError(minimalNetwork + "let x = 1 ms + 2 mV", .dimensionMismatch)
        XCTAssertEqual(error?.message, "cannot add a time (ms) and a voltage (mV)")
        XCTAssertEqual(error?.column, 9)
        XCTAssertEqual(error?.length, 11)
    }

    func testLifExpWeightsAreCurrents() {
        let source = """
            population A = 10 lif_exp
            connect A -> A all_to_all weight 1 mV delay 1 ms
            record spikes A
            """
        XCTAssertEqual(singleError(source, .dimensionMismatch)?.message,
                       "a synaptic weight must be a current (pA), found a voltage (mV)")
    }

    // MARK: out-of-range

    func testNegativeTimeConstant() {
        let error = singleError(minimalNetwork.replacingOccurrences(of: "tau_m = 20 ms", with: "tau_m = -20 ms"), .outOfRange)
        XCTAssertEqual(error?.message, "tau_m (membrane time constant) must be positive, found -20 ms")
    }

    func testProbabilityAboveOne() {
        let source = minimalNetwork + "connect I -> E pairwise_bernoulli(1.2) weight -0.5 mV delay 1 ms"
        XCTAssertEqual(singleError(source, .outOfRange)?.message, "the connection probability p must lie in [0, 1], found 1.2")
    }

    func testInDegreeLargerThanSource() {
        let source = minimalNetwork + "connect I -> E fixed_indegree(30) weight -0.5 mV delay 1 ms multapses false"
        XCTAssertEqual(singleError(source, .outOfRange)?.message, "in-degree 30 is larger than the source I (25 neurons)")
    }

    func testZeroDelay() {
        let source = minimalNetwork.replacingOccurrences(of: "delay 1.5 ms", with: "delay 0 ms")
        XCTAssertEqual(singleError(source, .outOfRange)?.message, "a delay must be positive; found 0 ms")
    }

    func testUnclippedNormalDelayCanBeNegative() {
        let source = minimalNetwork.replacingOccurrences(of: "delay 1.5 ms", with: "delay normal(1.5 ms, 0.2 ms)")
        XCTAssertEqual(singleError(source, .outOfRange)?.check, .outOfRange)
        let clipped = minimalNetwork.replacingOccurrences(of: "delay 1.5 ms", with: "delay normal(1.5 ms, 0.2 ms, clip = positive)")
        XCTAssertNotNil(cleanSpec(clipped))
    }

    func testPriorVarianceAndTauMustBePositive() {
        XCTAssertEqual(singleError(minimalNetwork + "synapse syn = bayesian(prior_var = 0)", .outOfRange)?.message,
                       "prior_var (sigma2_pr) must be positive, found 0")
        XCTAssertEqual(singleError(minimalNetwork + "synapse syn = bayesian(tau = -1 s)", .outOfRange)?.message,
                       "tau (prior time constant) must be positive, found -1000 ms")
    }

    func testNegativeFixedRatio() {
        let error = singleError(minimalNetwork + "synapse syn = bayesian(release = fixed_ratio(k = -0.1 mV))", .outOfRange)
        XCTAssertEqual(error?.message, "k (PSP variance per unit mean) cannot be negative, found -0.1 mV")
    }

    func testOverflowingExpression() {
        XCTAssertEqual(singleError(minimalNetwork + "let x = exp(1000)", .outOfRange)?.message,
                       "the value of this expression is not finite (overflow, or division by zero)")
    }

    // MARK: unknown-parameter

    func testUnknownModelParameterSuggestsClosest() {
        let error = singleError(minimalNetwork.replacingOccurrences(of: "V_reset = 10 mV", with: "V_rest = 10 mV"), .unknownParameter)
        XCTAssertEqual(error?.message, "neuron model 'lif_delta' has no parameter 'V_rest'")
        XCTAssertEqual(error?.suggestion, "V_reset")
    }

    func testSynapticTimeConstantOnDeltaNeuron() {
        let error = singleError(minimalNetwork.replacingOccurrences(of: "V_th = 20 mV", with: "V_th = 20 mV, tau_syn_ex = 2 ms"),
                                .unknownParameter)
        XCTAssertEqual(error?.notes.first, "lif_delta synapses are voltage jumps; synaptic time constants belong to lif_exp")
    }

    func testUnknownBayesianParameter() {
        let error = singleError(minimalNetwork + "synapse syn = bayesian(prior_varr = 0.1)", .unknownParameter)
        XCTAssertEqual(error?.suggestion, "prior_var")
    }

    /// A file name for a recording was parsed but never honoured; it is refused where it stands.
    func testRecordingFileNameIsRefusedNotIgnored() {
        let source = minimalNetwork + "record membrane E[0:5] every 1 ms to \"v.csv\""
        let error = singleError(source, .unknownParameter)
        XCTAssertEqual(error?.message, "'record' takes no 'to': recordings are written to the run directory's standard files")
        let line = source.split(separator: "\n", omittingEmptySubsequences: false).count
        XCTAssertEqual(error?.line, line)
        XCTAssertEqual(error?.column, 35)
        XCTAssertEqual(error?.length, 2)
    }

    // MARK: missing-parameter

    func testPoissonInputWithoutRate() {
        let error = singleError(minimalNetwork + "input ext = poisson() -> E weight 0.1 mV delay 1 ms", .missingParameter)
        XCTAssertEqual(error?.message, "input kind 'poisson' needs 'rate'")
    }

    func testConnectWithoutDelay() {
        let error = singleError(minimalNetwork.replacingOccurrences(of: " delay 1.5 ms", with: ""), .missingParameter)
        XCTAssertEqual(error?.message, "connect needs 'delay', the transmission delay")
    }

    func testClassicalRuleWithoutLearningRate() {
        let error = singleError(minimalNetwork + "synapse syn = bayesian(rule = classical_supervised())", .missingParameter)
        XCTAssertEqual(error?.message, "learning rule 'classical_supervised' needs 'eta'")
    }

    func testEscapeNoiseNeedsBothParameters() {
        let error = singleError(minimalNetwork + "neuron esc = lif_delta(rho_0 = 10 Hz)\npopulation X = 2 esc\nrecord spikes X",
                                .missingParameter)
        XCTAssertEqual(error?.message, "neuron model 'lif_delta' with escape noise needs 'delta_V' as well as 'rho_0'")
    }

    // MARK: slice-out-of-range

    func testSliceBeyondPopulation() {
        let error = singleError(minimalNetwork + "record spikes I[20:30]", .sliceOutOfRange)
        XCTAssertEqual(error?.message, "slice [20:30] is outside population 'I'")
        XCTAssertEqual(error?.column, 15)
    }

    func testEmptySlice() {
        XCTAssertEqual(singleError(minimalNetwork + "record spikes E[5:5]", .sliceOutOfRange)?.message,
                       "slice [5:5] of population 'E' is empty")
    }

    // MARK: feedback-missing

    func testSupervisedRuleWithoutFeedback() {
        let source = minimalNetwork + """
            synapse plastic = bayesian(rule = supervised)
            connect I -> E all_to_all using plastic weight -1 mV delay 1 ms
            """
        let error = singleError(source, .feedbackMissing)
        XCTAssertEqual(error?.message,
                       "synapse type 'plastic' learns with rule 'supervised', which needs feedback, but population 'E' receives none")
        XCTAssertEqual(error?.line, 7)
        XCTAssertEqual(error?.column, 33)
        XCTAssertNotNil(cleanSpec(source + "\nfeedback E { teacher = ou(mean = -0.669, var = 0.07448, tau = 1000 s) }"))
    }

    // MARK: release-mode-unusable

    func testReinforcementNeedsNoisyRelease() {
        let source = minimalNetwork + """
            synapse rl = bayesian(rule = reinforcement, release = mean)
            connect I -> E all_to_all using rl weight -1 mV delay 1 ms
            feedback E { teacher = ou() }
            """
        let error = singleError(source, .releaseModeUnusable)
        XCTAssertEqual(error?.message, "rule 'reinforcement' of synapse type 'rl' needs noisy release, but release is 'mean'")
        XCTAssertNotNil(cleanSpec(source.replacingOccurrences(of: "release = mean", with: "release = fixed_ratio(k = 0.0877 mV)")))
    }

    // MARK: memory-limit

    func testNetworkLargerThanMemoryIsRefusedWithTheEstimate() {
        // 100 + 25 neurons at 64 bytes, 1250 static synapses at 4 bytes = 13 000 bytes.
        let tight = compile(minimalNetwork, memoryLimit: 12_999)
        XCTAssertNil(tight.spec)
        let error = errors(tight.diagnostics).first
        XCTAssertEqual(error?.check, .memoryLimit)
        XCTAssertEqual(error?.message, "the network needs an estimated 12.7 KiB, more than the 12.7 KiB of memory available")
        XCTAssertNotNil(compile(minimalNetwork, memoryLimit: 13_000).spec)
    }

    func testHugeNetworkIsRefusedAgainstPhysicalMemory() {
        let source = "population P = 1000000 lif_delta\nconnect P -> P all_to_all weight 1 mV delay 1 ms\nrecord spikes P"
        let result = NetworkLanguage.compile(source: source, path: "huge.vsl")
        XCTAssertEqual(errors(result.diagnostics).map(\.check), [.memoryLimit])
        XCTAssertTrue(errors(result.diagnostics).first?.message.contains("3.6 TiB") ?? false)
    }

    // MARK: warnings

    func testUnusedPopulationWarns() {
        let result = compile(minimalNetwork + "population Idle = 4 lif")
        XCTAssertNotNil(result.spec)
        XCTAssertEqual(warnings(result.diagnostics).map(\.message), ["population 'Idle' is never connected, driven or recorded"])
    }

    func testWarmupLongerThanDurationWarns() {
        let result = compile(minimalNetwork + "simulate 50 ms warmup 100 ms")
        XCTAssertNotNil(result.spec)
        XCTAssertEqual(warnings(result.diagnostics).map(\.message),
                       ["the warm-up (100 ms) is longer than the recorded duration (50 ms)"])
    }

    func testDelayBelowResolutionWarns() {
        let result = compile(minimalNetwork.replacingOccurrences(of: "delay 1.5 ms", with: "delay uniform(0.05 ms, 1 ms)"))
        XCTAssertNotNil(result.spec)
        // One cause, two projections: shown once, with a count (Checker+Warnings).
        XCTAssertEqual(warnings(result.diagnostics).count, 1)
        XCTAssertTrue(warnings(result.diagnostics).allSatisfy { $0.message.contains("below the delay resolution 0.1 ms") })
        XCTAssertEqual(warnings(result.diagnostics).first?.notes.last, "the same warning applies 1 more time (shown once): 'E->I'")
    }

    // MARK: all independent errors in one run

    func testIndependentErrorsAreAllReported() {
        let source = minimalNetwork + """
            let a = 1 ms + 1 mV
            connect E -> Q all_to_all weight 1 mV delay 1 ms
            connect E -> I fixed_indegree(10) wieght 1 mV delay 1 ms
            record spikes E[0:500]
            simulate -1 s
            """
        let result = compile(source)
        XCTAssertEqual(errors(result.diagnostics).map(\.check),
                       [.dimensionMismatch, .undefinedName, .syntax, .sliceOutOfRange, .outOfRange])
        XCTAssertEqual(errors(result.diagnostics).map(\.line), [6, 7, 8, 9, 10])
    }

    func testErrorsInANeuronDoNotHideErrorsWhereItIsUsed() {
        let source = """
            neuron cell = lif_delta(tau_m = 20 mV)
            population P = 10 cell
            connect P -> P all_to_all weight 1 pA delay 1 ms
            record spikes P[5:50]
            """
        XCTAssertEqual(errors(compile(source).diagnostics).map(\.check), [.dimensionMismatch, .dimensionMismatch, .sliceOutOfRange])
    }

    func testResetAboveDefaultThresholdNamesTheDefault() {
        let error = singleError("population P = 1 lif_delta(E_L = 0 mV, V_reset = 10 mV)\nrecord spikes P", .outOfRange)
        XCTAssertEqual(error?.message, "V_reset (10 mV) must lie below V_th (-55 mV)")
        XCTAssertEqual(error?.notes, ["V_th is not given, so it is its default, -55 mV"])
    }
}
