// Rough edges a first user hit (issue 20 §5): a misspelt statement keyword reported at the word,
// one bad declaration not cascading into "undefined" errors, and an unreadable file's reason.

import Foundation
import XCTest
@testable import VesicleDSL
import VesicleModel

final class FirstUserRoughEdgeTests: XCTestCase {
    func testMisspeltStatementKeywordIsReportedAtTheWord() throws {
        let source = """
            neuron lif = lif_delta()
            population E = 100 lif
            population I = 25 lif
            conect E -> I fixed_indegree(10) weight 0.1 mV delay 1.5 ms
            record spikes E
            simulate 10 ms

            """
        let found = errors(compile(source).diagnostics)
        let error = try XCTUnwrap(found.first, "\(found)")
        XCTAssertEqual(found.count, 1, found.map(\.description).description)
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.column, 1)
        XCTAssertEqual(error.length, 6)
        XCTAssertEqual(error.suggestion, "connect")
        XCTAssertTrue(error.message.contains("found 'conect'"), error.message)
    }

    /// A syntax error in a population declaration is reported once; the lines that use the
    /// population do not each add "undefined population".
    func testBrokenDeclarationDoesNotCascade() {
        let source = """
            neuron lif = lif_delta()
            population E 100 lif
            population I = 25 lif
            connect E -> I fixed_indegree(10) weight 0.1 mV delay 1.5 ms
            connect E -> E fixed_indegree(10) weight 0.1 mV delay 1.5 ms
            record spikes E, I
            simulate 10 ms

            """
        let found = errors(compile(source).diagnostics)
        XCTAssertEqual(found.count, 1, found.map(\.description).description)
        XCTAssertEqual(found.first?.line, 2)
        XCTAssertFalse(found.contains { $0.check == .undefinedName }, found.map(\.description).description)
    }

    func testUnreadableFileSaysWhy() throws {
        let missing = NetworkLanguage.compile(fileAt: "/nonexistent-dir-\(UUID().uuidString)/net.vsl")
        XCTAssertTrue(missing.diagnostics.first?.message.contains("no such file") ?? false, "\(missing.diagnostics)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dir-\(UUID().uuidString).vsl")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let isDirectory = NetworkLanguage.compile(fileAt: directory.path)
        XCTAssertTrue(isDirectory.diagnostics.first?.message.contains("is a directory") ?? false, "\(isDirectory.diagnostics)")
    }
}
