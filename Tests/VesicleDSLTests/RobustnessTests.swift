// Invalid input must produce diagnostics, never a trap, hang or stack overflow. Thousands of seeded
// mutations of the Networks/ files (byte flips, truncations, deleted, duplicated and swapped tokens,
// invalid UTF-8) plus hand-made pathological inputs must each either compile or yield an error.

import Foundation
import XCTest
@testable import VesicleDSL
import VesicleModel

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator so the mutations are reproducible.
private struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

final class RobustnessTests: XCTestCase {
    private let mutationsPerFile = 600

    /// A hang guard, not a performance bound: every input here compiles in milliseconds.
    private let hangGuardSeconds = 5.0

    private func assertCompilesOrDiagnoses(_ bytes: [UInt8], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let started = Date()
        let result = NetworkLanguage.compile(bytes: bytes, path: "fuzz.vsl", memoryLimit: 1 << 34)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, hangGuardSeconds, label, file: file, line: line)
        let hasErrors = result.diagnostics.contains { $0.severity == .error }
        XCTAssertEqual(result.spec == nil, hasErrors, "\(label): a spec exactly when there is no error", file: file, line: line)
        let source = String(decoding: bytes, as: UTF8.self)
        for diagnostic in result.diagnostics {
            XCTAssertGreaterThanOrEqual(diagnostic.line, 1, label, file: file, line: line)
            XCTAssertLessThanOrEqual(diagnostic.range.offset + diagnostic.range.length, bytes.count, label, file: file, line: line)
            XCTAssertFalse(diagnostic.rendered(source: source).isEmpty, file: file, line: line)
        }
    }

    private func networkSources() throws -> [[UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: networksDirectory).filter { $0.hasSuffix(".vsl") }.sorted()
        return try names.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: networkFile($0)))) }
    }

    /// Byte ranges of the tokens of `bytes`, from the lexer itself.
    private func tokenRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var lexer = Lexer(source: String(decoding: bytes, as: UTF8.self), path: "")
        return lexer.tokenize().dropLast().map { $0.range.offset..<($0.range.offset + $0.range.length) }
    }

    func testSeededMutationsOfNetworkFiles() throws {
        var random = SplitMix64(state: 20_260_101)  // seed of the mutation stream
        let sources = try networkSources()
        var mutants = 0
        for source in sources {
            let tokens = tokenRanges(source)
            for round in 0..<mutationsPerFile {
                var bytes = source
                switch round % 6 {
                case 0:  // flip 1-4 bytes to arbitrary values (including invalid UTF-8)
                    for _ in 0...random.below(4) { bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next()) }
                case 1:  // truncate
                    bytes = Array(bytes.prefix(random.below(bytes.count)))
                case 2:  // delete a token
                    let token = tokens[random.below(tokens.count)]
                    bytes.removeSubrange(token)
                case 3:  // duplicate a token
                    let token = tokens[random.below(tokens.count)]
                    bytes.insert(contentsOf: bytes[token], at: token.lowerBound)
                case 4:  // move a token elsewhere
                    let token = tokens[random.below(tokens.count)]
                    let moved = Array(bytes[token])
                    bytes.removeSubrange(token)
                    bytes.insert(contentsOf: moved + [UInt8(ascii: " ")], at: random.below(bytes.count + 1))
                default:  // replace a token by a hostile one
                    let token = tokens[random.below(tokens.count)]
                    let hostile = ["1e999", "-1e308 * 1e308", "0", "-1", "(", ")", "[", "]", "{", "}", "->", "\"", "#",
                                   "\u{FFFD}", "\u{0}", "9999999999999999999999", "0/0", "E[", ":", "=", ",", "let"]
                    bytes.replaceSubrange(token, with: Array(hostile[random.below(hostile.count)].utf8))
                }
                assertCompilesOrDiagnoses(bytes, "mutation \(round) of a \(source.count)-byte file")
                mutants += 1
            }
        }
        XCTAssertEqual(mutants, sources.count * mutationsPerFile)
    }

    func testPathologicalInputs() {
        let depth = 10_000
        let cases: [(String, [UInt8])] = [
            ("empty file", []),
            ("only a comment", Array("# nothing\n".utf8)),
            ("nested parentheses", Array(("let x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)).utf8)),
            ("unclosed parentheses", Array(("let x = " + String(repeating: "(", count: depth)).utf8)),
            ("unary minus chain", Array(("let x = " + String(repeating: "-", count: depth) + "1").utf8)),
            ("nested lists", Array(("let x = " + String(repeating: "[", count: depth)).utf8)),
            ("nested calls", Array(("let x = " + String(repeating: "exp(", count: depth) + "0" + String(repeating: ")", count: depth)).utf8)),
            ("nested slices", Array(("record spikes " + String(repeating: "E[", count: depth)).utf8)),
            ("long sum", Array(("let x = 1" + String(repeating: " + 1", count: depth)).utf8)),
            ("huge number", Array("let x = 1e999".utf8)),
            ("huge product", Array("let x = 1e300 * 1e300".utf8)),
            ("invalid UTF-8", [0x6C, 0x65, 0x74, 0x20, 0xFF, 0xFE, 0x0A, 0xC3]),
            ("overlong UTF-8", [0xC0, 0xAF, 0x0A]),
            ("NUL bytes", [0, 0, 0]),
            ("unterminated string", Array("output \"runs".utf8)),
            ("huge population", Array("population P = 1e15 lif_delta\nconnect P -> P all_to_all weight 1 mV delay 1 ms".utf8)),
            ("huge slice", Array("population P = 10 lif_delta\nrecord spikes P[9007199254740992:9007199254740993]".utf8)),
            ("huge exponent", Array(("let x = " + String(repeating: "(", count: 150) + "1 ms" + String(repeating: " * 1 ms)", count: 150)).utf8)),
        ]
        for (label, bytes) in cases {
            assertCompilesOrDiagnoses(bytes, label)
        }
    }

    func testNestingLimitIsReportedForDeepParentheses() {
        let source = "let x = " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let result = compile(source)
        XCTAssertEqual(errors(result.diagnostics).map(\.check), [.nestingLimit])
        XCTAssertEqual(errors(result.diagnostics).first?.message, "expression nested deeper than \(Parser.nestingLimit) levels")
    }

    func testInvalidUTF8IsReportedAtTheFirstBadByte() {
        let bytes: [UInt8] = Array("let a = 1\nlet b = ".utf8) + [0xFF] + Array(" 2\n".utf8)
        let result = NetworkLanguage.compile(bytes: bytes, path: "bad.vsl")
        XCTAssertNil(result.spec)
        XCTAssertEqual(result.diagnostics.map(\.description), ["bad.vsl:2:9: error: the file is not valid UTF-8 text"])
    }

    func testUnreadableFileIsADiagnostic() {
        let result = NetworkLanguage.compile(fileAt: "/nonexistent/network.vsl")
        XCTAssertNil(result.spec)
        XCTAssertEqual(result.diagnostics.map(\.check), [.unreadableFile])
    }
}
