// Evaluation of expressions to quantities, under dimension checking.

import Foundation
import VesicleModel

extension Checker {
    static let functions = ["exp", "log", "sqrt", "min", "max", "abs", "round", "per_target", "per_source"]
    static let distributions = ["uniform", "normal", "lognormal"]

    /// Evaluates `expression` and requires `dimension`; `what` names the value in messages.
    func quantity(_ expression: Expression, _ dimension: Dimension, _ what: String) throws(Reported) -> Double {
        let result = try evaluate(expression)
        try checkDimension(result, expected: dimension, what: what, at: expression.range, expression: expression)
        return result.value
    }

    /// Named check `dimension-mismatch`: a value of the wrong physical dimension.
    func checkDimension(_ value: Quantity, expected: Dimension, what: String, at range: SourceRange,
                        expression: Expression? = nil) throws(Reported) {
        guard value.dimension != expected else { return }
        var notes: [String] = []
        if value.dimension.isDimensionless, let unit = Unit.preferred[expected] {
            notes.append("a plain number has no unit; write e.g. '\(value.formatted) \(unit)'")
        }
        if let name = expression?.identifier, let definition = definitions[name], definition.kind == .constant {
            notes.append("'\(name)' is defined at line \(definition.range.line) as \(value.formatted)")
        }
        throw fail(.dimensionMismatch, "\(what) must be \(expected.described), found \(value.dimension.described)",
                   at: range, notes: notes)
    }

    func evaluate(_ expression: Expression) throws(Reported) -> Quantity {
        let result: Quantity
        switch expression.kind {
        case .number(let value, let unit):
            if let unit, let known = Unit.bySymbol[unit.text] {
                result = Quantity(known.scale == 1 ? value : value * known.scale, known.dimension)
            } else {
                result = Quantity(value)
            }
        case .identifier(let name):
            if case .list(let value)? = constants[name] {
                result = try tableElement(value, named: name, at: expression.range)
            } else {
                result = try constantQuantity(named: name, at: expression.range)
            }
        case .negate(let operand):
            let inner = try evaluate(operand)
            result = Quantity(-inner.value, inner.dimension)
        case .binary(let op, let left, let right):
            result = try evaluateBinary(op, left, right, range: expression.range)
        case .call(let name, let arguments):
            result = try evaluateFunction(name, arguments, range: expression.range)
        case .string:
            throw fail(.invalidValue, "expected a number, found a string", at: expression.range)
        case .list:
            guard tableCell != nil, let value = try listValue(expression) else {
                throw fail(.invalidValue, "expected a number, found a list", at: expression.range)
            }
            result = try tableElement(value, named: "the list", at: expression.range)
        case .slice(let name, _, _, _):
            if let number = try indexedNumber(expression) {
                result = number
            } else if let value = try listValue(expression) {
                result = try tableElement(value, named: name.text, at: expression.range)
            } else {
                throw fail(.invalidValue, "expected a number, found a slice of '\(name.text)'", at: expression.range)
            }
        case .index:
            if let number = try indexedNumber(expression) {
                result = number
            } else if let value = try listValue(expression) {
                result = try tableElement(value, named: "the element", at: expression.range)
            } else {
                throw fail(.invalidValue, "expected a number", at: expression.range)
            }
        }
        guard result.value.isFinite else {
            throw fail(.outOfRange, "the value of this expression is not finite (overflow, or division by zero)",
                       at: expression.range)
        }
        return result
    }

    private func constantQuantity(named name: String, at range: SourceRange) throws(Reported) -> Quantity {
        switch constants[name] {
        case .quantity(let value):
            return value
        case .distribution:
            throw fail(.invalidValue, "'\(name)' is a distribution; it can only be used where a distribution is accepted",
                       at: range)
        case .list(let value):
            return try tableElement(value, named: name, at: range)
        case nil:
            throw undefinedConstant(name, at: range)
        }
    }

    /// Named check `undefined-name` for names used in expressions.
    func undefinedConstant(_ name: String, at range: SourceRange) -> Reported {
        if let definition = definitions[name] {
            if definition.kind == .constant, failedConstants.contains(name) {
                return Reported()  // its own definition failed and was reported there
            }
            if definition.kind == .constant {
                return fail(.undefinedName, "constant '\(name)' is used before its definition at line \(definition.range.line)",
                            at: range)
            }
            return fail(.invalidValue, "'\(name)' is a \(definition.kind.rawValue), not a number", at: range)
        }
        var notes: [String] = []
        if Unit.bySymbol[name] != nil {
            notes.append("a unit is written directly after a number, e.g. '1 \(name)'")
        }
        if Self.functions.contains(name) || Self.distributions.contains(name) {
            notes.append("'\(name)' is a function; call it with parentheses")
        }
        return checkUndefinedName(name, kind: "constant", candidates: Array(constants.keys), at: range, notes: notes)
    }

    /// Named check `undefined-name`: a name that nothing defines, with the closest defined name.
    func checkUndefinedName(_ name: String, kind: String, candidates: [String], at range: SourceRange,
                            notes: [String] = []) -> Reported {
        if abandonedDeclarations.contains(name) { return Reported() }  // its declaration's syntax error was reported
        let suggestion = Suggestion.closest(to: name, among: candidates.sorted())
        return fail(.undefinedName, "undefined \(kind) '\(name)'", at: range, suggestion: suggestion, notes: notes)
    }

    private func evaluateBinary(_ op: Expression.BinaryOperator, _ left: Expression, _ right: Expression,
                                range: SourceRange) throws(Reported) -> Quantity {
        let a = try evaluate(left)
        let b = try evaluate(right)
        switch op {
        case .add, .subtract:
            guard a.dimension == b.dimension else {
                let verb = op == .add ? "add" : "subtract"
                throw fail(.dimensionMismatch, "cannot \(verb) \(a.dimension.described) and \(b.dimension.described)",
                           at: range)
            }
            return Quantity(op == .add ? a.value + b.value : a.value - b.value, a.dimension)
        case .multiply:
            return a * b
        case .divide:
            guard b.value != 0 else { throw fail(.outOfRange, "division by zero", at: right.range) }
            return a / b
        }
    }

    private func evaluateFunction(_ name: Name, _ arguments: [Argument], range: SourceRange) throws(Reported) -> Quantity {
        if Self.distributions.contains(name.text) {
            throw fail(.invalidValue, "a distribution is not accepted here; this value must be a single number",
                       at: range)
        }
        guard Self.functions.contains(name.text) else {
            throw checkUndefinedName(name.text, kind: "function", candidates: Self.functions, at: name.range,
                                     notes: ["functions: " + Self.functions.joined(separator: ", ")])
        }
        if let labelled = arguments.first(where: { $0.label != nil }), let label = labelled.label {
            throw fail(.unknownParameter, "'\(name.text)' takes no named arguments", at: label.range)
        }
        if name.text == "per_target" || name.text == "per_source" {
            return try perPosition(name, arguments, range: range)
        }
        var values: [Quantity] = []
        for argument in arguments { values.append(try evaluate(argument.value)) }
        switch name.text {
        case "min", "max":
            guard let first = values.first else {
                throw fail(.missingParameter, "'\(name.text)' needs at least one argument", at: range)
            }
            for (index, value) in values.enumerated() where value.dimension != first.dimension {
                throw fail(.dimensionMismatch, "arguments of '\(name.text)' must have one dimension: \(first.dimension.name) and \(value.dimension.name)",
                           at: arguments[index].value.range)
            }
            let pick = name.text == "min" ? values.map(\.value).min()! : values.map(\.value).max()!
            return Quantity(pick, first.dimension)
        default:
            guard values.count == 1 else {
                throw fail(values.isEmpty ? .missingParameter : .unknownParameter,
                           "'\(name.text)' takes exactly one argument, found \(values.count)", at: range)
            }
            let x = values[0]
            let argumentRange = arguments[0].value.range
            if name.text == "sqrt" {
                guard x.value >= 0 else { throw fail(.outOfRange, "square root of a negative number", at: argumentRange) }
                guard let root = x.squareRoot else {
                    throw fail(.dimensionMismatch, "the square root of \(x.dimension.described) has no dimension", at: argumentRange)
                }
                return root
            }
            if name.text == "abs" { return Quantity(abs(x.value), x.dimension) }
            if name.text == "round" {
                // Half to even, as numpy's round, so that sizes written as NEST's example computes them
                // come out the same (round(0.1 * 1065) is 106).
                try checkDimension(x, expected: .dimensionless, what: "the argument of 'round'", at: argumentRange)
                return Quantity(x.value.rounded(.toNearestOrEven))
            }
            try checkDimension(x, expected: .dimensionless, what: "the argument of '\(name.text)'", at: argumentRange)
            if name.text == "log" {
                guard x.value > 0 else { throw fail(.outOfRange, "logarithm of a number that is not positive", at: argumentRange) }
                return Quantity(Foundation.log(x.value))
            }
            return Quantity(Foundation.exp(x.value))
        }
    }

    /// A dimensionless whole number in `minimum...maximum`.
    func integer(_ expression: Expression, _ what: String, minimum: Int, maximum: Int = 1 << 53) throws(Reported) -> Int {
        let value = try quantity(expression, .dimensionless, what)
        guard value == value.rounded() else {
            throw fail(.invalidValue, "\(what) must be a whole number, found \(value)", at: expression.range)
        }
        guard value >= Double(minimum), value <= Double(maximum) else {
            throw fail(.outOfRange, "\(what) must be between \(minimum) and \(maximum), found \(Quantity(value).formatted)",
                       at: expression.range)
        }
        return Int(value)
    }

    /// A bare identifier among `choices` (`link = log`), with a suggestion for typos.
    func choice(_ expression: Expression, _ what: String, among choices: [String]) throws(Reported) -> String {
        guard let word = expression.identifier else {
            throw fail(.invalidValue, "\(what) must be one of: \(choices.joined(separator: ", "))", at: expression.range)
        }
        guard choices.contains(word) else {
            throw fail(.invalidValue, "'\(word)' is not a valid \(what); expected one of: \(choices.joined(separator: ", "))",
                       at: expression.range, suggestion: Suggestion.closest(to: word, among: choices))
        }
        return word
    }

    func boolean(_ expression: Expression, _ what: String) throws(Reported) -> Bool {
        try choice(expression, what, among: ["true", "false"]) == "true"
    }

    func string(_ expression: Expression, _ what: String) throws(Reported) -> String {
        guard case .string(let text) = expression.kind else {
            throw fail(.invalidValue, "\(what) must be a string in double quotes", at: expression.range)
        }
        return text
    }
}
