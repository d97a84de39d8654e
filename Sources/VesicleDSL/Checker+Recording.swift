// Lowering of `record`, `simulate` and `output` statements.

import VesicleModel

extension Checker {
    static let recordKinds = ["spikes", "membrane", "releases", "posterior", "weights"]

    func lowerRecording(_ statement: Statement, what: Name, subjects: [Expression], clauses: [Clause]) {
        attempt { () throws(Reported) in
            guard Self.recordKinds.contains(what.text) else {
                throw checkUndefinedName(what.text, kind: "recording kind", candidates: Self.recordKinds, at: what.range,
                                         notes: ["record one of: " + Self.recordKinds.joined(separator: ", ")])
            }
            let table = clauseTable(clauses)
            let allowed: [String]
            switch what.text {
            case "spikes": allowed = []
            case "membrane": allowed = ["every"]
            case "releases": allowed = ["limit"]
            default: allowed = ["every", "limit"]
            }
            if let clause = table["to"] {
                // Every recording goes into the run directory's standard files; a file name the run
                // would not honour is refused rather than ignored.
                report(.unknownParameter, "'record' takes no 'to': recordings are written to the run directory's standard files",
                       at: clause.keyword.range,
                       notes: ["remove 'to \"...\"'; spikes go to spikes.<format>, membrane samples to membrane_<population>, releases to release, posteriors to mu and sigma2",
                               "choose the directory with 'output \"dir\"' or 'vesicle run --out'"])
            }
            for clause in clauses where clause.keyword.text != "to" && !allowed.contains(clause.keyword.text) {
                report(.unknownParameter, "'record \(what.text)' takes no '\(clause.keyword.text)'", at: clause.keyword.range,
                       notes: [allowed.isEmpty ? "'record \(what.text)' takes no clauses"
                                               : "'record \(what.text)' accepts: " + allowed.joined(separator: ", ")])
            }
            if what.text == "membrane" || what.text == "posterior" || what.text == "weights", table["every"] == nil {
                throw fail(.missingParameter, "'record \(what.text)' needs 'every', the sampling interval", at: what.range,
                           notes: ["e.g. 'every 1 ms'"])
            }
            let interval = try table["every"].map { c throws(Reported) in try positive(c.value, .time, "the sampling interval") }
            let limit = try table["limit"].map { c throws(Reported) in try integer(c.value, "the synapse limit", minimum: 1) }
            for subject in subjects {
                attempt { () throws(Reported) in
                    switch what.text {
                    case "spikes", "membrane":
                        let source = try populationReference(subject)
                        if what.text == "membrane", !isMembraneRecordable(source.population.model) {
                            throw fail(.invalidValue, "\(source.population.model.name) neurons have no membrane potential", at: subject.range)
                        }
                        let kind: RecordingSpec.Kind = what.text == "spikes" ? .spikes : .membrane(interval: interval ?? 1)
                        spec.recordings.append(RecordingSpec(kind: kind, source: source.slice))
                    case "weights":
                        let projection = try stdpProjectionName(subject)
                        spec.recordings.append(RecordingSpec(kind: .weights(projection: projection, interval: interval ?? 1, limit: limit)))
                    default:
                        let projection = try projectionName(subject)
                        let kind: RecordingSpec.Kind = what.text == "releases"
                            ? .releases(projection: projection, limit: limit)
                            : .posterior(projection: projection, interval: interval ?? 1, limit: limit)
                        spec.recordings.append(RecordingSpec(kind: kind))
                    }
                }
            }
        }
    }

    private func isMembraneRecordable(_ model: NeuronModel) -> Bool {
        switch model {
        case .lifDelta, .lifExp, .linearReadout: return true
        case .poissonSource, .spikeSource: return false
        }
    }

    /// A projection named by a string, e.g. "E->E"; releases and posteriors belong to Bayesian synapses.
    private func projectionName(_ expression: Expression) throws(Reported) -> String {
        guard case .string(let name) = expression.kind else {
            throw fail(.invalidValue, "name the projection in double quotes, e.g. \"E->E\"", at: expression.range)
        }
        guard let projection = spec.projections.first(where: { $0.name == name }) else {
            throw checkUndefinedName(name, kind: "projection", candidates: spec.projections.map(\.name), at: expression.range)
        }
        if case .bayesian? = spec.synapseType(named: projection.synapseType)?.kind {
            return name
        }
        warn("projection '\(name)' has static synapses: its releases are its fixed weights",
               at: expression.range)
        return name
    }

    /// A projection named by a string whose synapses are STDP synapses (the only ones whose weights change).
    private func stdpProjectionName(_ expression: Expression) throws(Reported) -> String {
        guard case .string(let name) = expression.kind else {
            throw fail(.invalidValue, "name the projection in double quotes, e.g. \"E->E\"", at: expression.range)
        }
        guard let projection = spec.projections.first(where: { $0.name == name }) else {
            throw checkUndefinedName(name, kind: "projection", candidates: spec.projections.map(\.name), at: expression.range)
        }
        guard case .stdp? = spec.synapseType(named: projection.synapseType)?.kind else {
            throw fail(.invalidValue, "projection '\(name)' does not have STDP synapses: its weights do not change", at: expression.range,
                       notes: ["record weights of a projection connected 'using' an stdp(...) synapse type"])
        }
        return name
    }

    func lowerSimulation(_ statement: Statement, duration: Expression, clauses: [Clause]) {
        if let earlier = simulationRange {
            report(.duplicateDefinition, "the simulation is already set", at: statement.keywordRange,
                   notes: ["first 'simulate' at line \(earlier.line)"])
            return
        }
        simulationRange = statement.range
        let table = clauseTable(clauses)
        attempt { () throws(Reported) in spec.simulation.duration = try positive(duration, .time, "the duration") }
        if let clause = table["warmup"] {
            attempt { () throws(Reported) in spec.simulation.warmup = try nonNegative(clause.value, .time, "the warm-up") }
        }
        if let clause = table["seed"] {
            attempt { () throws(Reported) in spec.simulation.seed = UInt64(try integer(clause.value, "the seed", minimum: 0)) }
        }
        if let clause = table["resolution"] {
            attempt { () throws(Reported) in
                spec.simulation.delayResolution = try positive(clause.value, .time, "the delay resolution")
            }
        }
        if let clause = table["kernel_step"] {
            kernelStepRange = clause.value.range
            attempt { () throws(Reported) in
                spec.simulation.kernelStep = try positive(clause.value, .time, "the kernel step")
            }
        }
    }

    func lowerOutput(_ statement: Statement, directory: Expression) {
        if let earlier = outputRange {
            report(.duplicateDefinition, "the output directory is already set", at: statement.keywordRange,
                   notes: ["first 'output' at line \(earlier.line)"])
            return
        }
        outputRange = statement.range
        attempt { () throws(Reported) in
            let path = try string(directory, "the output directory")
            guard !path.isEmpty else { throw fail(.invalidValue, "the output directory cannot be empty", at: directory.range) }
            spec.simulation.outputDirectory = path
        }
    }
}
