import VesicleModel
import VesicleSynapses

/// One projection whose Bayesian synapses learn from spikes (MODEL.md §5), as the learner holds it:
/// the exact (Double) posteriors by synapse id, its presynaptic traces and the index from each
/// postsynaptic neuron to its incoming synapses. The Float32 table of the `BayesianProjection`,
/// which releases and recordings read, receives a rounded copy at every step.
final class PlasticProjection {
    let name: String
    /// Index in `Network.projections`.
    let projection: Int
    let sourcePopulation: Int
    let bayesian: BayesianProjection
    /// The connection's sign: the filter's input is the signed trace, so that `u = sum_i w_i x_i`
    /// sums the PSPs the neuron receives (MODEL.md §5, with w the released magnitude; Dale's law kept).
    let sign: Double
    let prior: OrnsteinUhlenbeckPrior
    /// e^(-h/tau) of the OU prior over one step.
    let priorDecay: Double
    let incoming: IncomingSynapseIndex
    let trace: PresynapticTrace
    let synapseCount: Int
    let mu: UnsafeMutablePointer<Double>
    let sigma2: UnsafeMutablePointer<Double>

    /// Posteriors start at `initialMeans` and `initialVariance` (0 for the gradient rule, which has none).
    init(name: String, projection: Int, sourcePopulation: Int, bayesian: BayesianProjection, prior: OrnsteinUhlenbeckPrior,
         step: Double, incoming: IncomingSynapseIndex, trace: PresynapticTrace, initialMeans: [Double],
         initialVariance: Double) {
        self.name = name
        self.projection = projection
        self.sourcePopulation = sourcePopulation
        self.bayesian = bayesian
        sign = bayesian.sign
        self.prior = prior
        priorDecay = prior.decay(over: step)
        self.incoming = incoming
        self.trace = trace
        synapseCount = initialMeans.count
        mu = .allocate(capacity: max(synapseCount, 1))
        sigma2 = .allocate(capacity: max(synapseCount, 1))
        for k in 0..<synapseCount {
            mu[k] = initialMeans[k]
            sigma2[k] = initialVariance
            bayesian.store(k, mu: initialMeans[k], sigma2: initialVariance)
        }
    }

    deinit {
        mu.deallocate()
        sigma2.deallocate()
    }

    /// Bytes per synapse the learner adds to the projection's 12: the exact posterior and the index.
    static let bytesPerSynapse = 16 + IncomingSynapseIndex.bytesPerSynapse
}
