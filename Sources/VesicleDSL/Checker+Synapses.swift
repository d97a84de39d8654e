// Lowering of `synapse` statements: `static()` and `bayesian(...)` with every field of
// BayesianSynapseSpec (docs/MODEL.md §3-§5).

import VesicleModel

extension Checker {
    static let bayesianParameters = [
        "link", "prior_mean", "prior_var", "tau", "release", "rule", "assumed_ratio", "sigma_delta",
        "initial_mean", "initial_var", "tau_eps", "g0", "beta", "covariance",
    ]
    static let releaseModes = ["mean", "posterior", "gaussian", "fixed_ratio"]
    static let learningRules = [
        "none", "supervised", "cerebellar", "reinforcement", "classical_supervised", "classical_cerebellar",
        "classical_reinforcement", "synaptic_filter", "gradient",
    ]

    func lowerSynapseType(name: Name, definition: Expression) {
        guard definitions[name.text]?.range == name.range else { return }
        attempt { () throws(Reported) in
            let (kindName, arguments) = try callParts(definition, among: ["static", "bayesian", "stdp", "tsodyks"],
                                                      what: "synapse kind")
            switch kindName.text {
            case "static":
                _ = try bind(arguments, to: [], of: "a static synapse", at: definition.range)
                spec.synapseTypes.append(SynapseTypeSpec(name: name.text, kind: .static))
                return
            case "stdp":
                spec.synapseTypes.append(SynapseTypeSpec(name: name.text, kind: .stdp(try stdpSynapse(name, arguments, at: definition.range))))
                return
            case "tsodyks":
                spec.synapseTypes.append(SynapseTypeSpec(name: name.text, kind: .tsodyks(try tsodyksSynapse(arguments, at: definition.range))))
                return
            default:
                break
            }
            let bound = try bind(arguments, to: Self.bayesianParameters, of: "a bayesian synapse", at: definition.range)
            var bayesian = BayesianSynapseSpec()
            var failed = false
            func set(_ parameter: String, _ body: (Expression) throws(Reported) -> Void) {
                guard let e = bound[parameter] else { return }
                do { try body(e) } catch { failed = true }
            }
            set("link") { e throws(Reported) in
                bayesian.link = PosteriorLink(rawValue: try choice(e, "posterior link", among: ["log", "identity"])) ?? .log
            }
            set("prior_mean") { e throws(Reported) in bayesian.priorMean = try quantity(e, .dimensionless, "prior_mean (mu_pr)") }
            set("prior_var") { e throws(Reported) in bayesian.priorVariance = try positive(e, .dimensionless, "prior_var (sigma2_pr)") }
            set("tau") { e throws(Reported) in bayesian.priorTau = try positive(e, .time, "tau (prior time constant)") }
            set("release") { e throws(Reported) in bayesian.release = try releaseMode(e) }
            set("rule") { e throws(Reported) in bayesian.rule = try learningRule(e) }
            set("assumed_ratio") { e throws(Reported) in
                bayesian.assumedReleaseRatio = try nonNegative(e, .voltage, "assumed_ratio (k in r2 = k m)")
            }
            set("sigma_delta") { e throws(Reported) in
                switch try choice(e, "sigma_delta mode", among: ["exact", "constant", "exact_then_constant"]) {
                case "exact": bayesian.sigmaDelta = .exact
                case "constant": bayesian.sigmaDelta = .constant
                default: bayesian.sigmaDelta = .exactThenConstant
                }
            }
            set("initial_mean") { e throws(Reported) in
                bayesian.initialMean = try distribution(e, .dimensionless, "initial_mean").distribution
            }
            set("initial_var") { e throws(Reported) in bayesian.initialVariance = try positive(e, .dimensionless, "initial_var") }
            set("tau_eps") { e throws(Reported) in bayesian.filterTauEpsilon = try positive(e, .time, "tau_eps (PSP kernel time constant)") }
            set("g0") { e throws(Reported) in bayesian.filterG0 = try positive(e, .frequency, "g0 (baseline intensity)") }
            set("beta") { e throws(Reported) in bayesian.filterBeta = try positive(e, .inverseVoltage, "beta (intensity slope)") }
            set("covariance") { e throws(Reported) in
                bayesian.filterCovariance = FilterCovariance(
                    rawValue: try choice(e, "Synaptic Filter covariance", among: ["diagonal", "full"])) ?? .diagonal
            }
            if failed { throw Reported() }
            spec.synapseTypes.append(SynapseTypeSpec(name: name.text, kind: .bayesian(bayesian)))
        }
    }

    /// `name` or `name(arguments)` where name is one of `choices`.
    func callParts(_ expression: Expression, among choices: [String], what: String) throws(Reported) -> (Name, [Argument]) {
        let parts: (Name, [Argument])
        switch expression.kind {
        case .identifier(let text): parts = (Name(text: text, range: expression.range), [])
        case .call(let name, let arguments): parts = (name, arguments)
        default: throw fail(.invalidValue, "expected a \(what): \(choices.joined(separator: ", "))", at: expression.range)
        }
        guard choices.contains(parts.0.text) else {
            throw checkUndefinedName(parts.0.text, kind: what, candidates: choices, at: parts.0.range,
                                     notes: ["expected one of: " + choices.joined(separator: ", ")])
        }
        return parts
    }

    private func releaseMode(_ expression: Expression) throws(Reported) -> ReleaseMode {
        let (name, arguments) = try callParts(expression, among: Self.releaseModes, what: "release mode")
        let owner = "release mode '\(name.text)'"
        switch name.text {
        case "fixed_ratio":
            let bound = try bind(arguments, to: ["k"], required: ["k"], of: owner, at: expression.range)
            return .fixedRatio(k: try nonNegative(bound["k"]!, .voltage, "k (PSP variance per unit mean)"))
        default:
            _ = try bind(arguments, to: [], of: owner, at: expression.range)
            switch name.text {
            case "posterior": return .posterior
            case "gaussian": return .gaussian
            default: return .mean
            }
        }
    }

    private func learningRule(_ expression: Expression) throws(Reported) -> LearningRule {
        var word = expression.identifier
        if case .call(let callee, _) = expression.kind { word = callee.text }
        if let word, ["stdp", "tsodyks"].contains(word) {
            throw refusedCombination(word, at: expression.range)
        }
        let (name, arguments) = try callParts(expression, among: Self.learningRules, what: "learning rule")
        let owner = "learning rule '\(name.text)'"
        let takesRate = LearningRule(name: name.text, eta: 0)?.takesLearningRate ?? false
        let bound = try bind(arguments, to: takesRate ? ["eta"] : [], required: takesRate ? ["eta"] : [],
                             of: owner, at: expression.range)
        let eta = try bound["eta"].map { e throws(Reported) in try positive(e, .dimensionless, "eta (learning rate)") } ?? 0
        // callParts accepted the name from `learningRules`, each of which LearningRule knows.
        return LearningRule(name: name.text, eta: eta) ?? .none
    }
}
