// Helpers shared by the network-language tests.

import XCTest
@testable import VesicleDSL
import VesicleModel

/// The repository's Networks/ folder, found from this file's location.
let networksDirectory: String = {
    let thisFile = URL(fileURLWithPath: #filePath)
    return thisFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Networks").path
}()

func networkFile(_ name: String) -> String { networksDirectory + "/" + name }

/// A minimal valid network that tests extend with the statement under test.
let minimalNetwork = """
    neuron lif = lif_delta(tau_m = 20 ms, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV)
    population E = 100 lif
    population I = 25 lif
    connect E -> E, I fixed_indegree(10) weight 0.1 mV delay 1.5 ms
    record spikes E, I

    """

func compile(_ source: String, memoryLimit: UInt64 = 1 << 40) -> (spec: NetworkSpec?, diagnostics: [Diagnostic]) {
    NetworkLanguage.compile(source: source, path: "test.vsl", memoryLimit: memoryLimit)
}

func errors(_ diagnostics: [Diagnostic]) -> [Diagnostic] { diagnostics.filter { $0.severity == .error } }

func warnings(_ diagnostics: [Diagnostic]) -> [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

/// Compiles `source`, expecting it to fail with exactly one error, from `check`; returns that error.
func singleError(_ source: String, _ check: CheckID, file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
    let result = compile(source)
    let found = errors(result.diagnostics)
    XCTAssertNil(result.spec, "a file with errors must not produce a spec", file: file, line: line)
    XCTAssertEqual(found.count, 1, "errors: \(found.map(\.description))", file: file, line: line)
    XCTAssertEqual(found.first?.check, check, "\(found.map(\.description))", file: file, line: line)
    return found.first
}

/// Compiles `source`, expecting no errors; returns the spec.
func cleanSpec(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> NetworkSpec? {
    let result = compile(source)
    XCTAssertEqual(errors(result.diagnostics).map(\.description), [], file: file, line: line)
    return result.spec
}
