// Lists and tables (docs/LANGUAGE.md, "Lists and tables"): `let` may hold a list or a nested list
// of quantities, indexed from 0 as `P[2][3]`. In a `connect` between lists of populations, a name
// bound to a table is read at the pair being lowered: rows are targets, columns sources (NEST's
// `conn_probs[target][source]`); `per_target(L)` and `per_source(L)` read a flat list by the target's
// or the source's position. An `input` reads `per_target(L)` the same way. Shapes are checked
// against the statement's populations at the use, so a wrong table is an error at its line and column.

import VesicleModel

/// A `let` list: numbers, or lists of them.
indirect enum ListValue: Sendable {
    case number(Quantity)
    case list([ListValue])

    /// "8 x 8", "8", "3 x ragged" for messages.
    var shapeDescription: String {
        switch self {
        case .number:
            return "a number"
        case .list(let items):
            let rows = items.compactMap { item -> Int? in if case .list(let row) = item { return row.count } else { return nil } }
            if rows.isEmpty { return "\(items.count)" }
            if rows.count == items.count, Set(rows).count == 1 { return "\(items.count) x \(rows[0])" }
            return "\(items.count) x ragged"
        }
    }
}

/// Which pair of a `connect` (or which target of an `input`) is being lowered.
struct TableCell {
    var target: Int
    var source: Int
    var targets: Int
    var sources: Int
    /// "connect" or "input", for messages.
    var statement: String
    /// Set when a table was read, so that an error in the clause names the pair.
    var readTable = false
}

extension Checker {
    /// The list `expression` denotes (a literal list, a list constant, or an element of one that is
    /// itself a list), or nil if it denotes something else.
    func listValue(_ expression: Expression) throws(Reported) -> ListValue? {
        switch expression.kind {
        case .identifier(let name):
            if case .list(let value)? = constants[name] { return value }
            return nil
        case .list(let items):
            // A list literal's items are numbers or lists, read outside any table context.
            let saved = tableCell
            tableCell = nil
            defer { tableCell = saved }
            var values: [ListValue] = []
            for item in items {
                if let inner = try listValue(item) {
                    values.append(inner)
                } else {
                    values.append(.number(try evaluate(item)))
                }
            }
            return .list(values)
        case .slice(let name, let low, let high, let single):
            guard case .list(let value)? = constants[name.text] else { return nil }
            guard single, let low, high == nil else {
                throw fail(.invalidValue, "'\(name.text)' is a list; index it with one position, e.g. \(name.text)[0]",
                           at: expression.range)
            }
            let element = try self.element(of: value, at: low, named: name.text, range: expression.range)
            if case .list = element { return element }
            return nil
        case .index(let base, let position):
            guard let value = try listValue(base) else {
                throw fail(.invalidValue, "only a list can be indexed; this is a single value", at: base.range)
            }
            let element = try self.element(of: value, at: position, named: listName(of: base), range: expression.range)
            if case .list = element { return element }
            return nil
        default:
            return nil
        }
    }

    /// The number an indexed element denotes, if `expression` is an index into a list whose element is
    /// a number (`P[2][3]`, `N[0]`); nil if `expression` is no list index.
    func indexedNumber(_ expression: Expression) throws(Reported) -> Quantity? {
        switch expression.kind {
        case .slice(let name, let low?, .none, true):
            guard case .list(let value)? = constants[name.text] else { return nil }
            if case .number(let q) = try element(of: value, at: low, named: name.text, range: expression.range) { return q }
            return nil
        case .index(let base, let position):
            guard let value = try listValue(base) else {
                throw fail(.invalidValue, "only a list can be indexed; this is a single value", at: base.range)
            }
            if case .number(let q) = try element(of: value, at: position, named: listName(of: base), range: expression.range) { return q }
            return nil
        default:
            return nil
        }
    }

    private func listName(of expression: Expression) -> String {
        switch expression.kind {
        case .identifier(let name): return name
        case .slice(let name, _, _, _): return name.text
        case .index(let base, _): return listName(of: base)
        default: return "the list"
        }
    }

    /// Named check `out-of-range`: an index must be a whole number within the list.
    private func element(of value: ListValue, at position: Expression, named name: String,
                         range: SourceRange) throws(Reported) -> ListValue {
        guard case .list(let items) = value else {
            throw fail(.invalidValue, "'\(name)' has no further dimension to index", at: range)
        }
        let saved = tableCell
        tableCell = nil
        defer { tableCell = saved }
        let i = try integer(position, "an index", minimum: Int.min / 2)
        guard i >= 0, i < items.count else {
            throw fail(.outOfRange, "index \(i) is out of range: this list of '\(name)' has \(items.count) elements, indices 0 to \(items.count - 1)",
                       at: position.range)
        }
        return items[i]
    }

    /// The number a table yields at the pair being lowered (named check `invalid-value` for a table
    /// outside a table context, `out-of-range` for a shape that does not match the populations).
    func tableElement(_ value: ListValue, named name: String, at range: SourceRange) throws(Reported) -> Quantity {
        guard case .list(let rows) = value else {
            if case .number(let q) = value { return q }
            throw Reported()
        }
        guard var cell = tableCell, cell.statement == "connect" else {
            let context = tableCell == nil ? "here a single number is expected"
                : "an input reads a list by its targets' positions: per_target(\(name))"
            throw fail(.invalidValue, "'\(name)' is a list of \(value.shapeDescription) values; \(context)", at: range,
                       notes: ["index it (e.g. \(name)[0]), or use it in a connect between lists of populations, where a table is read as table[target][source]"])
        }
        cell.readTable = true
        tableCell = cell
        let expected = "\(cell.targets) x \(cell.sources) (rows are the \(cell.targets) targets, columns the \(cell.sources) sources)"
        guard rows.count == cell.targets,
              case .list(let row) = rows[cell.target], row.count == cell.sources,
              rows.allSatisfy({ if case .list(let r) = $0 { return r.count == cell.sources } else { return false } }) else {
            var notes = ["this connect needs a table of \(expected)"]
            if rows.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                notes.append("a flat list is read by position with per_target(\(name)) or per_source(\(name))")
            }
            throw fail(.outOfRange, "table '\(name)' is \(value.shapeDescription), but this connect has \(cell.targets) targets and \(cell.sources) sources",
                       at: range, notes: notes)
        }
        guard case .number(let q) = row[cell.source] else {
            throw fail(.invalidValue, "table '\(name)' has a list where a number belongs, at [\(cell.target)][\(cell.source)]", at: range)
        }
        return q
    }

    /// `per_target(L)` / `per_source(L)`: element of a flat list by the position of the pair's target or
    /// source in the statement.
    func perPosition(_ function: Name, _ arguments: [Argument], range: SourceRange) throws(Reported) -> Quantity {
        let bySource = function.text == "per_source"
        guard arguments.count == 1, arguments[0].label == nil else {
            throw fail(.missingParameter, "'\(function.text)' takes one list", at: range)
        }
        let argument = arguments[0].value
        guard let list = try listValue(argument), case .list(let items) = list else {
            throw fail(.invalidValue, "'\(function.text)' takes a list, e.g. \(function.text)([1 ms, 2 ms])", at: argument.range)
        }
        guard var cell = tableCell, !(bySource && cell.statement == "input") else {
            throw fail(.invalidValue, "'\(function.text)' is read by the position of a \(bySource ? "source" : "target") in a connect\(bySource ? "" : " or an input") over lists of populations",
                       at: range)
        }
        cell.readTable = true
        tableCell = cell
        let count = bySource ? cell.sources : cell.targets
        guard items.count == count else {
            throw fail(.outOfRange, "'\(function.text)' needs one value per \(bySource ? "source" : "target") (\(count)), but this list has \(items.count)",
                       at: argument.range)
        }
        guard case .number(let q) = items[bySource ? cell.source : cell.target] else {
            throw fail(.invalidValue, "'\(function.text)' takes a flat list of numbers", at: argument.range)
        }
        return q
    }

    /// Runs `body` for the pair (target, source) of a statement over lists; on an error that read a
    /// table, the diagnostic names the pair.
    func inTableCell<T>(_ cell: TableCell, pair: String, _ body: () throws(Reported) -> T) throws(Reported) -> T {
        let saved = tableCell
        tableCell = cell
        defer { tableCell = saved }
        do {
            return try body()
        } catch {
            if tableCell?.readTable == true, let last = diagnostics.indices.last, diagnostics[last].severity == .error {
                diagnostics[last].notes.append("for \(pair) (table row \(cell.target), column \(cell.source))")
            }
            throw error
        }
    }
}
