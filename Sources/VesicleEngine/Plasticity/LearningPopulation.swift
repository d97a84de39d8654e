import VesicleModel
import VesicleSynapses

/// The postsynaptic side of spike-based learning (docs/MODEL.md §5): one population whose neurons are the
/// filter's escape-noise neurons `g(u) = g_0 exp(beta u)`, `u = sum_i w_i x_i + w_b`, with every plastic
/// synapse onto them as an input and one bias input fixed at 1 per neuron (as in the single-neuron
/// experiment). All its plastic projections share the rule, g_0 and beta; the bias takes the prior
/// and initial variance of the first of them, and the prior mean as its initial mean.
final class LearningPopulation {
    let name: String
    let population: Int
    let rule: LearningRule
    let beta: Double
    /// g_0 per ms.
    let g0: Double
    /// The plastic projections onto the population, in file order.
    let projections: [PlasticProjection]
    let biasPrior: OrnsteinUhlenbeckPrior
    let biasPriorDecay: Double
    let neuronCount: Int
    let biasMu: UnsafeMutablePointer<Double>
    let biasSigma2: UnsafeMutablePointer<Double>
    /// The last step in which each neuron spiked (y = 1 in that step), -1 before any.
    let lastSpikeStep: UnsafeMutablePointer<Int>
    /// Per neuron, in the current step: gbar h and y - gbar h (the filter), or y - g0 h e^(beta mu.x) (gradient).
    let expected: UnsafeMutablePointer<Double>
    let error: UnsafeMutablePointer<Double>
    /// Per neuron, for the coming step: `sum_i mu_i x_i` and `sum_i sigma2_i x_i^2` over its plastic
    /// synapses (the bias not included), formed while the previous step updated them.
    let drive: UnsafeMutablePointer<Double>
    let spread: UnsafeMutablePointer<Double>
    /// Whether `drive` and `spread` hold the sums for the coming step.
    var sumsReady = false
    /// The population's spikes not yet assigned to a step, ascending in (time, neuron).
    /// Internal: `SpikeBasedPlasticity+Checkpoint.swift` restores them.
    var pendingSpikeTime: [Double] = []
    var pendingSpikeNeuron: [UInt32] = []
    var pendingHead = 0

    init(name: String, population: Int, neuronCount: Int, rule: LearningRule, beta: Double, g0PerMs: Double,
         projections: [PlasticProjection], biasPrior: OrnsteinUhlenbeckPrior, biasInitialVariance: Double, step: Double) {
        self.name = name
        self.population = population
        self.neuronCount = neuronCount
        self.rule = rule
        self.beta = beta
        g0 = g0PerMs
        self.projections = projections
        self.biasPrior = biasPrior
        biasPriorDecay = biasPrior.decay(over: step)
        biasMu = .allocate(capacity: max(neuronCount, 1))
        biasMu.initialize(repeating: biasPrior.mean, count: max(neuronCount, 1))
        biasSigma2 = .allocate(capacity: max(neuronCount, 1))
        biasSigma2.initialize(repeating: biasInitialVariance, count: max(neuronCount, 1))
        lastSpikeStep = .allocate(capacity: max(neuronCount, 1))
        lastSpikeStep.initialize(repeating: -1, count: max(neuronCount, 1))
        expected = .allocate(capacity: max(neuronCount, 1))
        expected.initialize(repeating: 0, count: max(neuronCount, 1))
        error = .allocate(capacity: max(neuronCount, 1))
        error.initialize(repeating: 0, count: max(neuronCount, 1))
        drive = .allocate(capacity: max(neuronCount, 1))
        drive.initialize(repeating: 0, count: max(neuronCount, 1))
        spread = .allocate(capacity: max(neuronCount, 1))
        spread.initialize(repeating: 0, count: max(neuronCount, 1))
    }

    deinit {
        biasMu.deallocate()
        biasSigma2.deallocate()
        lastSpikeStep.deallocate()
        expected.deallocate()
        error.deallocate()
        drive.deallocate()
        spread.deallocate()
    }

    /// Queues a spike of local neuron j; spikes come in time order.
    func append(spike t: Double, neuron j: UInt32) {
        pendingSpikeTime.append(t)
        pendingSpikeNeuron.append(j)
    }

    /// Assigns the pending spikes before `end` to step k.
    func markSpikes(before end: Double, step k: Int) {
        while pendingHead < pendingSpikeTime.count && pendingSpikeTime[pendingHead] < end {
            lastSpikeStep[Int(pendingSpikeNeuron[pendingHead])] = k
            pendingHead += 1
        }
        if pendingHead == pendingSpikeTime.count {
            pendingSpikeTime.removeAll(keepingCapacity: true)
            pendingSpikeNeuron.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
    }
}
