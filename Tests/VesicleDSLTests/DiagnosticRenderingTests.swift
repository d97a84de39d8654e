// The rendered form of a diagnostic: location line, source line, underline, help and notes.

import XCTest
@testable import VesicleDSL

final class DiagnosticRenderingTests: XCTestCase {
    func testRenderingWithCaretUnderlineAndSuggestion() {
        let source = "let C_E = 1000\nconnect E -> E fixed_indegree(C_e)\n"
        let diagnostic = Diagnostic(.error, .undefinedName, "undefined constant 'C_e'", path: "net.vsl",
                                    range: SourceRange(offset: 45, length: 3, line: 2, column: 31), suggestion: "C_E")
        XCTAssertEqual(diagnostic.rendered(source: source), """
            net.vsl:2:31: error: undefined constant 'C_e'
            connect E -> E fixed_indegree(C_e)
                                          ^~~
            help: did you mean 'C_E'?

            """)
    }

    func testRenderedDiagnosticFromTheCompiler() {
        let source = "population E = 10 lif_delta(tau_m = 20 ms, V_thr = -50 mV)\nrecord spikes E\n"
        let result = NetworkLanguage.compile(source: source, path: "n.vsl")
        XCTAssertEqual(result.diagnostics.first?.rendered(source: source), """
            n.vsl:1:44: error: neuron model 'lif_delta' has no parameter 'V_thr'
            population E = 10 lif_delta(tau_m = 20 ms, V_thr = -50 mV)
                                                       ^~~~~
            help: did you mean 'V_th'?
            note: parameters: tau_m, C_m, E_L, V_th, V_reset, t_ref, I_e, rho_0, delta_V

            """)
    }

    func testUnderlineIsClippedToTheLineAndTabsAreSpaces() {
        let source = "\tlet x = (1\nlet y = 2\n"
        let diagnostic = Diagnostic(.warning, .suspicious, "w", path: "p", range: SourceRange(offset: 9, length: 30, line: 1, column: 10))
        XCTAssertEqual(diagnostic.rendered(source: source), "p:1:10: warning: w\n let x = (1\n         ^~\n")
    }

    func testColumnsCountCharactersNotBytes() {
        // "é" is two bytes but one column.
        let result = compile("# é\nlet é = 1\n")
        XCTAssertEqual(errors(result.diagnostics).first?.line, 2)
        XCTAssertEqual(errors(result.diagnostics).first?.column, 5)
    }

    func testUnknownUnitSuggestsTheUnit() {
        let error = singleError("let d = 3 mv", .syntax)
        XCTAssertEqual(error?.message, "unknown unit 'mv'")
        XCTAssertEqual(error?.suggestion, "mV")
    }

    func testMisspelledClauseSuggestsTheClause() {
        let error = singleError(minimalNetwork + "connect E -> I all_to_all wieght 1 mV delay 1 ms as \"x\"", .syntax)
        XCTAssertEqual(error?.message, "'wieght' is not a clause of 'connect'")
        XCTAssertEqual(error?.suggestion, "weight")
    }

    func testMisspelledStatementKeyword() {
        let error = singleError(minimalNetwork + "conect E -> I all_to_all weight 1 mV delay 1 ms", .syntax)
        XCTAssertEqual(error?.suggestion, "connect")
    }

    func testMissingClosingParenthesisPointsAtTheEndOfTheLine() {
        let source = "let x = ((1)\nlet y = 2\n"
        let error = singleError(source, .syntax)
        XCTAssertEqual(error?.rendered(source: source), """
            test.vsl:1:13: error: expected ')' to close the parenthesis opened at line 1, column 9, found the end of the line
            let x = ((1)
                        ^

            """)
    }

    func testErrorsInLaterStatementsAreReportedAfterASyntaxError() {
        let result = compile("let x = (1\nlet y = 1 ms + 1 mV\nlet z = q")
        XCTAssertEqual(errors(result.diagnostics).map(\.check), [.syntax, .dimensionMismatch, .undefinedName])
    }
}
