// The semantic checker: resolves names, evaluates expressions under dimension checking, binds
// parameters and lowers the AST to a NetworkSpec, then runs the whole-network checks
// (Checks+Network.swift). Every problem is a Diagnostic from one named check (CheckID); a problem
// abandons only the element it concerns, so independent errors are all reported.

import Foundation
import VesicleModel

/// Thrown after a diagnostic has been recorded, to abandon the element being lowered.
struct Reported: Error {}

final class Checker {
    enum DefinitionKind: String {
        case constant, neuron, population, input, synapse = "synapse type", kernel
    }

    struct Definition {
        var kind: DefinitionKind
        var range: SourceRange
    }

    /// A `let` value: a quantity, a distribution, or a (nested) list of quantities (Checker+Tables).
    enum Constant {
        case quantity(Quantity)
        case distribution(DistributionValue)
        case list(ListValue)
    }

    /// Where spec elements came from, for whole-network checks that point at the source.
    struct ProjectionOrigin {
        /// The `using` clause's type name, or the `connect` keyword without one.
        var synapseType: SourceRange
        var delay: SourceRange
    }

    let path: String
    /// Directory that `file("...")` paths are relative to.
    let baseDirectory: String
    /// Memory the memory check compares the estimate against, bytes.
    let memoryLimit: UInt64
    var diagnostics: [Diagnostic] = []

    var definitions: [String: Definition] = [:]
    var constants: [String: Constant] = [:]
    /// Constants whose definition had an error; their uses are not reported again.
    var failedConstants: Set<String> = []
    var neurons: [String: NeuronModel] = [:]
    /// Every `neuron` statement by name, so that an alias is lowered after what it names whatever
    /// the statement order (Checker+Declarations.swift).
    var neuronDeclarations: [String: (name: Name, model: Expression)] = [:]
    /// The aliases being lowered, outermost first: a name met again is a cycle.
    var neuronsInProgress: [String] = []
    /// `neuron` names whose definition had an error (already reported).
    var failedNeurons: Set<String> = []
    /// Set when an element was abandoned while no error had been reported (Checks+Completeness.swift).
    var abandonedWithoutDiagnostic = false
    /// Names whose declaration the parser abandoned (already reported): uses are not reported again.
    var abandonedDeclarations: Set<String> = []
    var spec = NetworkSpec(synapseTypes: [.staticSynapse])
    var populationRanges: [String: SourceRange] = [:]
    var projectionOrigins: [ProjectionOrigin] = []
    var projectionNames: Set<String> = []
    var feedbackRanges: [String: SourceRange] = [:]
    var simulationRange: SourceRange?
    /// The `kernel_step` clause's value, where kernel-step messages point.
    var kernelStepRange: SourceRange?
    var kernelRanges: [String: SourceRange] = [:]
    var usedKernels: Set<String> = []
    var outputRange: SourceRange?
    /// The (target, source) pair a `connect` or `input` over lists is being lowered for, where tables
    /// are read (Checker+Tables); nil elsewhere.
    var tableCell: TableCell?
    /// Dimension (voltage or current) of each STDP synapse type's Wmax, to match its targets' weights.
    var stdpBoundDimensions: [String: Dimension] = [:]

    init(path: String, memoryLimit: UInt64) {
        self.path = path
        self.baseDirectory = (path as NSString).deletingLastPathComponent
        self.memoryLimit = memoryLimit
    }

    func report(_ check: CheckID, _ message: String, at range: SourceRange, suggestion: String? = nil,
                notes: [String] = []) {
        diagnostics.append(Diagnostic(.error, check, message, path: path, range: range,
                                      suggestion: suggestion, notes: notes))
    }

    /// A warning: valid but suspicious.
    func warn(_ message: String, at range: SourceRange, notes: [String] = []) {
        diagnostics.append(Diagnostic(.warning, .suspicious, message, path: path, range: range, notes: notes))
    }

    /// Records an error and abandons the current element.
    func fail(_ check: CheckID, _ message: String, at range: SourceRange, suggestion: String? = nil,
              notes: [String] = []) -> Reported {
        report(check, message, at: range, suggestion: suggestion, notes: notes)
        return Reported()
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// `syntaxFailed`: the lexer or parser reported errors, so whole-network checks would only add noise.
    func run(_ statements: [Statement], syntaxFailed: Bool = false) -> NetworkSpec {
        checkDuplicateDefinitions(statements)
        // Declarations first, in dependency order, so that use does not depend on statement order
        // (constants excepted: a constant is visible after its `let`).
        for statement in statements {
            if case .constant(let name, let value) = statement.kind { lowerConstant(name: name, value: value) }
        }
        for statement in statements {
            if case .neuron(let name, let model) = statement.kind, definitions[name.text]?.range == name.range {
                neuronDeclarations[name.text] = (name, model)
            }
        }
        for statement in statements {
            if case .neuron(let name, let model) = statement.kind { lowerNeuron(name: name, model: model) }
        }
        for statement in statements {
            if case .population(let name, let size, let model, let initial) = statement.kind {
                lowerPopulation(name: name, size: size, model: model, initial: initial)
            }
        }
        for statement in statements {
            if case .synapse(let name, let definition) = statement.kind { lowerSynapseType(name: name, definition: definition) }
        }
        for statement in statements {
            switch statement.kind {
            case .simulate(let duration, let clauses): lowerSimulation(statement, duration: duration, clauses: clauses)
            case .output(let directory): lowerOutput(statement, directory: directory)
            default: break
            }
        }
        // After `simulate`: a sampled kernel's step is checked against the kernel grid.
        for statement in statements {
            if case .kernel(let name, let shape) = statement.kind { lowerKernel(name: name, shape: shape) }
        }
        for statement in statements {
            switch statement.kind {
            case .input(let name, let source, let targets, let clauses):
                lowerInput(statement, name: name, source: source, targets: targets, clauses: clauses)
            case .connect(let sources, let targets, let rule, let clauses):
                lowerConnection(statement, sources: sources, targets: targets, rule: rule, clauses: clauses)
            case .feedback(let target, let settings):
                lowerFeedback(statement, target: target, settings: settings)
            default: break
            }
        }
        for statement in statements {
            if case .record(let what, let subjects, let clauses) = statement.kind {
                lowerRecording(statement, what: what, subjects: subjects, clauses: clauses)
            }
        }
        if !hasErrors, !syntaxFailed { checkEveryDeclarationLowered(statements) }
        if !hasErrors, !syntaxFailed { checkFeasibility(statements) }
        if !hasErrors, !syntaxFailed { runNetworkChecks() }
        mergeRepeatedWarnings()
        return spec
    }
}
