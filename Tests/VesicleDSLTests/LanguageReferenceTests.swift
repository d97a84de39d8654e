// Every example in docs/LANGUAGE.md is a complete file that compiles without errors.

import XCTest
@testable import VesicleDSL

final class LanguageReferenceTests: XCTestCase {
    func testEveryExampleInTheLanguageReferenceCompiles() throws {
        let path = URL(fileURLWithPath: networksDirectory).deletingLastPathComponent()
            .appendingPathComponent("docs/LANGUAGE.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var examples: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```vsl" {
                current = []
            } else if current != nil, line == "```" {
                examples.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        XCTAssertGreaterThanOrEqual(examples.count, 12)
        for (index, example) in examples.enumerated() {
            let result = compile(example)
            XCTAssertEqual(errors(result.diagnostics).map(\.description), [], "example \(index + 1):\n\(example)")
        }
    }
}
