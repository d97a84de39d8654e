// A message about a network file, located at a source range, rendered the way compilers do:
//   path:line:col: error: message
//   <the source line>
//      ^~~~
//   help: did you mean 'x'?

public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case error
        case warning
        case note
    }

    public var severity: Severity
    /// Which named check produced it; tests select diagnostics by this.
    public var check: CheckID
    public var message: String
    public var path: String
    public var range: SourceRange
    /// A replacement the user probably meant, rendered as "help: did you mean '...'?".
    public var suggestion: String?
    /// Further explanation, rendered as "note: ...".
    public var notes: [String]

    public init(_ severity: Severity, _ check: CheckID, _ message: String, path: String, range: SourceRange,
                suggestion: String? = nil, notes: [String] = []) {
        self.severity = severity
        self.check = check
        self.message = message
        self.path = path
        self.range = range
        self.suggestion = suggestion
        self.notes = notes
    }

    public var line: Int { range.line }
    public var column: Int { range.column }
    public var length: Int { range.length }

    /// The first line only, without the source excerpt.
    public var description: String {
        "\(path):\(range.line):\(range.column): \(severity.rawValue): \(message)"
    }

    /// The full rendering with the source line and an underline; `source` is the text the range refers to.
    public func rendered(source: String) -> String {
        var out = description + "\n"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if range.line >= 1, range.line <= lines.count {
            var text = String(lines[range.line - 1])
            if text.hasSuffix("\r") { text.removeLast() }
            text = String(text.map { $0 == "\t" ? " " : $0 })
            out += text + "\n"
            let lineCharacters = text.count
            let startColumn = min(max(range.column, 1), lineCharacters + 1)
            let underlineCharacters = underlineLength(in: text, from: startColumn)
            out += String(repeating: " ", count: startColumn - 1) + "^"
                + String(repeating: "~", count: max(0, underlineCharacters - 1)) + "\n"
        }
        if let suggestion {
            out += "help: did you mean '\(suggestion)'?\n"
        }
        for note in notes {
            out += "note: \(note)\n"
        }
        return out
    }

    /// The underline covers the range's bytes, clipped to the end of the line.
    private func underlineLength(in text: String, from column: Int) -> Int {
        let characters = Array(text)
        var bytes = 0
        var count = 0
        var index = column - 1
        while index < characters.count, bytes < range.length {
            bytes += String(characters[index]).utf8.count
            count += 1
            index += 1
        }
        return max(count, 1)
    }
}

/// The named checks. Every diagnostic belongs to exactly one.
public enum CheckID: String, Sendable, Equatable, CaseIterable {
    case unreadableFile = "unreadable-file"
    case syntax
    case nestingLimit = "nesting-limit"
    case invalidNumber = "invalid-number"
    case undefinedName = "undefined-name"
    case duplicateDefinition = "duplicate-definition"
    case aliasCycle = "alias-cycle"
    case dimensionMismatch = "dimension-mismatch"
    case outOfRange = "out-of-range"
    case unknownParameter = "unknown-parameter"
    case missingParameter = "missing-parameter"
    case invalidValue = "invalid-value"
    case sliceOutOfRange = "slice-out-of-range"
    case feedbackMissing = "feedback-missing"
    case escapeNoiseMissing = "escape-noise-missing"
    case releaseModeUnusable = "release-mode-unusable"
    case memoryLimit = "memory-limit"
    case suspicious
    /// A statement the checker accepted but did not turn into part of the network: always a bug in
    /// the checker, reported so that no accepted file runs as something else.
    case internalInconsistency = "internal-inconsistency"
    /// A network the builder or the run would refuse or could not finish (Checks+Feasibility.swift).
    case infeasible
}
