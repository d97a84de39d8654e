// Statement grammar (docs/LANGUAGE.md, "Grammar").

extension Parser {
    mutating func parseStatement() throws(Failure) -> Statement {
        let keywordToken = current
        guard let word = keywordToken.identifier, let keyword = StatementKeyword(rawValue: word) else {
            let keywords = StatementKeyword.allCases.map(\.rawValue)
            let suggestion = current.identifier.flatMap { Suggestion.closest(to: $0, among: keywords) }
            // At the word itself, not at the end of the line above (issue 20 §5: `conect E -> I`).
            throw failure("expected a statement (\(keywords.joined(separator: ", "))), found \(current.isEndOfFile ? found : current.spelling)",
                          at: current.isEndOfFile ? nil : current.range, suggestion: suggestion)
        }
        if !keywordToken.startsLine {
            throw failure("a statement must start on its own line")
        }
        advance()
        let kind: Statement.Kind
        switch keyword {
        case .let:
            let name = try expectName("a constant name after 'let'")
            _ = try expect(.equals, "'=' after the constant name")
            kind = .constant(name: name, value: try parseExpression())
        case .neuron:
            let name = try expectName("a neuron name after 'neuron'")
            _ = try expect(.equals, "'=' after the neuron name")
            kind = .neuron(name: name, model: try parseModelReference())
        case .population:
            kind = try parsePopulation()
        case .input:
            kind = try parseInput()
        case .synapse:
            let name = try expectName("a synapse type name after 'synapse'")
            _ = try expect(.equals, "'=' after the synapse type name")
            kind = .synapse(name: name, definition: try parseModelReference())
        case .kernel:
            let name = try expectName("a kernel name after 'kernel'")
            _ = try expect(.equals, "'=' after the kernel name")
            kind = .kernel(name: name, shape: try parseModelReference())
        case .connect:
            kind = try parseConnect()
        case .feedback:
            let target = try parsePopulationReference()
            kind = .feedback(target: target, settings: try parseBlock())
        case .record:
            kind = try parseRecord()
        case .simulate:
            let duration = try parseExpression()
            kind = .simulate(duration: duration, clauses: try parseClauses(for: .simulate))
        case .output:
            kind = .output(try parseExpression())
        }
        return Statement(kind: kind, range: range(from: keywordToken.range), keywordRange: keywordToken.range)
    }

    private mutating func parsePopulation() throws(Failure) -> Statement.Kind {
        let name = try expectName("a population name after 'population'")
        _ = try expect(.equals, "'=' after the population name")
        let size = try parseExpression()
        guard current.identifier != nil else {
            throw failure("expected a neuron model after the population size, found \(found)",
                          notes: ["write e.g. 'population E = 800 lif' where 'lif' is a neuron, or an inline model such as lif_delta()"])
        }
        let model = try parseModelReference()
        var initial: [Argument] = []
        if current.kind == .leftBrace {
            initial = try parseBlock()
        }
        return .population(name: name, size: size, model: model, initial: initial)
    }

    private mutating func parseInput() throws(Failure) -> Statement.Kind {
        let name = try expectName("an input name after 'input'")
        _ = try expect(.equals, "'=' after the input name")
        let source = try parseModelReference()
        _ = try expect(.arrow, "'->' and the target populations")
        let targets = try parseReferenceList()
        return .input(name: name, source: source, targets: targets, clauses: try parseClauses(for: .input))
    }

    private mutating func parseConnect() throws(Failure) -> Statement.Kind {
        let sources = try parseReferenceList()
        _ = try expect(.arrow, "'->' between sources and targets")
        let targets = try parseReferenceList()
        guard current.identifier != nil, !atStatementStart else {
            throw failure("expected a connection rule (all_to_all, one_to_one, fixed_indegree(k), fixed_outdegree(k), pairwise_bernoulli(p), fixed_total_number(n), from_file(\"conns.csv\")), found \(found)")
        }
        let rule = try parseModelReference()
        return .connect(sources: sources, targets: targets, rule: rule, clauses: try parseClauses(for: .connect))
    }

    private mutating func parseRecord() throws(Failure) -> Statement.Kind {
        let what = try expectName("what to record (spikes, membrane, releases, posterior, weights)")
        var subjects: [Expression] = []
        repeat {
            if case .string(let text) = current.kind {
                subjects.append(Expression(.string(text), range: advance().range))
            } else {
                subjects.append(try parsePopulationReference())
            }
        } while take(.comma)
        return .record(what: what, subjects: subjects, clauses: try parseClauses(for: .record))
    }

    /// `name` or `model(arguments)`.
    mutating func parseModelReference() throws(Failure) -> Expression {
        let name = try expectName("a name")
        if current.kind == .leftParen {
            let arguments = try parseArguments()
            return try checkDepth(Expression(.call(name, arguments), range: range(from: name.range)))
        }
        return Expression(.identifier(name.text), range: name.range)
    }

    mutating func parseReferenceList() throws(Failure) -> [Expression] {
        var references = [try parsePopulationReference()]
        while take(.comma) { references.append(try parsePopulationReference()) }
        return references
    }

    /// `P`, `P[low:high]`, `P[:high]`, `P[low:]` or `P[index]`.
    mutating func parsePopulationReference() throws(Failure) -> Expression {
        let name = try expectName("a population name")
        guard current.kind == .leftBracket else { return Expression(.identifier(name.text), range: name.range) }
        return try parseSliceSuffix(of: name)
    }

    mutating func parseSliceSuffix(of name: Name) throws(Failure) -> Expression {
        _ = try expect(.leftBracket, "'['")
        var low: Expression?
        var high: Expression?
        var single = false
        if current.kind != .colon { low = try parseExpression() }
        if take(.colon) {
            if current.kind != .rightBracket { high = try parseExpression() }
        } else {
            single = true
        }
        _ = try expect(.rightBracket, "']' to close the slice")
        return try checkDepth(Expression(.slice(name, low: low, high: high, single: single), range: range(from: name.range)))
    }

    /// `{ name = value, ... }`; commas between settings are optional at line ends.
    mutating func parseBlock() throws(Failure) -> [Argument] {
        _ = try expect(.leftBrace, "'{'")
        var settings: [Argument] = []
        while current.kind != .rightBrace {
            let label = try expectName("a setting name")
            _ = try expect(.equals, "'=' after '\(label.text)'")
            settings.append(Argument(label: label, value: try parseExpression()))
            if !take(.comma), current.kind != .rightBrace, !current.startsLine {
                throw failure("expected ',' or '}' after the setting, found \(found)")
            }
        }
        advance()
        return settings
    }

    /// Clauses continue over line breaks as long as the next line does not start a statement.
    mutating func parseClauses(for keyword: StatementKeyword) throws(Failure) -> [Clause] {
        var clauses: [Clause] = []
        let accepted = keyword.clauseKeywords
        while let word = current.identifier, !atStatementStart {
            guard accepted.contains(word) else {
                if current.startsLine { break }
                throw failure("'\(word)' is not a clause of '\(keyword.rawValue)'",
                              suggestion: Suggestion.closest(to: word, among: accepted),
                              notes: ["'\(keyword.rawValue)' accepts: " + accepted.joined(separator: ", ")])
            }
            let name = Name(text: word, range: advance().range)
            clauses.append(Clause(keyword: name, value: try parseExpression()))
        }
        return clauses
    }
}
