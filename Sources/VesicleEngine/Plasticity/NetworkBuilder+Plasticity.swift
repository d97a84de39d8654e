import VesicleModel
import VesicleSynapses

extension NetworkBuilder {
    /// The spike-based learners (docs/MODEL.md §5) of the projections whose Bayesian synapses have
    /// `rule = synaptic_filter` or `gradient(eta)`; nil when there are none. Refuses, with a sentence,
    /// what the filter cannot model: a target without escape noise, a log link, a kernel projection,
    /// per-synapse delays, or plastic projections onto one population that disagree on the rule, g0 or beta.
    static func buildPlasticity(_ spec: NetworkSpec, projections specs: [ProjectionSpec], built: [BuiltProjection],
                                populationNames: [String], dynamics: [PopulationDynamics]) throws -> SpikeBasedPlasticity? {
        let step = spec.simulation.delayResolution
        var targets: [Int] = []
        var byTarget: [Int: [PlasticProjection]] = [:]
        for (q, projection) in built.enumerated() {
            guard let bayesian = projection.bayesian, bayesian.learnsFromSpikes else { continue }
            let type = bayesian.spec
            let what = "projection '\(projection.name)' (rule \(type.rule.name))"
            guard specs[q].kernel == nil else {
                throw NetworkError("\(what): a kernel projection cannot learn from spikes; the Synaptic Filter's input is an exponential trace (MODEL.md §5)")
            }
            guard type.link == .identity else {
                throw NetworkError("\(what): the Synaptic Filter puts its posterior on the weight itself: use link = identity (MODEL.md §5)")
            }
            guard let delay = projection.synapses.uniformDelay else {
                throw NetworkError("\(what): learning from spikes needs one delay for the whole projection (the traces are kept per presynaptic neuron); use a constant delay")
            }
            guard let target = dynamics[projection.targetPopulation].neurons as? LIFDeltaPopulation, target.escapeNoise != nil else {
                throw NetworkError("\(what): the target '\(populationNames[projection.targetPopulation])' must be lif_delta neurons with escape noise (rho_0, delta_V): the filter learns from stochastic spikes (MODEL.md §5)")
            }
            guard projection.synapses.synapseCount <= Int(UInt32.max) else {
                throw NetworkError("\(what): at most \(UInt32.max) plastic synapses per projection are supported")
            }
            let prior: OrnsteinUhlenbeckPrior
            do {
                prior = try OrnsteinUhlenbeckPrior(mean: type.priorMean, variance: type.priorVariance, tau: type.priorTau)
            } catch { throw NetworkError("\(what): \(error)") }
            let isFilter = type.rule == .synapticFilter
            let plastic = PlasticProjection(
                name: projection.name, projection: q, sourcePopulation: projection.sourcePopulation, bayesian: bayesian,
                prior: prior, step: step,
                incoming: IncomingSynapseIndex(projection.synapses, targetCount: target.count),
                trace: PresynapticTrace(neuronCount: projection.synapses.sourceCount, tauEpsilon: type.filterTauEpsilon,
                                        delay: delay, step: step),
                initialMeans: bayesian.initialMeans, initialVariance: isFilter ? bayesian.initialVariance : 0)
            if byTarget[projection.targetPopulation] == nil { targets.append(projection.targetPopulation) }
            byTarget[projection.targetPopulation, default: []].append(plastic)
        }
        if targets.isEmpty { return nil }
        var learners: [LearningPopulation] = []
        for population in targets {
            let plastic = byTarget[population]!
            let first = plastic[0].bayesian.spec
            for other in plastic.dropFirst() {
                let s = other.bayesian.spec
                guard s.rule == first.rule, s.filterG0 == first.filterG0, s.filterBeta == first.filterBeta else {
                    throw NetworkError("projections '\(plastic[0].name)' and '\(other.name)' learn onto population '\(populationNames[population])' with different rules, g0 or beta; the Synaptic Filter models each neuron with one intensity g0 exp(beta u) (MODEL.md §5)")
                }
            }
            // The engine's filter keeps one mean and variance per synapse; the full covariance runs only in
            // the single-neuron experiment (SynapticFilterExperiment), so a network asking for it is refused.
            if let full = plastic.first(where: { $0.bayesian.spec.filterCovariance == .full }) {
                throw NetworkError("projection '\(full.name)' asks for covariance = full, which runs only in the single-neuron Synaptic Filter experiment (Poisson inputs onto one escape-noise neuron); in a network the filter is diagonal (docs/MODEL.md §5)")
            }
            let isFilter = first.rule == .synapticFilter
            learners.append(LearningPopulation(
                name: populationNames[population], population: population, neuronCount: plastic[0].incoming.targetCount,
                rule: first.rule, beta: first.filterBeta, g0PerMs: first.filterG0 / 1000, projections: plastic,
                biasPrior: plastic[0].prior, biasInitialVariance: isFilter ? plastic[0].bayesian.initialVariance : 0,
                step: step))
        }
        return SpikeBasedPlasticity(step: step, populations: learners, populationCount: dynamics.count)
    }
}
