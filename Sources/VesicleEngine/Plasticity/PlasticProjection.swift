import VesicleModel
import VesicleSynapses

/// One projection whose Bayesian synapses learn from spikes (docs/MODEL.md §5), as the learner holds it:
/// the exact (Double) posteriors in the order of its `IncomingSynapseIndex` (by postsynaptic neuron),
/// its presynaptic traces and that index. The Float32 table of the `BayesianProjection`, by synapse
/// id, which releases and recordings read, receives a rounded copy at the end of every window.
final class PlasticProjection {
    let name: String
    /// Index in `Network.projections`.
    let projection: Int
    let sourcePopulation: Int
    let bayesian: BayesianProjection
    /// The connection's sign: the filter's input is the signed trace, so that `u = sum_i w_i x_i`
    /// sums the PSPs the neuron receives (docs/MODEL.md §5, with w the released magnitude; Dale's law kept).
    let sign: Double
    let prior: OrnsteinUhlenbeckPrior
    /// e^(-h/tau) of the OU prior over one step.
    let priorDecay: Double
    let incoming: IncomingSynapseIndex
    let trace: PresynapticTrace
    var synapseCount: Int { incoming.entryCount }
    /// Posterior of entry e (synapse `incoming.synapse[e]`).
    let mu: UnsafeMutablePointer<Double>
    let sigma2: UnsafeMutablePointer<Double>

    /// Posteriors start at `initialMeans` (by synapse id) and `initialVariance` (0 for the gradient
    /// rule, which has none).
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
        let count = incoming.entryCount
        mu = .allocate(capacity: max(count, 1))
        sigma2 = .allocate(capacity: max(count, 1))
        for e in 0..<count {
            mu[e] = initialMeans[Int(incoming.synapse[e])]
            sigma2[e] = initialVariance
        }
        publish()
    }

    deinit {
        mu.deallocate()
        sigma2.deallocate()
    }

    /// The exact posterior of synapse id k.
    func posterior(synapse k: Int) -> (mu: Double, sigma2: Double) {
        let e = Int(incoming.entryOfSynapse[k])
        return (mu[e], sigma2[e])
    }

    /// Copies the posteriors, rounded to Float32, into the table that releases read.
    func publish() {
        let count = incoming.entryCount, synapse = incoming.synapse, mu = self.mu, sigma2 = self.sigma2
        bayesian.withMutablePosteriors { storedMu, storedSigma2 in
            for e in 0..<count {
                let k = Int(synapse[e])
                storedMu[k] = Float(mu[e])
                storedSigma2[k] = Float(sigma2[e])
            }
        }
    }

    /// Bytes per synapse the learner adds to the projection's 12: the exact posterior and the index.
    static let bytesPerSynapse = 16 + IncomingSynapseIndex.bytesPerSynapse
}
