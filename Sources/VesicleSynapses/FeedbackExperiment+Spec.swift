// Building a feedback experiment from a NetworkSpec (docs/MODEL.md §6: the paper's networks as files).

import VesicleModel

extension FeedbackExperiment {
    /// The experiment a NetworkSpec describes: a `poisson_source` population projecting all-to-all,
    /// through a Bayesian synapse type with a feedback rule, onto a one-neuron `linear_readout`
    /// population that a FeedbackSpec targets. Metrics count after `simulation.warmup`; the run
    /// covers warm-up plus duration (`runPlanned()`). `posterior` recordings of the projection choose
    /// the traced synapses and their interval. An unset initial mean is the prior mean for every
    /// synapse (`BayesianSynapseSpec.initialMean`); the paper's `mu_pr (1 + xi)` is
    /// `normal(mu_pr, |mu_pr|)`, the default of `FeedbackExperimentParameters`.
    public init(spec: NetworkSpec) throws {
        guard spec.feedbacks.count == 1, let feedback = spec.feedbacks.first else {
            throw SynapseError.unsupportedNetwork(
                "a feedback experiment needs exactly one feedback block, found \(spec.feedbacks.count)")
        }
        guard let readout = spec.population(named: feedback.target) else {
            throw SynapseError.unsupportedNetwork("feedback target '\(feedback.target)' is not a population")
        }
        guard case .linearReadout(let readoutParameters) = readout.model, readout.size == 1 else {
            throw SynapseError.unsupportedNetwork(
                "feedback target '\(readout.name)' must be one linear_readout neuron (MODEL.md §2)")
        }
        if readoutParameters.noiseSD != feedback.noiseSD {
            throw SynapseError.unsupportedNetwork(
                "the readout's noise s.d. (\(readoutParameters.noiseSD) mV) and the feedback's sigma_0 "
                    + "(\(feedback.noiseSD) mV) must agree")
        }
        let incoming = spec.projections.filter { $0.target.population == readout.name }
        guard incoming.count == 1, let projection = incoming.first else {
            throw SynapseError.unsupportedNetwork(
                "'\(readout.name)' must receive exactly one projection, found \(incoming.count)")
        }
        guard projection.rule == .allToAll else {
            throw SynapseError.unsupportedNetwork("projection '\(projection.name)' must be all_to_all")
        }
        guard let source = spec.population(named: projection.source.population),
              case let .poissonSource(rate, refractoryPeriod) = source.model else {
            throw SynapseError.unsupportedNetwork(
                "projection '\(projection.name)' must come from a poisson_source population")
        }
        if refractoryPeriod != 0 {
            throw SynapseError.unsupportedNetwork(
                "feedback inputs are Bernoulli per bin; poisson_source '\(source.name)' must have no refractory period")
        }
        guard let type = spec.synapseType(named: projection.synapseType),
              case .bayesian(let synapse) = type.kind else {
            throw SynapseError.unsupportedNetwork(
                "projection '\(projection.name)' must use a bayesian synapse type")
        }
        guard Self.isExcitatory(projection.weight) else {
            throw SynapseError.unsupportedNetwork(
                "projection '\(projection.name)': the feedback experiment models excitatory synapses (positive weight sign)")
        }
        let range = projection.source.range ?? 0..<source.size
        guard range.lowerBound >= 0, range.upperBound <= source.size, !range.isEmpty else {
            throw SynapseError.unsupportedNetwork("projection '\(projection.name)': source slice out of range")
        }

        var p = FeedbackExperimentParameters(
            inputCount: range.count, rate: rate,
            prior: try OrnsteinUhlenbeckPrior(mean: synapse.priorMean, variance: synapse.priorVariance,
                                              tau: synapse.priorTau),
            teacher: try OrnsteinUhlenbeckPrior(mean: feedback.teacher.priorMean,
                                                variance: feedback.teacher.priorVariance,
                                                tau: feedback.teacher.tau),
            rule: synapse.rule, release: synapse.release)
        p.bin = feedback.bin
        p.noiseSD = feedback.noiseSD
        p.cerebellarThreshold = feedback.cerebellarThreshold
        p.link = synapse.link
        p.assumedReleaseRatio = synapse.assumedReleaseRatio
        p.sigmaDelta = synapse.sigmaDelta
        p.initialMean = synapse.initialMean ?? .constant(synapse.priorMean)
        p.initialVariance = synapse.initialVariance
        p.teacherInitial = feedback.teacher.initial
        p.seed = spec.simulation.seed
        p.burnIn = spec.simulation.warmup
        for recording in spec.recordings {
            guard case let .posterior(name, interval, limit) = recording.kind, name == projection.name else {
                continue
            }
            p.tracedSynapses = Array(0..<min(limit ?? range.count, range.count))
            p.traceInterval = interval
        }
        let total = spec.simulation.warmup + spec.simulation.duration
        try SynapseError.require(total >= 0 && total.isFinite, "warm-up + duration", total, ">= 0 ms")
        try self.init(parameters: p, plannedBins: Int((total / p.bin).rounded(.up)))
    }

    private static func isExcitatory(_ weight: Distribution) -> Bool {
        switch weight {
        case .constant(let v): return v > 0
        case .uniform(let low, _): return low > 0
        case .normal(_, _, let clip): return clip == .positive
        case .lognormal(_, _, let sign): return sign == .positive
        case .boundedNormal(_, _, let lower, _): return lower > 0
        }
    }
}
