// Statements of the network language, one per declaration (docs/LANGUAGE.md, "Statements").

/// `keyword value` after the head of a statement, e.g. `weight J`, `delay 1.5 ms`, `using plastic`.
struct Clause: Sendable {
    var keyword: Name
    var value: Expression

    var range: SourceRange { keyword.range.union(value.range) }
}

struct Statement: Sendable {
    enum Kind: Sendable {
        /// `let name = expr`
        case constant(name: Name, value: Expression)
        /// `neuron name = model(parameters)`
        case neuron(name: Name, model: Expression)
        /// `population name = size model { V_m = ... }`
        case population(name: Name, size: Expression, model: Expression, initial: [Argument])
        /// `input name = kind(settings) -> targets clauses`
        case input(name: Name, source: Expression, targets: [Expression], clauses: [Clause])
        /// `synapse name = static() | bayesian(settings)`
        case synapse(name: Name, definition: Expression)
        /// `kernel name = shape(settings)`
        case kernel(name: Name, shape: Expression)
        /// `connect sources -> targets rule clauses`
        case connect(sources: [Expression], targets: [Expression], rule: Expression, clauses: [Clause])
        /// `feedback population { settings }`
        case feedback(target: Expression, settings: [Argument])
        /// `record what subjects clauses`
        case record(what: Name, subjects: [Expression], clauses: [Clause])
        /// `simulate duration clauses`
        case simulate(duration: Expression, clauses: [Clause])
        /// `output "directory"`
        case output(Expression)
    }

    var kind: Kind
    /// From the keyword to the last token of the statement.
    var range: SourceRange
    /// The keyword's range, where statement-level messages point.
    var keywordRange: SourceRange

    /// The name a declaration introduces, if any.
    var declaredName: Name? {
        switch kind {
        case .constant(let name, _), .neuron(let name, _), .population(let name, _, _, _),
             .input(let name, _, _, _), .synapse(let name, _), .kernel(let name, _):
            return name
        default:
            return nil
        }
    }
}

/// The statement keywords, in the order docs/LANGUAGE.md introduces them.
enum StatementKeyword: String, CaseIterable {
    case `let`, neuron, population, input, synapse, kernel, connect, feedback, record, simulate, output

    /// Clause keywords each statement accepts after its head.
    var clauseKeywords: [String] {
        switch self {
        case .input: return ["weight", "delay", "start", "stop"]
        case .connect: return ["weight", "delay", "using", "kernel", "autapses", "multapses", "as"]
        case .record: return ["every", "limit", "to"]
        case .simulate: return ["warmup", "seed", "resolution", "kernel_step"]
        default: return []
        }
    }
}
