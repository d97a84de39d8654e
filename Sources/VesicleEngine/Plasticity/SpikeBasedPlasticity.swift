import Foundation
import VesicleModel
import VesicleSynapses

/// Spike-based learning inside a spiking network: the Synaptic Filter in its diagonal form and its
/// gradient baseline (docs/MODEL.md §5), on every projection whose Bayesian synapse type has
/// `rule = synaptic_filter` or `gradient(eta)`.
///
/// Time is cut into steps of the run's `resolution` h, the steps of the single-neuron experiment
/// (`SynapticFilterExperiment`), and each step `[t, t + h)` does what one step there does, in the same
/// order and with the same arithmetic: y_n = 1 if neuron n spiked in the step; the rule's update from
/// the traces at t; the exact OU relaxation over h (filter only); the traces carried to t + h.
///
/// Where it runs: at the end of every simulator window, after every neuron has been brought to the
/// window end, for each step that ends by then (its spikes and every arrival up to its end are then
/// known: a spike emitted later arrives later than the window end, since delays are positive). It
/// never runs inside the delivery loop. Releases inside a window therefore use the posterior of the
/// last step boundary at or before the window's start: a lag below one window (the minimum delay)
/// plus one step.
///
/// Cost per step: O(plastic synapses) (each synapse's drive term, update and relaxation), plus
/// O(presynaptic neurons) trace decays, one exponential per arrival and one per postsynaptic neuron.
final class SpikeBasedPlasticity {
    let step: Double
    let projections: [PlasticProjection]
    let populations: [LearningPopulation]
    /// Steps completed: the posteriors are those at time `Double(stepIndex) * step`.
    var stepIndex = 0
    /// Synapse updates done (one per plastic synapse and step), for throughput figures.
    var synapseUpdates = 0
    /// For each population: the plastic projections it sends (to queue their arrivals).
    private let outgoing: [[PlasticProjection]]
    /// For each population: its learner, if it learns.
    private let learner: [LearningPopulation?]

    init(step: Double, populations: [LearningPopulation], populationCount: Int) {
        self.step = step
        self.populations = populations
        projections = populations.flatMap(\.projections).sorted { $0.projection < $1.projection }
        var outgoing = [[PlasticProjection]](repeating: [], count: populationCount)
        for p in projections { outgoing[p.sourcePopulation].append(p) }
        self.outgoing = outgoing
        var learner = [LearningPopulation?](repeating: nil, count: populationCount)
        for p in populations { learner[p.population] = p }
        self.learner = learner
    }

    /// The time of the step boundary the posteriors are at.
    var time: Double { Double(stepIndex) * step }

    /// Takes the spikes of the window ending at `end` (every neuron brought to `end`), runs every
    /// step that ends by then, and hands the posteriors to the releases.
    func endWindow(at end: Double, spikes: WindowSpikes, populationOf: [Int32], offsets: [Int]) throws {
        spikes.sort()
        for k in 0..<spikes.count {
            let g = Int(spikes.neurons[k])
            let p = Int(populationOf[g])
            let local = UInt32(g - offsets[p])
            let t = spikes.times[k]
            for projection in outgoing[p] { projection.trace.schedule(emission: t, neuron: local) }
            learner[p]?.append(spike: t, neuron: local)
        }
        var stepped = false
        defer { if stepped { for projection in projections { projection.publish() } } }
        while Double(stepIndex) * step + step <= end {
            stepped = true
            try advanceOneStep()
        }
    }

    /// One step `[t, t + h)`: y, each neuron's gbar h from the traces at t (and its bias), the traces
    /// carried to t + h, then every synapse's update from the traces at t.
    private func advanceOneStep() throws {
        let t = Double(stepIndex) * step
        let stepEnd = t + step
        for population in populations {
            population.markSpikes(before: stepEnd, step: stepIndex)
            switch population.rule {
            case .gradient(let eta): try prepareGradient(population, eta: eta, at: t)
            default: try prepareFilter(population, at: t)
            }
        }
        for projection in projections { projection.trace.advance(to: stepEnd) }
        for population in populations {
            switch population.rule {
            case .gradient(let eta): try applyGradient(population, eta: eta, at: t)
            default: try applyFilter(population, at: t)
            }
        }
        stepIndex += 1
    }

    /// `sum_i mu_i x_i` and `sum_i sigma2_i x_i^2` of every neuron from the current traces, projection
    /// by projection in file order and entry order within each (the order `applyFilter` keeps).
    private func formSums(_ population: LearningPopulation) {
        let drive = population.drive, spread = population.spread
        for n in 0..<population.neuronCount {
            drive[n] = 0
            spread[n] = 0
        }
        for p in population.projections {
            let x = p.trace.value, sign = p.sign, mu = p.mu, sigma2 = p.sigma2, presynaptic = p.incoming.presynaptic
            let postStart = p.incoming.postStart
            for n in 0..<population.neuronCount {
                var u = drive[n], s = spread[n]
                for e in postStart[n]..<postStart[n + 1] {
                    let xi = sign * x[Int(presynaptic[e])]
                    u += mu[e] * xi
                    s += sigma2[e] * xi * xi
                }
                drive[n] = u
                spread[n] = s
            }
        }
    }

    /// docs/MODEL.md §5, diagonal form, first part: `gbar h = g_0 h exp(beta mu.x + beta^2 sum_i sigma2_i x_i^2 / 2)`
    /// with the bias input (x = 1) added last, as in `synapticFilterUpdate`, and the bias's own update
    /// and OU relaxation.
    private func prepareFilter(_ population: LearningPopulation, at t: Double) throws {
        if !population.sumsReady { formSums(population) }
        let beta = population.beta, g0 = population.g0, h = step
        let biasMu = population.biasMu, biasSigma2 = population.biasSigma2
        let drive = population.drive, spread = population.spread
        for n in 0..<population.neuronCount {
            let expected = g0 * h * exp(beta * (drive[n] + biasMu[n]) + 0.5 * beta * beta * (spread[n] + biasSigma2[n]))
            let error = (population.lastSpikeStep[n] == stepIndex ? 1.0 : 0.0) - expected
            population.expected[n] = expected
            population.error[n] = error
            var m = biasMu[n], v = biasSigma2[n]
            m += beta * v * error
            v -= expected * beta * beta * v * v
            population.biasPrior.relax(mu: &m, sigma2: &v, decay: population.biasPriorDecay)
            guard m.isFinite, v.isFinite, v > 0 else {
                throw SimulationError("the bias posterior of neuron \(n) of population '\(population.name)' left its domain at \(t + h) ms (mu = \(m), sigma2 = \(v)); the Synaptic Filter's variance step is first order (MODEL.md §5): use a smaller resolution", time: t + h)
            }
            biasMu[n] = m
            biasSigma2[n] = v
        }
    }

    /// docs/MODEL.md §5, diagonal form, second part: `d mu_i = beta sigma2_i x_i (y - gbar h)`,
    /// `d sigma2_i = -gbar h beta^2 sigma2_i^2 x_i^2` with the traces at t, then the exact OU relaxation
    /// over h. Products are associated as in `synapticFilterUpdate` and every sum runs over the inputs
    /// in its order (projections in file order, presynaptic neurons ascending, then the bias), so a
    /// neuron here and the single-neuron experiment agree bitwise. The same pass forms the next step's
    /// sums from the updated posteriors and the traces at t + h: one sweep over the synapses per step.
    private func applyFilter(_ population: LearningPopulation, at t: Double) throws {
        let beta = population.beta, h = step
        let drive = population.drive, spread = population.spread
        for n in 0..<population.neuronCount {
            drive[n] = 0
            spread[n] = 0
        }
        population.sumsReady = false
        for p in population.projections {
            let x = p.trace.previous, xNext = p.trace.value, sign = p.sign
            let mu = p.mu, sigma2 = p.sigma2, presynaptic = p.incoming.presynaptic
            let prior = p.prior, d = p.priorDecay, postStart = p.incoming.postStart
            for n in 0..<population.neuronCount {
                let expected = population.expected[n], error = population.error[n]
                var u = drive[n], s2 = spread[n]
                for e in postStart[n]..<postStart[n + 1] {
                    let j = Int(presynaptic[e])
                    let xi = sign * x[j]
                    var m = mu[e], v = sigma2[e]
                    if xi != 0 {
                        let s = v * xi
                        m += beta * s * error
                        v -= expected * beta * beta * s * s
                    }
                    prior.relax(mu: &m, sigma2: &v, decay: d)
                    guard m.isFinite, v.isFinite, v > 0 else {
                        throw leftDomain(p, entry: e, neuron: n, time: t + h, mu: m, sigma2: v)
                    }
                    mu[e] = m
                    sigma2[e] = v
                    let next = sign * xNext[j]
                    u += m * next
                    s2 += v * next * next
                }
                drive[n] = u
                spread[n] = s2
            }
            synapseUpdates += p.synapseCount
        }
        population.sumsReady = true
    }

    /// The gradient baseline (docs/MODEL.md §5), first part: `y - g_0 h e^(beta mu.x)` per neuron from the
    /// traces at t, and the bias's update (no variance and no prior term, as in `synapticGradientUpdate`).
    private func prepareGradient(_ population: LearningPopulation, eta: Double, at t: Double) throws {
        let beta = population.beta, g0 = population.g0, h = step
        formSums(population)
        let biasMu = population.biasMu, drive = population.drive
        for n in 0..<population.neuronCount {
            let error = (population.lastSpikeStep[n] == stepIndex ? 1.0 : 0.0) - g0 * h * exp(beta * (drive[n] + biasMu[n]))
            population.error[n] = error
            let m = biasMu[n] + eta * beta * error
            guard m.isFinite else {
                throw SimulationError("the bias weight of neuron \(n) of population '\(population.name)' became \(m) at \(t + h) ms; lower eta", time: t + h)
            }
            biasMu[n] = m
        }
    }

    /// The gradient baseline, second part: `d mu_i = eta beta x_i (y - g_0 h e^(beta mu.x))` with the traces at t.
    private func applyGradient(_ population: LearningPopulation, eta: Double, at t: Double) throws {
        let beta = population.beta, h = step
        for p in population.projections {
            let x = p.trace.previous, sign = p.sign, mu = p.mu, presynaptic = p.incoming.presynaptic
            let postStart = p.incoming.postStart
            for n in 0..<population.neuronCount {
                let error = population.error[n]
                for e in postStart[n]..<postStart[n + 1] {
                    let xi = sign * x[Int(presynaptic[e])]
                    if xi == 0 { continue }
                    let m = mu[e] + eta * beta * xi * error
                    guard m.isFinite else {
                        throw leftDomain(p, entry: e, neuron: n, time: t + h, mu: m, sigma2: 0)
                    }
                    mu[e] = m
                }
            }
            synapseUpdates += p.synapseCount
        }
    }

    private func leftDomain(_ p: PlasticProjection, entry e: Int, neuron n: Int, time: Double, mu: Double,
                            sigma2: Double) -> SimulationError {
        SimulationError("projection '\(p.name)', synapse \(p.incoming.synapse[e]) (onto neuron \(n)): the posterior left its domain at \(time) ms (mu = \(mu), sigma2 = \(sigma2)); the Synaptic Filter's variance step is first order (MODEL.md §5), so a strongly driven neuron needs a smaller resolution", time: time)
    }
}
