extension Network {
    /// The exact posterior (mu, sigma2) of synapse k of projection q as its spike-based learner holds it
    /// (docs/MODEL.md §5), nil if that projection does not learn from spikes. sigma2 is 0 under the gradient rule.
    public func learnedPosterior(projection q: Int, synapse k: Int) -> (mu: Double, sigma2: Double)? {
        guard let p = plasticity?.projections.first(where: { $0.projection == q }), k >= 0, k < p.synapseCount else {
            return nil
        }
        return p.posterior(synapse: k)
    }

    /// The posterior of the bias input (fixed at 1) of neuron j of population p, nil if p does not learn.
    public func learnedBias(population p: Int, neuron j: Int) -> (mu: Double, sigma2: Double)? {
        guard let l = plasticity?.populations.first(where: { $0.population == p }), j >= 0, j < l.neuronCount else {
            return nil
        }
        return (l.biasMu[j], l.biasSigma2[j])
    }

    /// The step boundary (ms) the learned posteriors are at; nil without spike-based learning.
    public var learnedPosteriorTime: Double? { plasticity?.time }

    /// Plastic synapse updates done so far (one per plastic synapse and step).
    public var plasticSynapseUpdates: Int { plasticity?.synapseUpdates ?? 0 }

    /// Plastic synapses of the network (those that learn from spikes).
    public var plasticSynapseCount: Int { plasticity?.projections.reduce(0) { $0 + $1.synapseCount } ?? 0 }
}
