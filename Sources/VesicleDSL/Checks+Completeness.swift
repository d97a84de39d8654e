// The checker's own invariant: a file without errors lowers every statement into the NetworkSpec.
// A declaration dropped without a diagnostic would run as a different network and report
// "complete" (issue 15: `neuron cell = cell` once did exactly that), so a shortfall is an error.

import VesicleModel

extension Checker {
    /// Named check `internal-inconsistency`: every `neuron`, `population`, `kernel`, `input`,
    /// `connect`, `feedback` and `record` statement of an error-free file is in the spec, as many
    /// elements as it declares.
    ///
    /// - Complexity: O(statements + spec elements).
    func checkEveryDeclarationLowered(_ statements: [Statement]) {
        var projectionsDeclared = 0
        var recordingsDeclared = 0
        var lastConnect: SourceRange?
        var lastRecord: SourceRange?
        for statement in statements {
            switch statement.kind {
            case .neuron(let name, _) where neurons[name.text] == nil:
                reportDropped("neuron '\(name.text)'", at: name.range)
            case .population(let name, _, _, _) where spec.population(named: name.text) == nil:
                reportDropped("population '\(name.text)'", at: name.range)
            case .kernel(let name, _) where !spec.kernels.contains(where: { $0.name == name.text }):
                reportDropped("kernel '\(name.text)'", at: name.range)
            // An input over tables read per target is split into inputs named "name->target"
            // (Checker+Connections).
            case .input(let name, _, _, _) where !spec.inputs.contains(where: { $0.name == name.text || $0.name.hasPrefix(name.text + "->") }):
                reportDropped("input '\(name.text)'", at: name.range)
            case .connect(let sources, let targets, _, _):
                projectionsDeclared += sources.count * targets.count
                lastConnect = statement.range
            case .record(_, let subjects, _):
                recordingsDeclared += subjects.count
                lastRecord = statement.range
            default:
                break
            }
        }
        let feedbacks = statements.filter { if case .feedback = $0.kind { return true } else { return false } }
        if spec.projections.count != projectionsDeclared, let lastConnect {
            reportDropped("\(projectionsDeclared) projections declared, \(spec.projections.count) lowered;", at: lastConnect)
        }
        if spec.recordings.count != recordingsDeclared, let lastRecord {
            reportDropped("\(recordingsDeclared) recordings declared, \(spec.recordings.count) lowered;", at: lastRecord)
        }
        if spec.feedbacks.count != feedbacks.count, let last = feedbacks.last {
            reportDropped("\(feedbacks.count) feedback blocks declared, \(spec.feedbacks.count) lowered;", at: last.range)
        }
        if abandonedWithoutDiagnostic, !hasErrors {
            reportDropped("a statement", at: .start)
        }
    }

    private func reportDropped(_ what: String, at range: SourceRange) {
        report(.internalInconsistency, "\(what) was accepted but is not part of the network; the file is refused rather than run as something else",
               at: range, notes: ["this is a bug in vesicle's checker; please report it with this file"])
    }
}
