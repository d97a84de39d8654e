// Lowering of `stdp(...)` and `tsodyks(...)` synapse types, and the checks that their projections
// can run them (docs/LANGUAGE.md, "STDP and short-term plasticity").

import VesicleModel

extension Checker {
    static let stdpParameters = ["tau_plus", "tau_minus", "lambda", "alpha", "mu_plus", "mu_minus", "Wmax", "pairing"]
    static let tsodyksParameters = ["U", "u", "x", "tau_rec", "tau_fac"]

    /// `stdp(tau_plus = 20 ms, tau_minus = 20 ms, lambda = 0.01, alpha = 1, mu_plus = 1, mu_minus = 1,
    /// Wmax = 100 mV, pairing = all_to_all)`; Wmax is a voltage for lif_delta targets, a current for lif_exp.
    func stdpSynapse(_ name: Name, _ arguments: [Argument], at range: SourceRange) throws(Reported) -> STDPSynapseSpec {
        let bound = try bind(arguments, to: Self.stdpParameters, required: ["Wmax"], of: "an stdp synapse", at: range)
        var rule = STDPSynapseSpec()
        var failed = false
        func set(_ parameter: String, _ body: (Expression) throws(Reported) -> Void) {
            guard let e = bound[parameter] else { return }
            do { try body(e) } catch { failed = true }
        }
        set("tau_plus") { e throws(Reported) in rule.tauPlus = try positive(e, .time, "tau_plus (presynaptic trace time constant)") }
        set("tau_minus") { e throws(Reported) in rule.tauMinus = try positive(e, .time, "tau_minus (postsynaptic trace time constant)") }
        set("lambda") { e throws(Reported) in rule.lambda = try nonNegative(e, .dimensionless, "lambda (learning rate)") }
        set("alpha") { e throws(Reported) in rule.alpha = try nonNegative(e, .dimensionless, "alpha (depression to facilitation ratio)") }
        set("mu_plus") { e throws(Reported) in rule.muPlus = try nonNegative(e, .dimensionless, "mu_plus (weight dependence of facilitation)") }
        set("mu_minus") { e throws(Reported) in rule.muMinus = try nonNegative(e, .dimensionless, "mu_minus (weight dependence of depression)") }
        set("pairing") { e throws(Reported) in
            let word = try choice(e, "spike pairing", among: STDPSynapseSpec.Pairing.allCases.map(\.rawValue))
            rule.pairing = STDPSynapseSpec.Pairing(rawValue: word) ?? .allToAll
        }
        set("Wmax") { e throws(Reported) in
            let value = try evaluate(e)
            guard value.dimension == .voltage || value.dimension == .current else {
                throw fail(.dimensionMismatch, "Wmax (the weight bound) must be a voltage (lif_delta targets) or a current (lif_exp targets), found \(value.dimension.name)",
                           at: e.range, notes: ["e.g. Wmax = 0.2 mV"])
            }
            guard value.value != 0 else {
                throw fail(.outOfRange, "Wmax (the weight bound) cannot be zero", at: e.range)
            }
            rule.wMax = value.value
            stdpBoundDimensions[name.text] = value.dimension
        }
        if failed { throw Reported() }
        return rule
    }

    /// `tsodyks(U = 0.5, u = U, x = 1, tau_rec = 800 ms, tau_fac = 0 ms)`.
    func tsodyksSynapse(_ arguments: [Argument], at range: SourceRange) throws(Reported) -> TsodyksSynapseSpec {
        let bound = try bind(arguments, to: Self.tsodyksParameters, of: "a tsodyks synapse", at: range)
        var model = TsodyksSynapseSpec()
        var failed = false
        func set(_ parameter: String, _ body: (Expression) throws(Reported) -> Void) {
            guard let e = bound[parameter] else { return }
            do { try body(e) } catch { failed = true }
        }
        func fraction(_ e: Expression, _ what: String) throws(Reported) -> Double {
            let value = try quantity(e, .dimensionless, what)
            guard value >= 0, value <= 1 else {
                throw fail(.outOfRange, "\(what) must lie in [0, 1], found \(value)", at: e.range)
            }
            return value
        }
        set("U") { e throws(Reported) in model.U = try fraction(e, "U (release probability increment)") }
        set("u") { e throws(Reported) in model.u = try fraction(e, "u (initial release probability)") }
        set("x") { e throws(Reported) in model.x = try fraction(e, "x (initial fraction of resources)") }
        set("tau_rec") { e throws(Reported) in model.tauRec = try positive(e, .time, "tau_rec (recovery time constant)") }
        set("tau_fac") { e throws(Reported) in model.tauFac = try nonNegative(e, .time, "tau_fac (facilitation time constant)") }
        if failed { throw Reported() }
        return model
    }

    /// `rule = stdp(...)` or `rule = tsodyks(...)` inside `bayesian(...)`: refused, with why.
    func refusedCombination(_ word: String, at range: SourceRange) -> Reported {
        if word == "stdp" {
            return fail(.invalidValue, "STDP cannot drive a Bayesian synapse", at: range,
                        notes: ["a Bayesian synapse's weight is its posterior (mu, sigma2), which its own rule updates; STDP changes a point weight it does not have",
                                "declare 'synapse s = stdp(...)' as its own synapse type, or use rule = synaptic_filter for spike-based Bayesian learning"])
        }
        return fail(.invalidValue, "short-term plasticity is a synapse type, not a Bayesian learning rule", at: range,
                    notes: ["declare 'synapse d = tsodyks(U = 0.5, tau_rec = 800 ms)' and connect with 'using d'"])
    }

    /// Whole-network check: every projection using an `stdp` or `tsodyks` synapse type has one
    /// constant delay, no kernel, LIF targets, and (STDP) a weight of Wmax's kind within [0, Wmax].
    func checkSynapseDynamicsFit() {
        for (projection, origin) in zip(spec.projections, projectionOrigins) {
            guard let type = spec.synapseType(named: projection.synapseType) else { continue }
            let kind: String
            switch type.kind {
            case .stdp: kind = "stdp"
            case .tsodyks: kind = "tsodyks"
            default: continue
            }
            if !projection.delay.isConstant {
                report(.invalidValue, "\(kind) synapses need one delay for the whole projection '\(projection.name)'",
                       at: origin.delay, notes: ["the plasticity state is kept per presynaptic neuron (short-term) or scheduled by the projection's delay (STDP); use a constant delay"])
            }
            if projection.kernel != nil {
                report(.invalidValue, "a kernel projection cannot use \(kind) synapses: it has no per-spike weight to change",
                       at: origin.synapseType)
            }
            guard let target = spec.population(named: projection.target.population) else { continue }
            guard target.model.lifParameters != nil else {
                report(.invalidValue, "\(kind) synapses need lif_delta or lif_exp targets; '\(target.name)' is a \(target.model.name)",
                       at: origin.synapseType)
                continue
            }
            guard case .stdp(let rule) = type.kind else { continue }
            let expected: Dimension
            if case .lifExp = target.model { expected = .current } else { expected = .voltage }
            if let bound = stdpBoundDimensions[type.name], bound != expected {
                report(.dimensionMismatch,
                       "synapse type '\(type.name)' bounds weights by a \(bound == .voltage ? "voltage" : "current"), but '\(target.name)' (\(target.model.name)) takes weights in \(expected.storageUnit)",
                       at: origin.synapseType, notes: ["give Wmax in \(expected.storageUnit)"])
                continue
            }
            let range = weightRange(projection.weight)
            if range.lowerBound / rule.wMax < 0 || range.upperBound / rule.wMax < 0
                || range.lowerBound / rule.wMax > 1 || range.upperBound / rule.wMax > 1 {
                report(.outOfRange,
                       "the weights of projection '\(projection.name)' must lie between 0 and Wmax = \(Quantity(rule.wMax, expected).formatted) (synapse type '\(type.name)')",
                       at: origin.synapseType,
                       notes: ["STDP keeps every weight between 0 and Wmax, with Wmax's sign; found weights in [\(Quantity(range.lowerBound, expected).formatted), \(Quantity(range.upperBound, expected).formatted)]"])
            }
        }
    }

    /// Every value a weight distribution can draw (normal: its clipped or unclipped real line).
    private func weightRange(_ distribution: Distribution) -> ClosedRange<Double> {
        switch distribution {
        case .constant(let c): return c...c
        case .uniform(let low, let high): return low...high
        case .normal(_, _, let clip):
            switch clip {
            case .positive?: return 0...Double.infinity
            case .negative?: return -Double.infinity...0
            case nil: return -Double.infinity...Double.infinity
            }
        case .lognormal(_, _, let sign): return sign == .positive ? 0...Double.infinity : -Double.infinity...0
        case .boundedNormal(_, _, let lower, let upper): return lower...upper
        }
    }
}
