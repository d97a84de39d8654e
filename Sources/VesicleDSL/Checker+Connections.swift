// Lowering of `input` and `connect` statements.

import VesicleModel

extension Checker {
    static let connectionRules = ["all_to_all", "one_to_one", "fixed_indegree", "fixed_outdegree", "pairwise_bernoulli"]
    static let inputKinds = ["poisson", "spike_times", "current"] + Checker.labInputKinds

    /// Clauses by keyword; a repeated clause is a `duplicate-definition`.
    func clauseTable(_ clauses: [Clause]) -> [String: Clause] {
        var table: [String: Clause] = [:]
        for clause in clauses {
            if let earlier = table[clause.keyword.text] {
                report(.duplicateDefinition, "'\(clause.keyword.text)' is given twice", at: clause.keyword.range,
                       notes: ["first given at line \(earlier.keyword.range.line), column \(earlier.keyword.range.column)"])
                continue
            }
            table[clause.keyword.text] = clause
        }
        return table
    }

    func lowerInput(_ statement: Statement, name: Name, source: Expression, targets: [Expression], clauses: [Clause]) {
        guard definitions[name.text]?.range == name.range else { return }
        // Each part is checked on its own so that independent errors in one statement are all reported.
        var failed = false
        let table = clauseTable(clauses)
        var targetsFailed = false
        let resolved = targets.compactMap { e in collect(&targetsFailed) { () throws(Reported) in try populationReference(e) } }
        failed = targetsFailed
        let kind = collect(&failed) { () throws(Reported) in try inputKind(source) }
        let start = collect(&failed) { () throws(Reported) in
            try table["start"].map { c throws(Reported) in try nonNegative(c.value, .time, "start") } ?? 0
        }
        let stop = collect(&failed) { () throws(Reported) in
            try table["stop"].map { c throws(Reported) in try positive(c.value, .time, "stop") } ?? .infinity
        }
        if let start, let stop, start >= stop, let clause = table["stop"] {
            failed = true
            report(.outOfRange, "stop must come after start", at: clause.range)
        }
        var weight = 0.0
        var delay = InputSpec(name: "", kind: .poisson(rate: 0), targets: []).delay
        if kind?.isCurrent == true {
            for keyword in ["weight", "delay"] {
                if let clause = table[keyword] { warn("'\(keyword)' is ignored for a current input", at: clause.keyword.range) }
            }
            for target in resolved where target.population.model.lifParameters == nil {
                failed = true
                report(.invalidValue, "a current input needs integrate-and-fire targets; '\(target.population.name)' is a \(target.population.model.name)",
                       at: target.range)
            }
        } else {
            if kind != nil, !targetsFailed,
               let weightDimension = collect(&failed, { () throws(Reported) in try commonWeightDimension(resolved) }) {
                if let clause = table["weight"] {
                    weight = collect(&failed) { () throws(Reported) in
                        try quantity(clause.value, weightDimension, "the weight of an input spike")
                    } ?? 0
                } else {
                    failed = true
                    report(.missingParameter, "a spike input needs 'weight', the PSP amplitude of each input spike",
                           at: statement.keywordRange, notes: ["e.g. 'weight 0.1 \(weightDimension.storageUnit)'"])
                }
            }
            if let clause = table["delay"] {
                delay = collect(&failed) { () throws(Reported) in try positive(clause.value, .time, "the delay of an input") } ?? delay
            }
        }
        guard !failed, var kind, let start, let stop else { return }
        if case .constantCurrent(let amplitude, _, _) = kind {
            kind = .constantCurrent(amplitude: amplitude, start: start, stop: stop)
        }
        // One spike train per target neuron (Checker+Inputs.swift).
        guard let kind = collect(&failed, { () throws(Reported) in try fitSpikeTrains(kind, targets: resolved, at: source.range) })
        else { return }
        spec.inputs.append(InputSpec(name: name.text, kind: kind, targets: resolved.map(\.slice), weight: weight,
                                     delay: delay, start: start, stop: stop))
    }

    /// `poisson(rate = ...)`, `spike_times(times = ...)` or `current(amplitude = ...)`; a current's
    /// window is filled in from the statement's start and stop.
    private func inputKind(_ source: Expression) throws(Reported) -> InputSpec.Kind {
        let (kindName, arguments) = try callParts(source, among: Self.inputKinds, what: "input kind")
        let owner = "input kind '\(kindName.text)'"
        switch kindName.text {
        case _ where Self.labInputKinds.contains(kindName.text):
            // Checker+Inputs.swift.
            return try labInputKind(kindName, arguments, at: source.range)
        case "current":
            let bound = try bind(arguments, to: ["amplitude"], required: ["amplitude"], of: owner, at: source.range)
            let amplitude = try quantity(bound["amplitude"]!, .current, "the amplitude of a current input")
            return .constantCurrent(amplitude: amplitude, start: 0, stop: .infinity)
        case "poisson":
            let bound = try bind(arguments, to: ["rate"], required: ["rate"], of: owner, at: source.range)
            return .poisson(rate: try nonNegative(bound["rate"]!, .frequency, "the rate of a Poisson input"))
        default:
            let bound = try bind(arguments, to: ["times"], required: ["times"], of: owner, at: source.range)
            let trains = try spikeTimes(bound["times"]!)
            guard trains.count == 1 else {
                throw fail(.invalidValue, "spike_times takes one list of times, delivered to every target", at: bound["times"]!.range)
            }
            return .spikeTimes(trains[0])
        }
    }

    /// A delay: a time, or a distribution of times, that can never be zero or negative.
    func delayValue(_ expression: Expression) throws(Reported) -> DistributionValue {
        let delay = try distribution(expression, .time, "a delay")
        try checkDelayIsPositive(delay, at: expression.range)
        return delay
    }

    /// Named check `out-of-range` for delays: every possible draw must be > 0.
    func checkDelayIsPositive(_ delay: DistributionValue, at range: SourceRange) throws(Reported) {
        if delay.canBeNonPositive {
            let hint = delay.distribution.isConstant ? [] : ["clip the distribution: normal(mean, sd, clip = positive), or a uniform range above 0"]
            let found = delay.distribution.constantValue.map { "found \(Quantity($0, .time).formatted)" }
                ?? "this distribution can draw zero or negative values"
            throw fail(.outOfRange, "a delay must be positive; \(found)", at: range, notes: hint)
        }
    }

    func lowerConnection(_ statement: Statement, sources: [Expression], targets: [Expression], rule: Expression, clauses: [Clause]) {
        // Each part is checked on its own so that independent errors in one statement are all reported.
        var failed = false
        let table = clauseTable(clauses)
        let resolvedSources = sources.compactMap { e in collect(&failed) { () throws(Reported) in try populationReference(e) } }
        var targetsFailed = false
        let resolvedTargets = targets.compactMap { e in collect(&targetsFailed) { () throws(Reported) in try populationReference(e) } }
        failed = failed || targetsFailed
        let connectionRule = collect(&failed) { () throws(Reported) in try self.connectionRule(rule) }
        let kernelClause = table["kernel"]
        let kernelName = kernelClause.flatMap { clause in collect(&failed) { () throws(Reported) in try kernelReference(clause) } }
        // A kernel projection's weight scales a current (pA) whatever the target model (KernelSpec).
        let weightDimension: Dimension? = targetsFailed ? nil : collect(&failed) { () throws(Reported) in
            if kernelClause != nil {
                try checkKernelTargets(resolvedTargets)
                return .current
            }
            return try commonWeightDimension(resolvedTargets)
        }
        let weightMeaning = kernelClause == nil ? "a synaptic weight" : "the weight of a kernel projection"
        let synapseTypeName = collect(&failed) { () throws(Reported) in try synapseTypeReference(table["using"]) }
        let isBayesian = synapseTypeName.flatMap { spec.synapseType(named: $0) }
            .map { if case .bayesian = $0.kind { return true } else { return false } } ?? false
        var weight: DistributionValue?
        if let clause = table["weight"] {
            if let weightDimension {
                weight = collect(&failed) { () throws(Reported) in try distribution(clause.value, weightDimension, weightMeaning) }
            }
        } else if isBayesian, let weightDimension {
            // Bayesian synapses take their magnitude from the posterior; the sign defaults to excitatory.
            weight = DistributionValue(distribution: .constant(1), dimension: weightDimension)
        } else if synapseTypeName != nil {
            failed = true
            report(.missingParameter, "connect needs 'weight', the PSP amplitude", at: statement.keywordRange,
                   notes: ["e.g. 'weight 0.1 mV' (bayesian synapses take their weight from the posterior)"])
        }
        var delay: DistributionValue?
        if let clause = table["delay"] {
            delay = collect(&failed) { () throws(Reported) in try delayValue(clause.value) }
        } else {
            failed = true
            report(.missingParameter, "connect needs 'delay', the transmission delay", at: statement.keywordRange,
                   notes: ["e.g. 'delay 1.5 ms'"])
        }
        let autapses = collect(&failed) { () throws(Reported) in try table["autapses"].map { c throws(Reported) in try boolean(c.value, "autapses") } ?? true }
        let multapses = collect(&failed) { () throws(Reported) in try table["multapses"].map { c throws(Reported) in try boolean(c.value, "multapses") } ?? true }
        let customName = collect(&failed) { () throws(Reported) in try table["as"].map { c throws(Reported) in try string(c.value, "a projection name") } }
        let pairs = resolvedSources.count * resolvedTargets.count
        if let clause = table["as"], customName != nil, pairs > 1 {
            failed = true
            report(.invalidValue, "'as' names one projection, but this statement makes \(pairs)", at: clause.range)
        }
        guard !failed, let connectionRule, let synapseTypeName, let weight, let delay,
              let autapses, let multapses, let customName else { return }
        for source in resolvedSources {
            for target in resolvedTargets {
                attempt { () throws(Reported) in
                    try checkRuleFits(connectionRule, source: source, target: target, at: rule.range)
                    let projectionName = customName ?? "\(source.label)->\(target.label)"
                    if projectionNames.contains(projectionName) {
                        throw fail(.duplicateDefinition, "projection '\(projectionName)' is already defined", at: statement.range,
                                   notes: ["name this one differently with: as \"\(projectionName)_2\""])
                    }
                    projectionNames.insert(projectionName)
                    var projection = ProjectionSpec(
                        name: projectionName, source: source.slice, target: target.slice, rule: connectionRule,
                        allowAutapses: autapses, allowMultapses: multapses, synapseType: synapseTypeName,
                        weight: weight.distribution, delay: delay.distribution)
                    projection.kernel = kernelName
                    spec.projections.append(projection)
                    projectionOrigins.append(ProjectionOrigin(
                        synapseType: table["using"]?.value.range ?? statement.keywordRange,
                        delay: table["delay"]?.value.range ?? statement.keywordRange))
                }
            }
        }
    }

    /// The synapse type named by a `using` clause; "static" without one.
    private func synapseTypeReference(_ clause: Clause?) throws(Reported) -> String {
        guard let clause else { return "static" }
        guard let typeName = clause.value.identifier else {
            throw fail(.invalidValue, "'using' takes a synapse type name", at: clause.value.range)
        }
        guard spec.synapseType(named: typeName) != nil else {
            if definitions[typeName]?.kind == .synapse { throw Reported() }
            let candidates = spec.synapseTypes.map(\.name) + definitions.filter { $0.value.kind == .synapse }.map(\.key)
            throw checkUndefinedName(typeName, kind: "synapse type", candidates: candidates, at: clause.value.range)
        }
        return typeName
    }

    private func connectionRule(_ expression: Expression) throws(Reported) -> ConnectionRule {
        let (name, arguments) = try callParts(expression, among: Self.connectionRules, what: "connection rule")
        let owner = "connection rule '\(name.text)'"
        switch name.text {
        case "all_to_all":
            _ = try bind(arguments, to: [], of: owner, at: expression.range)
            return .allToAll
        case "one_to_one":
            _ = try bind(arguments, to: [], of: owner, at: expression.range)
            return .oneToOne
        case "pairwise_bernoulli":
            let bound = try bind(arguments, to: ["p"], required: ["p"], of: owner, at: expression.range)
            return .pairwiseBernoulli(try probability(bound["p"]!, "the connection probability p"))
        default:
            let bound = try bind(arguments, to: ["k"], required: ["k"], of: owner, at: expression.range)
            let isIndegree = name.text == "fixed_indegree"
            let k = try integer(bound["k"]!, isIndegree ? "the in-degree k" : "the out-degree k", minimum: 0)
            return isIndegree ? .fixedIndegree(k) : .fixedOutdegree(k)
        }
    }

    /// Named check `out-of-range` for probabilities: p must lie in [0, 1].
    func probability(_ expression: Expression, _ what: String) throws(Reported) -> Double {
        let p = try quantity(expression, .dimensionless, what)
        guard p >= 0, p <= 1 else {
            throw fail(.outOfRange, "\(what) must lie in [0, 1], found \(p)", at: expression.range)
        }
        return p
    }

    /// Checks that depend on the sizes of one source-target pair.
    private func checkRuleFits(_ rule: ConnectionRule, source: ResolvedSlice, target: ResolvedSlice,
                               at range: SourceRange) throws(Reported) {
        switch rule {
        case .oneToOne where source.count != target.count:
            throw fail(.outOfRange, "one_to_one needs equal sizes, but \(source.label) has \(source.count) neurons and \(target.label) has \(target.count)",
                       at: range)
        case .fixedIndegree(let k):
            try checkDegree(k, isIndegree: true, pool: source, at: range)
        case .fixedOutdegree(let k):
            try checkDegree(k, isIndegree: false, pool: target, at: range)
        default:
            break
        }
    }

    /// Named check `out-of-range` for degrees: k partners are drawn from a pool that must hold at
    /// least k neurons (with multapses NEST would repeat partners, but such a network is almost
    /// always a mistake in the sizes, so it is refused).
    func checkDegree(_ k: Int, isIndegree: Bool, pool: ResolvedSlice, at range: SourceRange) throws(Reported) {
        guard k > pool.count else { return }
        let what = isIndegree ? "in-degree \(k) is larger than the source \(pool.label) (\(pool.count) neurons)"
                              : "out-degree \(k) is larger than the target \(pool.label) (\(pool.count) neurons)"
        throw fail(.outOfRange, what, at: range)
    }
}
