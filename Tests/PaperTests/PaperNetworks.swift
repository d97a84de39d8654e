import Foundation
import VesicleDSL
import VesicleModel
import VesicleSynapses
import XCTest

/// The experiment files of `Networks/paper`, located from this source file.
enum PaperNetworks {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Networks/paper")

    static func spec(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> NetworkSpec {
        let path = directory.appendingPathComponent("\(name).vsl").path
        let (spec, diagnostics) = NetworkLanguage.compile(fileAt: path)
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(name): \(diagnostics.map(\.message))",
                       file: file, line: line)
        return try XCTUnwrap(spec, "\(name) does not compile", file: file, line: line)
    }

    static func feedback(_ name: String, seed: UInt64? = nil) throws -> FeedbackExperimentParameters {
        var s = try spec(name)
        if let seed { s.simulation.seed = seed }
        return try FeedbackExperiment(spec: s).parameters
    }
}
