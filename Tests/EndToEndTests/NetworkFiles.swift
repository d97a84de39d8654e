// Helpers shared by the end-to-end tests: the repository's Networks/ folder and compiling its files.

import Foundation
import XCTest
import VesicleDSL
import VesicleModel

/// The repository's Networks/ folder, found from this file's location.
let networksFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Networks")

/// Compiles `Networks/<name>`, failing the calling test on any error diagnostic.
func compileNetworkFile(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> NetworkSpec {
    let (spec, diagnostics) = NetworkLanguage.compile(fileAt: networksFolder.appendingPathComponent(name).path)
    XCTAssertTrue(diagnostics.allSatisfy { $0.severity != .error }, "\(name): \(diagnostics)", file: file, line: line)
    return try XCTUnwrap(spec, name, file: file, line: line)
}
