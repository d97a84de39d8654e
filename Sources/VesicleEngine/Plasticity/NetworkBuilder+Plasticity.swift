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
            let rule = type.rule.name
            guard specs[q].kernel == nil else {
                throw NetworkError.projection(projection.name, .learningOnKernel(rule: rule))
            }
            guard type.link == .identity else {
                throw NetworkError.projection(projection.name, .learningNeedsIdentityLink(rule: rule))
            }
            guard let delay = projection.synapses.uniformDelay else {
                throw NetworkError.projection(projection.name, .learningNeedsConstantDelay(rule: rule))
            }
            guard let target = dynamics[projection.targetPopulation].neurons as? LIFDeltaPopulation, target.escapeNoise != nil else {
                throw NetworkError.projection(projection.name, .learningNeedsEscapeNoise(rule: rule, target: populationNames[projection.targetPopulation]))
            }
            guard projection.synapses.synapseCount <= Int(UInt32.max) else {
                throw NetworkError.projection(projection.name, .tooManyPlasticSynapses(rule: rule, limit: UInt32.max))
            }
            let prior: OrnsteinUhlenbeckPrior
            do {
                prior = try OrnsteinUhlenbeckPrior(mean: type.priorMean, variance: type.priorVariance, tau: type.priorTau)
            } catch { throw NetworkError.projection(projection.name, .learningPriorInvalid(rule: rule, reason: "\(error)")) }
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
                    throw NetworkError.conflictingLearners(first: plastic[0].name, second: other.name, population: populationNames[population])
                }
            }
            // The engine's filter keeps one mean and variance per synapse; the full covariance runs only in
            // the single-neuron experiment (SynapticFilterExperiment), so a network asking for it is refused.
            if let full = plastic.first(where: { $0.bayesian.spec.filterCovariance == .full }) {
                throw NetworkError.projection(full.name, .fullCovarianceInNetwork)
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
