// Expressions of the network language. Every node carries its source range; `depth` bounds the
// recursion of every later pass (evaluation, destruction), see `Parser.nestingLimit`.

struct Expression: Sendable {
    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
    }

    indirect enum Kind: Sendable {
        /// A number, optionally followed by a unit name (`1.5 ms`).
        case number(Double, unit: Name?)
        case string(String)
        case identifier(String)
        /// `-x`
        case negate(Expression)
        case binary(BinaryOperator, Expression, Expression)
        /// `f(a, name = b)`: functions, distributions, models, rules and choices with settings.
        case call(Name, [Argument])
        /// `[a, b, c]`
        case list([Expression])
        /// `P[low:high]`, `P[index]`; a nil bound is the population's start or end. For a `let` list,
        /// `P[index]` is an element.
        case slice(Name, low: Expression?, high: Expression?, single: Bool)
        /// `list[index]` after another index: `P[2][3]` is `.index(P[2], 3)`.
        case index(Expression, Expression)
    }

    var kind: Kind
    var range: SourceRange
    /// Height of the tree; the parser refuses trees deeper than its nesting limit.
    var depth: Int

    init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
        switch kind {
        case .number, .string, .identifier: depth = 1
        case .negate(let operand): depth = operand.depth + 1
        case .binary(_, let left, let right): depth = max(left.depth, right.depth) + 1
        case .call(_, let arguments): depth = (arguments.map(\.value.depth).max() ?? 0) + 1
        case .list(let items): depth = (items.map(\.depth).max() ?? 0) + 1
        case .slice(_, let low, let high, _): depth = max(low?.depth ?? 0, high?.depth ?? 0) + 1
        case .index(let base, let position): depth = max(base.depth, position.depth) + 1
        }
    }

    /// The identifier this expression is, if it is a bare identifier.
    var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }
}

/// A name as written, with where it was written.
struct Name: Sendable, Equatable {
    var text: String
    var range: SourceRange
}

/// `value` or `label = value` inside a call or a `{ ... }` block.
struct Argument: Sendable {
    var label: Name?
    var value: Expression

    var range: SourceRange { label.map { $0.range.union(value.range) } ?? value.range }
}
