// Lowering of `let`, `neuron` and `population` statements.

import Foundation
import VesicleModel

extension Checker {
    /// Named check `duplicate-definition`: two declarations of one name (all declared names share
    /// one namespace), or a name that is reserved for a unit, a model or a keyword.
    func checkDuplicateDefinitions(_ statements: [Statement]) {
        let reserved = Set(Unit.all.map(\.symbol) + ["true", "false", "static"]
                           + StatementKeyword.allCases.map(\.rawValue))
        for statement in statements {
            guard let name = statement.declaredName else { continue }
            let kind: DefinitionKind
            switch statement.kind {
            case .constant: kind = .constant
            case .neuron: kind = .neuron
            case .population: kind = .population
            case .input: kind = .input
            case .kernel: kind = .kernel
            default: kind = .synapse
            }
            if reserved.contains(name.text) {
                // Reported once here; the name is still registered so that its uses do not cascade.
                report(.duplicateDefinition, "'\(name.text)' is reserved (a unit, keyword or built-in name) and cannot be redefined",
                       at: name.range)
            }
            if let earlier = definitions[name.text] {
                report(.duplicateDefinition, "'\(name.text)' is already defined", at: name.range,
                       notes: ["'\(name.text)' was defined as a \(earlier.kind.rawValue) at line \(earlier.range.line), column \(earlier.range.column)"])
                continue
            }
            definitions[name.text] = Definition(kind: kind, range: name.range)
        }
    }

    func lowerConstant(name: Name, value: Expression) {
        guard definitions[name.text]?.range == name.range else { return }
        do {
            if case .call(let function, _) = value.kind, Self.distributions.contains(function.text) {
                constants[name.text] = .distribution(try distribution(value, nil, "'\(name.text)'"))
            } else if let list = try listValue(value) {
                constants[name.text] = .list(list)  // a list or a table (Checker+Tables)
            } else {
                constants[name.text] = .quantity(try evaluate(value))
            }
        } catch {
            failedConstants.insert(name.text)
        }
    }

    /// Lowers one `neuron` statement once. An alias (`neuron b = a`) lowers what it names first,
    /// wherever that is declared, so that `neuron a = b` before `neuron b = lif_delta(...)` names
    /// exactly that model; a chain that returns to a name in it (`neuron cell = cell`) is an error
    /// at the alias, never a silently missing model.
    func lowerNeuron(name: Name, model: Expression) {
        guard definitions[name.text]?.range == name.range, neurons[name.text] == nil,
              !failedNeurons.contains(name.text) else { return }
        neuronsInProgress.append(name.text)
        defer { neuronsInProgress.removeLast() }
        do {
            neurons[name.text] = try neuronModel(model)
        } catch {
            // The defaults stand in so that the populations using it are still checked.
            failedNeurons.insert(name.text)
            neurons[name.text] = fallbackModel(for: model)
        }
    }

    /// The model a `neuron` name stands for, lowering its declaration now if it has not been yet.
    /// Named check `alias-cycle`.
    private func aliasedNeuron(_ text: String, at range: SourceRange) throws(Reported) -> NeuronModel {
        if let model = neurons[text] { return model }
        if let cycleStart = neuronsInProgress.firstIndex(of: text) {
            let chain = (neuronsInProgress[cycleStart...] + [text]).joined(separator: " = ")
            throw fail(.aliasCycle, "neuron '\(text)' is defined in terms of itself (\(chain))", at: range,
                       notes: ["an alias must end in a model, such as: neuron \(neuronsInProgress.last ?? text) = lif_delta(tau_m = 20 ms)"])
        }
        if !failedNeurons.contains(text), let declaration = neuronDeclarations[text] {
            lowerNeuron(name: declaration.name, model: declaration.model)
            if let model = neurons[text] { return model }
        }
        throw Reported()  // its own definition failed and was reported
    }

    /// The model with default parameters, standing in for a model whose parameters had errors, so
    /// that the populations using it are still checked (the file fails either way).
    func fallbackModel(for expression: Expression) -> NeuronModel? {
        let name: String
        switch expression.kind {
        case .identifier(let text): name = text
        case .call(let callee, _): name = callee.text
        default: return nil
        }
        switch name {
        case "lif_delta": return .lifDelta(LIFParameters())
        case "lif_exp": return .lifExp(LIFParameters())
        case "linear_readout": return .linearReadout(LinearReadoutParameters())
        case "poisson_source": return .poissonSource(rate: .constant(0), refractoryPeriod: 0)
        case "spike_source": return .spikeSource(times: [[]])
        default: return neurons[name]
        }
    }

    /// A model call (`lif_delta(tau_m = 20 ms)`), a bare model name (all defaults) or a `neuron` name.
    func neuronModel(_ expression: Expression) throws(Reported) -> NeuronModel {
        let modelName: Name
        var arguments: [Argument] = []
        switch expression.kind {
        case .identifier(let text):
            if definitions[text]?.kind == .neuron { return try aliasedNeuron(text, at: expression.range) }
            guard NeuronModelCatalog.names.contains(text) else {
                if let definition = definitions[text] {
                    throw fail(.invalidValue, "'\(text)' is a \(definition.kind.rawValue), not a neuron model", at: expression.range)
                }
                let candidates = NeuronModelCatalog.names + definitions.filter { $0.value.kind == .neuron }.map(\.key)
                throw checkUndefinedName(text, kind: "neuron model", candidates: candidates, at: expression.range)
            }
            modelName = Name(text: text, range: expression.range)
        case .call(let name, let callArguments):
            guard NeuronModelCatalog.names.contains(name.text) else {
                throw checkUndefinedName(name.text, kind: "neuron model", candidates: NeuronModelCatalog.names, at: name.range,
                                         notes: ["models: " + NeuronModelCatalog.names.joined(separator: ", ")])
            }
            modelName = name
            arguments = callArguments
        default:
            throw fail(.invalidValue, "expected a neuron model such as lif_delta(...)", at: expression.range)
        }
        let owner = "neuron model '\(modelName.text)'"
        let parameters = NeuronModelCatalog.parameters[modelName.text] ?? []
        if modelName.text == "lif_delta" {
            // tau_syn_* exist for lif_exp only: say so instead of a generic "unknown".
            for argument in arguments {
                if let label = argument.label, NeuronModelCatalog.synapticCurrentParameters.contains(label.text) {
                    report(.unknownParameter, "\(owner) has no parameter '\(label.text)'", at: label.range,
                           notes: ["lif_delta synapses are voltage jumps; synaptic time constants belong to lif_exp"])
                }
            }
            arguments.removeAll { $0.label.map { NeuronModelCatalog.synapticCurrentParameters.contains($0.text) } ?? false }
        }
        let bound = try bind(arguments, to: parameters, required: NeuronModelCatalog.required[modelName.text] ?? [],
                             of: owner, at: expression.range)
        switch modelName.text {
        case "lif_delta": return .lifDelta(try lifParameters(bound, owner: owner, at: expression.range))
        case "lif_exp": return .lifExp(try lifParameters(bound, owner: owner, at: expression.range))
        case "linear_readout":
            var readout = LinearReadoutParameters()
            if let e = bound["sigma_0"] { readout.noiseSD = try nonNegative(e, .voltage, "sigma_0 (membrane noise s.d.)") }
            return .linearReadout(readout)
        case "poisson_source":
            let rate = try distribution(bound["rate"]!, .frequency, "the rate of poisson_source")
            if rate.bounds.lowerBound < 0 {
                throw fail(.outOfRange, "a firing rate cannot be negative", at: bound["rate"]!.range)
            }
            let refractory = try bound["t_ref"].map { e throws(Reported) in try nonNegative(e, .time, "t_ref") } ?? 0
            return .poissonSource(rate: rate.distribution, refractoryPeriod: refractory)
        default:
            return .spikeSource(times: try spikeTimes(bound["times"]!))
        }
    }

    private func lifParameters(_ bound: BoundArguments, owner: String, at range: SourceRange) throws(Reported) -> LIFParameters {
        var p = LIFParameters()
        var failed = false
        func set(_ name: String, _ body: (Expression) throws(Reported) -> Void) {
            guard let e = bound[name] else { return }
            do { try body(e) } catch { failed = true }
        }
        set("tau_m") { e throws(Reported) in p.tauM = try positive(e, .time, "tau_m (membrane time constant)") }
        set("C_m") { e throws(Reported) in p.capacitance = try positive(e, .capacitance, "C_m (membrane capacitance)") }
        set("E_L") { e throws(Reported) in p.restingPotential = try quantity(e, .voltage, "E_L (resting potential)") }
        set("V_th") { e throws(Reported) in p.threshold = try quantity(e, .voltage, "V_th (threshold)") }
        set("V_reset") { e throws(Reported) in p.resetPotential = try quantity(e, .voltage, "V_reset (reset potential)") }
        set("t_ref") { e throws(Reported) in p.refractoryPeriod = try nonNegative(e, .time, "t_ref (refractory period)") }
        set("I_e") { e throws(Reported) in p.biasCurrent = try quantity(e, .current, "I_e (bias current)") }
        set("tau_syn_ex") { e throws(Reported) in p.tauSynExcitatory = try positive(e, .time, "tau_syn_ex") }
        set("tau_syn_in") { e throws(Reported) in p.tauSynInhibitory = try positive(e, .time, "tau_syn_in") }
        var rho: Double?
        var delta: Double?
        set("rho_0") { e throws(Reported) in rho = try positive(e, .frequency, "rho_0 (escape rate at threshold)") }
        set("delta_V") { e throws(Reported) in delta = try positive(e, .voltage, "delta_V (escape noise softness)") }
        if failed { throw Reported() }
        switch (rho, delta) {
        case let (rate?, softness?): p.escapeNoise = EscapeNoise(rateAtThreshold: rate, deltaV: softness)
        case (nil, nil): break
        case (nil, _): throw fail(.missingParameter, "\(owner) with escape noise needs 'rho_0' as well as 'delta_V'", at: range)
        case (_, nil): throw fail(.missingParameter, "\(owner) with escape noise needs 'delta_V' as well as 'rho_0'", at: range)
        }
        if p.resetPotential >= p.threshold, bound["V_reset"] != nil || bound["V_th"] != nil {
            let defaulted = bound["V_th"] == nil ? ["V_th is not given, so it is its default, -55 mV"]
                : bound["V_reset"] == nil ? ["V_reset is not given, so it is its default, -70 mV"] : []
            throw fail(.outOfRange, "V_reset (\(Quantity(p.resetPotential, .voltage).formatted)) must lie below V_th (\(Quantity(p.threshold, .voltage).formatted))",
                       at: (bound["V_reset"] ?? bound["V_th"]!).range, notes: defaulted)
        }
        return p
    }

    /// Named check `out-of-range` for quantities that must be strictly positive (time constants, sizes).
    func positive(_ expression: Expression, _ dimension: Dimension, _ what: String) throws(Reported) -> Double {
        let value = try quantity(expression, dimension, what)
        guard value > 0 else {
            throw fail(.outOfRange, "\(what) must be positive, found \(Quantity(value, dimension).formatted)", at: expression.range)
        }
        try checkMagnitude(value, dimension, what, at: expression.range)
        return value
    }

    /// Named check `out-of-range` for quantities that may be zero but not negative.
    func nonNegative(_ expression: Expression, _ dimension: Dimension, _ what: String) throws(Reported) -> Double {
        let value = try quantity(expression, dimension, what)
        guard value >= 0 else {
            throw fail(.outOfRange, "\(what) cannot be negative, found \(Quantity(value, dimension).formatted)", at: expression.range)
        }
        try checkMagnitude(value, dimension, what, at: expression.range)
        return value
    }

    /// Named check `out-of-range` for times and rates beyond what a run can hold
    /// (`ParameterBounds`): a time constant near 1e300 ms or a rate near 1e15 Hz overflows the
    /// products the engine forms, or traps converting them to integers.
    func checkMagnitude(_ value: Double, _ dimension: Dimension, _ what: String, at range: SourceRange) throws(Reported) {
        let limit: Double
        switch dimension {
        case .time: limit = ParameterBounds.maximumTime
        case .frequency: limit = ParameterBounds.maximumRate
        default: return
        }
        guard value > limit else { return }
        throw fail(.outOfRange, "\(what) must be at most \(Quantity(limit, dimension).formatted), found \(Quantity(value, dimension).formatted)",
                   at: range, notes: [dimension == .time
                       ? "the valid range is up to 1e10 ms (about 116 days); longer times overflow the engine's step and decay products"
                       : "the valid range is 0 to 1e7 Hz (one event per 0.1 µs); a faster source cannot be simulated event by event"])
    }

    /// Spike times: `[1 ms, 5 ms]` (one train), `[[1 ms], [2 ms, 3 ms]]` (one per neuron) or
    /// `file("times.txt")` (one time in ms per line, relative to the network file).
    func spikeTimes(_ expression: Expression) throws(Reported) -> [[Double]] {
        switch expression.kind {
        case .list(let items):
            if items.allSatisfy({ if case .list = $0.kind { return true } else { return false } }), !items.isEmpty {
                var trains: [[Double]] = []
                for item in items { trains.append(try spikeTimes(item)[0]) }
                return trains
            }
            var times: [Double] = []
            for item in items { times.append(try nonNegative(item, .time, "a spike time")) }
            return [try sortedTimes(times, at: expression.range)]
        case .call(let name, let arguments) where name.text == "file":
            let bound = try bind(arguments, to: ["path"], required: ["path"], of: "file", at: expression.range)
            return [try sortedTimes(try readTimes(try string(bound["path"]!, "the file path"), at: expression.range),
                                    at: expression.range)]
        default:
            throw fail(.invalidValue, "spike times must be a list such as [1 ms, 2.5 ms] or file(\"times.txt\")",
                       at: expression.range)
        }
    }

    private func sortedTimes(_ times: [Double], at range: SourceRange) throws(Reported) -> [Double] {
        if zip(times, times.dropFirst()).contains(where: { $0 > $1 }) {
            warn("spike times are not in increasing order; they are sorted", at: range)
            return times.sorted()
        }
        return times
    }

    private func readTimes(_ relativePath: String, at range: SourceRange) throws(Reported) -> [Double] {
        let fullPath = relativePath.hasPrefix("/") || baseDirectory.isEmpty
            ? relativePath : (baseDirectory as NSString).appendingPathComponent(relativePath)
        spec.readFiles.paths.append(fullPath)  // hashed into checkpoints (docs/CHECKPOINT.md)
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            throw fail(.unreadableFile, "cannot read spike-time file '\(fullPath)'", at: range)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw fail(.unreadableFile, "spike-time file '\(fullPath)' is not valid UTF-8", at: range)
        }
        var times: [Double] = []
        // Split on any line break: Swift reads "\r\n" as one Character, which "\n" does not match,
        // so a CRLF file was one long, invalid line.
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let time = Double(trimmed), time.isFinite, time >= 0 else {
                throw fail(.invalidValue, "\(relativePath):\(number + 1): '\(trimmed)' is not a spike time (a non-negative number of ms)",
                           at: range)
            }
            times.append(time)
        }
        return times
    }

    func lowerPopulation(name: Name, size sizeExpression: Expression, model: Expression, initial: [Argument]) {
        guard definitions[name.text]?.range == name.range else { return }
        attempt { () throws(Reported) in
            let size = try integer(sizeExpression, "the size of population '\(name.text)'", minimum: 1, maximum: 1 << 40)
            let neuronModel: NeuronModel
            do {
                neuronModel = try self.neuronModel(model)
            } catch {
                guard let fallback = fallbackModel(for: model) else { throw Reported() }
                neuronModel = fallback
            }
            var population = PopulationSpec(name: name.text, size: size, model: neuronModel)
            if case .spikeSource(let trains) = neuronModel, trains.count != 1, trains.count != size {
                throw fail(.invalidValue, "spike_source gives \(trains.count) spike trains for \(size) neurons; give one train, or one per neuron",
                           at: model.range)
            }
            let bound = try bind(initial, to: ["V_m"], of: "the initial values of population '\(name.text)'", at: name.range)
            if let potential = bound["V_m"] {
                guard neuronModel.lifParameters != nil else {
                    throw fail(.unknownParameter, "\(neuronModel.name) neurons have no membrane potential to initialise",
                               at: potential.range)
                }
                population.initialPotential = try distribution(potential, .voltage, "the initial membrane potential V_m").distribution
            }
            spec.populations.append(population)
            populationRanges[name.text] = name.range
        }
    }
}
