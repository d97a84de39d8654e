// Lowering of `input` and `connect` statements.

import VesicleModel

extension Checker {
    static let connectionRules = ["all_to_all", "one_to_one", "fixed_indegree", "fixed_outdegree", "pairwise_bernoulli",
                                  "fixed_total_number", "from_file"]
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
        guard !resolved.isEmpty || targetsFailed else { return }

        // The kind, weight and delay, read for one target position: `per_target(L)` gives each target
        // its own value (Checker+Tables), and then the input is split into one per target.
        func parts(_ cell: TableCell, warnings: Bool) -> (kind: InputSpec.Kind, weight: Double, delay: Double)? {
            var failed = false
            let kind = collect(&failed) { () throws(Reported) in try inputKind(source) }
            var weight = 0.0
            var delay = InputSpec(name: "", kind: .poisson(rate: 0), targets: []).delay
            if kind?.isCurrent == true {
                if warnings {
                    for keyword in ["weight", "delay"] {
                        if let clause = table[keyword] { warn("'\(keyword)' is ignored for a current input", at: clause.keyword.range) }
                    }
                    for target in resolved where target.population.model.lifParameters == nil {
                        failed = true
                        report(.invalidValue, "a current input needs integrate-and-fire targets; '\(target.population.name)' is a \(target.population.model.name)",
                               at: target.range)
                    }
                }
            } else {
                if kind != nil, !targetsFailed,
                   let weightDimension = collect(&failed, { () throws(Reported) in try commonWeightDimension(resolved) }) {
                    if let clause = table["weight"] {
                        weight = collect(&failed) { () throws(Reported) in
                            try quantity(clause.value, weightDimension, "the weight of an input spike")
                        } ?? 0
                    } else if warnings {
                        failed = true
                        report(.missingParameter, "a spike input needs 'weight', the PSP amplitude of each input spike",
                               at: statement.keywordRange, notes: ["e.g. 'weight 0.1 \(weightDimension.storageUnit)'"])
                    }
                }
                if let clause = table["delay"] {
                    delay = collect(&failed) { () throws(Reported) in try positive(clause.value, .time, "the delay of an input") } ?? delay
                }
            }
            guard !failed, let kind else { return nil }
            return (kind, weight, delay)
        }
        let count = max(resolved.count, 1)
        func cell(_ i: Int) -> TableCell { TableCell(target: i, source: 0, targets: count, sources: 1, statement: "input") }
        let saved = tableCell
        tableCell = cell(0)
        let first = parts(cell(0), warnings: true)
        let perTarget = tableCell?.readTable == true
        if perTarget, first == nil, let last = diagnostics.indices.last, diagnostics[last].severity == .error, !resolved.isEmpty {
            diagnostics[last].notes.append("for the target \(resolved[0].label) (position 0)")
        }
        tableCell = saved
        guard !failed, let first, let start, let stop else { return }
        var all = [first]
        if perTarget {
            for i in 1..<count {
                tableCell = cell(i)
                let value = parts(cell(i), warnings: false)
                tableCell = saved
                guard let value else {
                    if let last = diagnostics.indices.last, diagnostics[last].severity == .error {
                        diagnostics[last].notes.append("for the target \(resolved[i].label) (position \(i))")
                    }
                    return
                }
                all.append(value)
            }
        }
        func windowed(_ kind: InputSpec.Kind) -> InputSpec.Kind {
            if case .constantCurrent(let amplitude, _, _) = kind {
                return .constantCurrent(amplitude: amplitude, start: start, stop: stop)
            }
            return kind
        }
        // One spike train per target neuron (Checker+Inputs.swift).
        if perTarget {
            for (i, part) in all.enumerated() {
                guard let kind = collect(&failed, { () throws(Reported) in
                    try fitSpikeTrains(windowed(part.kind), targets: [resolved[i]], at: source.range)
                }) else { return }
                spec.inputs.append(InputSpec(name: "\(name.text)->\(resolved[i].label)", kind: kind,
                                             targets: [resolved[i].slice], weight: part.weight, delay: part.delay,
                                             start: start, stop: stop))
            }
        } else {
            guard let kind = collect(&failed, { () throws(Reported) in
                try fitSpikeTrains(windowed(first.kind), targets: resolved, at: source.range)
            }) else { return }
            spec.inputs.append(InputSpec(name: name.text, kind: kind, targets: resolved.map(\.slice),
                                         weight: first.weight, delay: first.delay, start: start, stop: stop))
        }
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
            let hint = delay.distribution.isConstant ? [] : ["bound the distribution: normal(mean, sd, min = 0.1 ms) redraws values below min (as NEST's redraw), or use a uniform range above 0"]
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
        let autapses = collect(&failed) { () throws(Reported) in try table["autapses"].map { c throws(Reported) in try boolean(c.value, "autapses") } ?? true }
        let multapses = collect(&failed) { () throws(Reported) in try table["multapses"].map { c throws(Reported) in try boolean(c.value, "multapses") } ?? true }
        let customName = collect(&failed) { () throws(Reported) in try table["as"].map { c throws(Reported) in try string(c.value, "a projection name") } }
        let pairCount = resolvedSources.count * resolvedTargets.count
        if let clause = table["as"], customName != nil, pairCount > 1 {
            failed = true
            report(.invalidValue, "'as' names one projection, but this statement makes \(pairCount) projections", at: clause.range)
        }
        let fromFile = Self.isFromFile(rule)
        if fromFile, pairCount > 1, !resolvedSources.isEmpty, !resolvedTargets.isEmpty {
            report(.invalidValue, "from_file lists the synapses of one projection, but this statement makes \(pairCount)", at: rule.range)
            return
        }
        // Clauses are still read after an error elsewhere in the statement, so that independent errors
        // are all reported; nothing is lowered if any failed.
        guard !resolvedSources.isEmpty, !resolvedTargets.isEmpty, let autapses, let multapses, let customName else {
            return
        }

        // Rule, weight and delay are read for every (target, source) pair, so that tables can give each
        // pair its own (Checker+Tables). An error stops the clause at the first pair it occurs for.
        struct Pair { var source: ResolvedSlice; var target: ResolvedSlice; var cell: TableCell; var name: String }
        var pairs: [Pair] = []
        for (si, source) in resolvedSources.enumerated() {
            for (ti, target) in resolvedTargets.enumerated() {
                let cell = TableCell(target: ti, source: si, targets: resolvedTargets.count, sources: resolvedSources.count,
                                     statement: "connect")
                pairs.append(Pair(source: source, target: target, cell: cell, name: customName ?? "\(source.label)->\(target.label)"))
            }
        }
        func perPair<T>(_ body: (Pair) throws(Reported) -> T) -> [T]? {
            var values: [T] = []
            for pair in pairs {
                guard let value = collect(&failed, { () throws(Reported) in
                    try inTableCell(pair.cell, pair: "the projection '\(pair.name)'") { () throws(Reported) in try body(pair) }
                }) else { return nil }
                values.append(value)
            }
            return values
        }
        let rules = perPair { (pair) throws(Reported) in
            let r = try connectionRule(rule, source: pair.source, target: pair.target, weightDimension: weightDimension)
            try checkRuleFits(r, source: pair.source, target: pair.target, autapses: autapses, multapses: multapses, at: rule.range)
            return r
        }
        let list: ConnectionList? = {
            if case .fromList(let l)? = rules?.first { return l }
            return nil
        }()
        var weights: [DistributionValue]?
        if let clause = table["weight"] {
            if list?.weights != nil {
                failed = true
                report(.duplicateDefinition, "the connection file gives the weights; remove 'weight' or the file's weight column", at: clause.range)
            } else if let weightDimension {
                weights = perPair { (_) throws(Reported) in try distribution(clause.value, weightDimension, weightMeaning) }
            }
        } else if let weightDimension, isBayesian || list?.weights != nil {
            // Bayesian synapses take their magnitude from the posterior; the sign defaults to excitatory.
            // A file's weights replace the constant here.
            weights = pairs.map { _ in DistributionValue(distribution: .constant(1), dimension: weightDimension) }
        } else if synapseTypeName != nil, !(fromFile && rules == nil) {
            // (A connection file that failed to read may have held the weights: no second error.)
            failed = true
            report(.missingParameter, "connect needs 'weight', the PSP amplitude", at: statement.keywordRange,
                   notes: ["e.g. 'weight 0.1 mV' (bayesian synapses take their weight from the posterior)"])
        }
        if isBayesian, list?.weights != nil {
            failed = true
            report(.invalidValue, "Bayesian synapses take their weights from the posterior; the connection file's weight column would be ignored",
                   at: rule.range)
        }
        var delays: [DistributionValue]?
        if let clause = table["delay"] {
            if list?.delays != nil {
                failed = true
                report(.duplicateDefinition, "the connection file gives the delays; remove 'delay' or the file's delay column", at: clause.range)
            } else {
                delays = perPair { (_) throws(Reported) in try delayValue(clause.value) }
            }
        } else if list?.delays != nil {
            delays = pairs.map { _ in DistributionValue(distribution: .constant(1), dimension: .time) }
        } else if fromFile && rules == nil {
            failed = true  // the unreadable file may have held the delays; its error is reported
        } else {
            failed = true
            report(.missingParameter, "connect needs 'delay', the transmission delay", at: statement.keywordRange,
                   notes: ["e.g. 'delay 1.5 ms'"])
        }
        guard !failed, let rules, let synapseTypeName, let weights, let delays else { return }
        for (k, pair) in pairs.enumerated() {
            attempt { () throws(Reported) in
                let projectionName = pair.name
                if projectionNames.contains(projectionName) {
                    throw fail(.duplicateDefinition, "projection '\(projectionName)' is already defined", at: statement.range,
                               notes: ["name this one differently with: as \"\(projectionName)_2\""])
                }
                projectionNames.insert(projectionName)
                var projection = ProjectionSpec(
                    name: projectionName, source: pair.source.slice, target: pair.target.slice, rule: rules[k],
                    allowAutapses: autapses, allowMultapses: multapses, synapseType: synapseTypeName,
                    weight: weights[k].distribution, delay: delays[k].distribution)
                projection.kernel = kernelName
                spec.projections.append(projection)
                projectionOrigins.append(ProjectionOrigin(
                    synapseType: table["using"]?.value.range ?? statement.keywordRange,
                    delay: table["delay"]?.value.range ?? rule.range))
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

    static func isFromFile(_ rule: Expression) -> Bool {
        if case .call(let name, _) = rule.kind, name.text == "from_file" { return true }
        return false
    }

    private func connectionRule(_ expression: Expression, source: ResolvedSlice, target: ResolvedSlice,
                                weightDimension: Dimension?) throws(Reported) -> ConnectionRule {
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
        case "fixed_total_number":
            let bound = try bind(arguments, to: ["n"], required: ["n"], of: owner, at: expression.range)
            return .fixedTotalNumber(try integer(bound["n"]!, "the total number of synapses n", minimum: 0))
        case "from_file":
            let bound = try bind(arguments, to: ["path"], required: ["path"], of: owner, at: expression.range)
            let path = try string(bound["path"]!, "the connection file's path")
            guard let weightDimension else { throw Reported() }
            return .fromList(try readConnectionFile(path, source: source, target: target,
                                                    weightDimension: weightDimension, at: expression.range))
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
                               autapses: Bool, multapses: Bool, at range: SourceRange) throws(Reported) {
        // An autapse is i -> i within one population; only overlapping slices have any.
        let overlap: Int = {
            guard !autapses, source.slice.population == target.slice.population else { return 0 }
            let s = source.slice.range ?? 0..<source.population.size, t = target.slice.range ?? 0..<target.population.size
            return s.clamped(to: t).count
        }()
        switch rule {
        case .oneToOne where source.count != target.count:
            throw fail(.outOfRange, "one_to_one needs equal sizes, but \(source.label) has \(source.count) neurons and \(target.label) has \(target.count)",
                       at: range)
        case .fixedIndegree(let k):
            try checkDegree(k, isIndegree: true, pool: source, multapses: multapses, excludesSelf: overlap > 0, at: range)
        case .fixedOutdegree(let k):
            try checkDegree(k, isIndegree: false, pool: target, multapses: multapses, excludesSelf: overlap > 0, at: range)
        case .fixedTotalNumber(let n):
            let pairs = source.count * target.count - overlap
            if n > 0 && pairs == 0 {
                throw fail(.outOfRange, "fixed_total_number(\(n)) has no pair to place synapses on: every pair of \(source.label) -> \(target.label) is an autapse",
                           at: range)
            }
            if !multapses && n > pairs {
                throw fail(.outOfRange, "fixed_total_number(\(n)) without multapses is more than the \(pairs) distinct pairs of \(source.label) -> \(target.label)",
                           at: range, notes: ["with multapses true (the default, as NEST) a pair may carry several synapses"])
            }
        default:
            break
        }
    }

    /// Named check `out-of-range` for degrees: without multapses, k distinct partners are drawn from a
    /// pool that must hold at least k neurons (less the neuron itself without autapses); with
    /// multapses (the default, as NEST) partners repeat and any k is allowed.
    func checkDegree(_ k: Int, isIndegree: Bool, pool: ResolvedSlice, multapses: Bool, excludesSelf: Bool,
                     at range: SourceRange) throws(Reported) {
        let available = pool.count - (excludesSelf ? 1 : 0)
        if multapses {
            guard k > 0, available == 0 else { return }
        } else {
            guard k > available else { return }
        }
        let partners = isIndegree ? "the source \(pool.label)" : "the target \(pool.label)"
        let degree = isIndegree ? "in-degree \(k)" : "out-degree \(k)"
        if multapses {
            throw fail(.outOfRange, "\(degree) has no partner to draw: \(partners) is one neuron, the neuron itself, and autapses are false", at: range)
        }
        let what = excludesSelf && k <= pool.count
            ? "\(degree) without multapses or autapses needs \(k) distinct partners besides the neuron itself, but \(partners) has \(pool.count) neurons"
            : "\(degree) is larger than \(partners) (\(pool.count) neurons)"
        throw fail(.outOfRange, what, at: range,
                   notes: ["without multapses each partner is drawn once; with 'multapses true' (the default, as NEST) partners may repeat"])
    }
}
