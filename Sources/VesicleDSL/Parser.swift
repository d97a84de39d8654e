// Hand-written recursive-descent parser (grammar: docs/LANGUAGE.md). A syntax error abandons the
// current statement only: the parser resynchronises on the next line that starts with a statement
// keyword, so every independent error in a file is reported in one run. Recursion is bounded by
// `nestingLimit`, so no input (10 000 nested parentheses, say) can overflow the stack.

struct Parser {
    /// Deepest expression tree accepted; far beyond any real network file.
    static let nestingLimit = 200

    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    private let tokens: [Token]
    private let path: String
    private var index = 0
    private var depth = 0
    private(set) var diagnostics: [Diagnostic] = []

    /// Names declared by statements abandoned for a syntax error (`recordAbandonedDeclaration`).
    var abandonedNames: Set<String> = []
    /// Every name a statement of the file declares (`Parser+Units.swift`: such a name after a number
    /// is the name, never a misspelt unit).
    let declaredNames: Set<String>

    init(tokens: [Token], path: String) {
        self.tokens = tokens
        self.path = path
        declaredNames = Self.declaredNames(in: tokens)
    }

    mutating func parseProgram() -> [Statement] {
        var statements: [Statement] = []
        while !current.isEndOfFile {
            let start = index
            do {
                statements.append(try parseStatement())
                try expectEndOfStatement(statements[statements.count - 1])
            } catch {
                diagnostics.append(error.diagnostic)
                recordAbandonedDeclaration(at: start)
                synchronise(after: start)
            }
        }
        return statements
    }

    // MARK: Tokens

    var current: Token { tokens[index] }

    func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    private var previous: Token { tokens[max(index - 1, 0)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func take(_ kind: Token.Kind) -> Bool {
        guard current.kind == kind else { return false }
        advance()
        return true
    }

    mutating func expect(_ kind: Token.Kind, _ what: String) throws(Failure) -> Token {
        guard current.kind == kind else { throw failure("expected \(what), found \(found)") }
        return advance()
    }

    mutating func expectName(_ what: String) throws(Failure) -> Name {
        guard let text = current.identifier else { throw failure("expected \(what), found \(found)") }
        return Name(text: text, range: advance().range)
    }

    func failure(_ message: String, at range: SourceRange? = nil, suggestion: String? = nil,
                 notes: [String] = []) -> Failure {
        Failure(diagnostic: Diagnostic(.error, .syntax, message, path: path, range: range ?? expectedAt,
                                       suggestion: suggestion, notes: notes))
    }

    /// The current token as "found ..." in messages; a token on a later line means the line ended.
    var found: String {
        current.startsLine && index > 0 && !current.isEndOfFile ? "the end of the line" : current.spelling
    }

    /// Where a missing token belongs: right after the previous token when the current one starts a new
    /// line (the statement was cut short), otherwise at the current token.
    private var expectedAt: SourceRange {
        guard current.startsLine, index > 0 else { return current.range }
        let last = previous.range
        return SourceRange(offset: last.offset + last.length, length: 0, line: last.line, column: last.column + last.length)
    }

    /// Whether the current token begins a new statement: a statement keyword first on its line.
    /// `kernel` is also a clause of `connect`, so a line starting with it begins a statement only in
    /// the declaration form `kernel name =`; otherwise it continues the statement above.
    var atStatementStart: Bool {
        let token = current
        guard !token.isEndOfFile else { return true }
        guard token.startsLine, let keyword = token.identifier.flatMap(StatementKeyword.init(rawValue:)) else { return false }
        if keyword == .kernel {
            return peek(1).identifier != nil && peek(2).kind == .equals
        }
        return true
    }

    /// A declaration with a syntax error still names something: its uses on later lines are its
    /// consequences, not new errors (issue 20 §5), so the checker is told to stay silent on them.
    private mutating func recordAbandonedDeclaration(at start: Int) {
        let declarations: Set<StatementKeyword> = [.let, .neuron, .population, .input, .synapse, .kernel]
        guard let keyword = tokens[start].identifier.flatMap(StatementKeyword.init(rawValue:)), declarations.contains(keyword),
              start + 1 < tokens.count, let name = tokens[start + 1].identifier else { return }
        abandonedNames.insert(name)
    }

    private mutating func synchronise(after start: Int) {
        if index == start { advance() }
        while !atStatementStart { advance() }
    }

    private mutating func expectEndOfStatement(_ statement: Statement) throws(Failure) {
        guard !current.isEndOfFile, !current.startsLine else { return }
        var suggestion: String?
        var notes: [String] = []
        if let name = current.identifier {
            if case .number = previous.kind, let unit = Suggestion.closest(to: name, among: Unit.all.map(\.symbol)) {
                throw failure("unknown unit '\(name)'", suggestion: unit, notes: ["known units: " + Unit.all.map(\.symbol).joined(separator: " ")])
            }
            if let keyword = StatementKeyword(rawValue: keywordText(of: statement)) {
                let clauses = keyword.clauseKeywords
                suggestion = Suggestion.closest(to: name, among: clauses)
                if !clauses.isEmpty { notes.append("'\(keyword.rawValue)' accepts: " + clauses.joined(separator: ", ")) }
            }
        }
        throw failure("unexpected \(current.spelling) after the statement; each statement starts on its own line",
                      suggestion: suggestion, notes: notes)
    }

    private func keywordText(of statement: Statement) -> String {
        switch statement.kind {
        case .constant: return "let"
        case .neuron: return "neuron"
        case .population: return "population"
        case .input: return "input"
        case .synapse: return "synapse"
        case .kernel: return "kernel"
        case .connect: return "connect"
        case .feedback: return "feedback"
        case .record: return "record"
        case .simulate: return "simulate"
        case .output: return "output"
        }
    }

    // MARK: Nesting

    mutating func enterNesting() throws(Failure) {
        depth += 1
        if depth > Self.nestingLimit {
            throw Failure(diagnostic: Diagnostic(.error, .nestingLimit,
                                                 "expression nested deeper than \(Self.nestingLimit) levels",
                                                 path: path, range: current.range))
        }
    }

    mutating func leaveNesting() { depth -= 1 }

    func checkDepth(_ expression: Expression) throws(Failure) -> Expression {
        guard expression.depth <= Self.nestingLimit else {
            throw Failure(diagnostic: Diagnostic(.error, .nestingLimit,
                                                 "expression nested deeper than \(Self.nestingLimit) levels",
                                                 path: path, range: expression.range))
        }
        return expression
    }

    func range(from start: SourceRange) -> SourceRange {
        start.union(previous.range)
    }
}
