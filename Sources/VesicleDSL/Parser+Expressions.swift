// Expression grammar:
//   expression = term { ("+" | "-") term }
//   term       = unary { ("*" | "/") unary }
//   unary      = "-" unary | "+" unary | primary
//   primary    = number [unit] | string | name [ "(" arguments ")" | "[" slice "]" { "[" expression "]" } ]
//              | "(" expression ")"
//              | "[" [ expression { "," expression } ] "]"

extension Parser {
    mutating func parseExpression() throws(Failure) -> Expression {
        try enterNesting()
        defer { leaveNesting() }
        var left = try parseTerm()
        while current.kind == .plus || current.kind == .minus {
            let op: Expression.BinaryOperator = advance().kind == .plus ? .add : .subtract
            let right = try parseTerm()
            left = try checkDepth(Expression(.binary(op, left, right), range: left.range.union(right.range)))
        }
        return left
    }

    private mutating func parseTerm() throws(Failure) -> Expression {
        var left = try parseUnary()
        while current.kind == .star || current.kind == .slash {
            let op: Expression.BinaryOperator = advance().kind == .star ? .multiply : .divide
            let right = try parseUnary()
            left = try checkDepth(Expression(.binary(op, left, right), range: left.range.union(right.range)))
        }
        return left
    }

    private mutating func parseUnary() throws(Failure) -> Expression {
        if current.kind == .minus || current.kind == .plus {
            let sign = advance()
            try enterNesting()
            defer { leaveNesting() }
            let operand = try parseUnary()
            let whole = sign.range.union(operand.range)
            return sign.kind == .minus ? try checkDepth(Expression(.negate(operand), range: whole)) : operand
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(Failure) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            // A unit is recognised only right after a number and on the same line.
            if let symbol = current.identifier, !current.startsLine, Unit.bySymbol[symbol] != nil {
                let unit = Name(text: symbol, range: advance().range)
                return Expression(.number(value, unit: unit), range: token.range.union(unit.range))
            }
            try refuseMisspeltUnit()
            return Expression(.number(value, unit: nil), range: token.range)
        case .string(let text):
            advance()
            return Expression(.string(text), range: token.range)
        case .identifier(let text):
            if atStatementStart {
                throw failure("expected an expression, found the statement keyword '\(text)'")
            }
            advance()
            let name = Name(text: text, range: token.range)
            if current.kind == .leftParen {
                let arguments = try parseArguments()
                return try checkDepth(Expression(.call(name, arguments), range: range(from: token.range)))
            }
            if current.kind == .leftBracket {
                var indexed = try parseSliceSuffix(of: name)
                // Further indices on the same line index a nested list: `P[2][3]`.
                while current.kind == .leftBracket, !current.startsLine {
                    advance()
                    let position = try parseExpression()
                    _ = try expect(.rightBracket, "']' to close the index")
                    indexed = try checkDepth(Expression(.index(indexed, position), range: range(from: token.range)))
                }
                return indexed
            }
            return Expression(.identifier(text), range: token.range)
        case .leftParen:
            advance()
            let inner = try parseExpression()
            _ = try expect(.rightParen, "')' to close the parenthesis opened at line \(token.range.line), column \(token.range.column)")
            var grouped = inner
            grouped.range = range(from: token.range)
            return grouped
        case .leftBracket:
            advance()
            try enterNesting()
            defer { leaveNesting() }
            var items: [Expression] = []
            if current.kind != .rightBracket {
                repeat {
                    if current.kind == .rightBracket { break }
                    items.append(try parseExpression())
                } while take(.comma)
            }
            _ = try expect(.rightBracket, "']' to close the list")
            return try checkDepth(Expression(.list(items), range: range(from: token.range)))
        default:
            throw failure("expected an expression, found \(token.spelling)")
        }
    }

    /// `( [argument { "," argument } [","]] )` where argument = [name "="] expression.
    mutating func parseArguments() throws(Failure) -> [Argument] {
        let open = try expect(.leftParen, "'('")
        try enterNesting()
        defer { leaveNesting() }
        var arguments: [Argument] = []
        while current.kind != .rightParen {
            var label: Name?
            if let text = current.identifier, peek(1).kind == .equals {
                label = Name(text: text, range: advance().range)
                advance()
            }
            arguments.append(Argument(label: label, value: try parseExpression()))
            if !take(.comma) { break }
        }
        _ = try expect(.rightParen, "')' to close the argument list opened at line \(open.range.line), column \(open.range.column)")
        return arguments
    }
}
