// Binding of `name = value` arguments to a model's parameters.

import VesicleModel

/// Arguments matched to parameter names.
struct BoundArguments {
    var values: [String: Argument] = [:]

    subscript(_ name: String) -> Expression? { values[name]?.value }
}

extension Checker {
    /// Matches `arguments` to `parameters` (positional arguments in the order given, then named ones).
    /// Reports unknown, repeated and missing parameters; throws only if a required one is missing,
    /// since without it nothing can be built.
    func bind(_ arguments: [Argument], to parameters: [String], required: [String] = [], of owner: String,
              at range: SourceRange) throws(Reported) -> BoundArguments {
        var bound = BoundArguments()
        var positional = 0
        for argument in arguments {
            let name: String
            if let label = argument.label {
                guard parameters.contains(label.text) else {
                    checkUnknownParameter(label, of: owner, parameters: parameters)
                    continue
                }
                name = label.text
            } else {
                guard positional < parameters.count else {
                    report(.unknownParameter, "too many arguments for \(owner): it takes \(parameters.count)",
                           at: argument.value.range, notes: ["parameters: " + parameters.joined(separator: ", ")])
                    continue
                }
                name = parameters[positional]
                positional += 1
            }
            if let earlier = bound.values[name] {
                report(.duplicateDefinition, "parameter '\(name)' of \(owner) is given twice",
                       at: argument.range, notes: ["first given at line \(earlier.range.line), column \(earlier.range.column)"])
                continue
            }
            bound.values[name] = argument
        }
        try checkMissingParameters(bound, required: required, of: owner, at: range)
        return bound
    }

    /// Named check `unknown-parameter`: a parameter the model does not have, with the closest one.
    func checkUnknownParameter(_ label: Name, of owner: String, parameters: [String], notes: [String] = []) {
        let suggestion = Suggestion.closest(to: label.text, among: parameters)
        let listed = parameters.isEmpty ? "it takes no parameters" : "parameters: " + parameters.joined(separator: ", ")
        report(.unknownParameter, "\(owner) has no parameter '\(label.text)'", at: label.range,
               suggestion: suggestion, notes: notes + [listed])
    }

    /// Named check `missing-parameter`: a parameter without a default that was not given.
    func checkMissingParameters(_ bound: BoundArguments, required: [String], of owner: String,
                                at range: SourceRange) throws(Reported) {
        let missing = required.filter { bound.values[$0] == nil }
        guard !missing.isEmpty else { return }
        let list = missing.map { "'\($0)'" }.joined(separator: ", ")
        throw fail(.missingParameter, "\(owner) needs \(list)", at: range,
                   notes: ["\(missing.count == 1 ? "this parameter has" : "these parameters have") no default"])
    }

    /// Runs `body`; on an already-reported failure sets `failed` and returns nil.
    func collect<T>(_ failed: inout Bool, _ body: () throws(Reported) -> T) -> T? {
        do { return try body() } catch {
            failed = true
            if !hasErrors { abandonedWithoutDiagnostic = true }
            return nil
        }
    }

    /// Runs `body` and swallows an already-reported failure, so one bad parameter does not hide others.
    func attempt(_ body: () throws(Reported) -> Void) {
        do { try body() } catch {
            if !hasErrors { abandonedWithoutDiagnostic = true }
        }
    }
}
