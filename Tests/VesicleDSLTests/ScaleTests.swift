// NetworkLanguage+Scale.swift: a file compiled with its `let scale = <written>` line replaced.

import Foundation
import XCTest
import VesicleDSL
import VesicleModel

final class ScaleTests: XCTestCase {
    /// A file whose population is `round(scale * 1000)` neurons, with `scaleLine` as its scale line.
    func file(_ scaleLine: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vsl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("net.vsl").path
        try """
            \(scaleLine)
            neuron lif = lif_delta(tau_m = 20 ms, E_L = 0 mV, V_th = 20 mV, V_reset = 10 mV)
            population E = round(scale * 1000) lif
            connect E -> E fixed_indegree(10) weight 0.1 mV delay 1.5 ms
            record spikes E

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Scale 0.02 as written: 20 neurons; rescaled to 0.05: 50; nil: as written.
    func testScaleLineIsReplaced() throws {
        let path = try file("let scale = 0.02")
        let rescaled = try NetworkLanguage.compile(fileAt: path, scale: 0.05, written: "0.02")
        XCTAssertEqual(rescaled.diagnostics.filter { $0.severity == .error }.map(\.description), [])
        XCTAssertEqual(try XCTUnwrap(rescaled.spec).populations.map(\.size), [50])
        let asWritten = try NetworkLanguage.compile(fileAt: path, scale: nil, written: "0.02")
        XCTAssertEqual(try XCTUnwrap(asWritten.spec).populations.map(\.size), [20])
    }

    /// A file without the line (here a longer value, 0.025, which a substring match would have
    /// turned into 0.055) is `ScaleLineMissing`, naming the file and the line.
    func testMissingScaleLineThrows() throws {
        let path = try file("let scale = 0.025")
        XCTAssertThrowsError(try NetworkLanguage.compile(fileAt: path, scale: 0.05, written: "0.02")) { error in
            XCTAssertEqual(error as? NetworkLanguage.ScaleLineMissing,
                           NetworkLanguage.ScaleLineMissing(path: path, line: "let scale = 0.02"))
            XCTAssertEqual("\(error)", "\(path): no line 'let scale = 0.02' to rescale")
        }
    }
}
