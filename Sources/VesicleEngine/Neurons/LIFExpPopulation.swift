import Foundation
import VesicleModel

struct LIFExpState {
    var potential: Double
    var excitatoryCurrent: Double
    var inhibitoryCurrent: Double
    var lastUpdate: Double
    var refractoryUntil: Double
    var nextDrive: Double
    /// No crossing is possible before this time unless an input or drive arrival comes first: a
    /// window end before it leaves the neuron untouched (`advance`).
    var quietUntil: Double = -.infinity
    /// The first crossing after `lastUpdate` if no input comes first, as an offset from it, found by
    /// the rigorous search when the quiet horizon was sought (`quietHorizon`); NaN when unknown.
    /// Any input, drive arrival, bias change or move of `lastUpdate` makes it unknown again.
    var predictedCrossing: Double = .nan
}

/// A population of current-based LIF neurons with exponential synaptic currents (NEST iaf_psc_exp
/// semantics, continuous spike times): a PSP of amplitude w pA jumps the excitatory current if
/// w >= 0, the inhibitory one otherwise; during the refractory period V is clamped at reset while
/// the currents keep decaying and integrating input. Threshold crossings between events: a cheap test
/// at every update (`ExponentialCurrentTrajectory.mayCross`), then, rarely, the rigorous search
/// (`searchCrossing`), which never misses one.
final class LIFExpPopulation {
    let parameters: LIFParameters
    let count: Int
    let offset: UInt32
    let state: UnsafeMutablePointer<LIFExpState>
    let asymptote: UnsafeMutablePointer<Double>
    let drives: PoissonDriveTable
    let spikes: WindowSpikes
    /// Which partition's output each neuron's spikes go to (`PartitionRoute`); before a simulator
    /// installs its own, `spikes` itself.
    var route: PartitionRoute
    var routeOwner: AnyObject
    let excitatoryKernel: SynapticCurrentKernel
    let inhibitoryKernel: SynapticCurrentKernel

    init(parameters: LIFParameters, count: Int, offset: UInt32, initialPotential: [Double],
         drives: PoissonDriveTable, spikes: WindowSpikes) {
        self.parameters = parameters
        self.count = count
        self.offset = offset
        self.drives = drives
        self.spikes = spikes
        let single = PartitionRouteStorage.single(count: count, output: PartitionOutput(spikes: spikes))
        routeOwner = single
        route = single.route(population: 0)
        drives.install(route, keeping: single)
        excitatoryKernel = SynapticCurrentKernel(tauM: parameters.tauM, tauX: parameters.tauSynExcitatory)
        inhibitoryKernel = SynapticCurrentKernel(tauM: parameters.tauM, tauX: parameters.tauSynInhibitory)
        state = .allocate(capacity: max(count, 1))
        asymptote = .allocate(capacity: max(count, 1))
        for j in 0..<count {
            asymptote[j] = parameters.asymptoticPotential
            state[j] = LIFExpState(potential: initialPotential[j], excitatoryCurrent: 0, inhibitoryCurrent: 0,
                                   lastUpdate: 0, refractoryUntil: -.infinity,
                                   nextDrive: drives.isEmpty ? .infinity : drives.earliest(of: j))
        }
    }

    deinit {
        state.deallocate()
        asymptote.deallocate()
    }

    func potential(_ j: Int, at t: Double) -> Double {
        bring(j, to: t)
        return state[j].potential
    }

    /// How far ahead a quiet horizon is sought, ms: long enough to skip many windows, short enough
    /// for the bounds to stay tight (they widen with the interval).
    static let quietSpan = 2.0

    /// Makes sure every spike of neuron j before t has been emitted (the window end). A neuron whose
    /// quiet horizon covers t and whose next drive arrival is not before t cannot fire before t, so
    /// its state is left exact at `lastUpdate` and is brought forward later in one closed-form step;
    /// otherwise it is brought to t and a new horizon is sought with the cheap test (one sample).
    /// A neuron whose horizon is unknown (after an input) and that has no drive arrival before t is
    /// first given a horizon from where it stands; only if that does not reach t is it brought to t.
    @inline(__always)
    func advance(_ j: Int, to t: Double) {
        if t <= state[j].quietUntil && state[j].nextDrive >= t { return }
        if state[j].nextDrive >= t && state[j].quietUntil < state[j].lastUpdate {
            state[j].quietUntil = quietHorizon(j)
            if t <= state[j].quietUntil { return }
        }
        bring(j, to: t)
        state[j].quietUntil = quietHorizon(j)
    }

    /// The time before which neuron j, as it stands at `lastUpdate`, cannot cross without input:
    /// `quietSpan` ahead when the cheap test excludes a crossing there; otherwise the rigorous search
    /// runs on that span, and its first crossing, kept as `predictedCrossing` for `propagate` to fire
    /// without searching again, is the horizon (or the span's end when there is none). A drifting
    /// neuron near threshold is thus touched at its crossing or its next input, not at every window.
    private func quietHorizon(_ j: Int) -> Double {
        let last = state[j].lastUpdate
        if last < state[j].refractoryUntil { return state[j].refractoryUntil }
        let trajectory = ExponentialCurrentTrajectory(
            asymptote: asymptote[j], capacitance: parameters.capacitance,
            excitatory: excitatoryKernel, inhibitory: inhibitoryKernel,
            v0: state[j].potential, iE0: state[j].excitatoryCurrent, iI0: state[j].inhibitoryCurrent)
        let end = trajectory.sample(at: Self.quietSpan)
        if trajectory.mayCross(threshold: parameters.threshold, before: end),
           let s = trajectory.searchCrossing(threshold: parameters.threshold, end: end).time {
            state[j].predictedCrossing = s
            // No crossing strictly before last + s: a window end at or before it leaves the neuron.
            return last + s
        }
        return last + Self.quietSpan
    }

    /// Brings neuron j's state to time t, consuming drive arrivals strictly before t.
    @inline(__always)
    private func bring(_ j: Int, to t: Double) {
        while state[j].nextDrive < t {
            let arrival = state[j].nextDrive
            let (w, next) = drives.consume(of: j)
            state[j].nextDrive = next
            propagate(j, to: arrival)
            addCurrent(j, w)
        }
        propagate(j, to: t)
    }

    /// Fires neuron j at its predicted crossing if that lies before t (`quietHorizon`); true if it did.
    /// Whether a known crossing fires before t is decided by the same comparison as the horizon's
    /// (last + s < t), so a window end the horizon let pass never sees the crossing fire behind it.
    @inline(__always)
    private func firePredicted(_ j: Int, before t: Double) -> Bool? {
        let s = state[j].predictedCrossing
        if s.isNaN { return nil }
        let last = state[j].lastUpdate
        state[j].predictedCrossing = .nan
        guard last + s < t else { return false }
        // The decay factors `sample(at: s)` computed when the crossing was found.
        state[j].excitatoryCurrent *= smallArgumentDecay(s / parameters.tauSynExcitatory)
        state[j].inhibitoryCurrent *= smallArgumentDecay(s / parameters.tauSynInhibitory)
        state[j].lastUpdate = last + s
        fire(j, at: last + s)
        return true
    }

    /// A PSP of `weight` pA at time t.
    @inline(__always)
    func receive(_ j: Int, weight: Double, at t: Double) {
        bring(j, to: t)
        addCurrent(j, weight)
        state[j].quietUntil = -.infinity
    }

    @inline(__always)
    private func addCurrent(_ j: Int, _ w: Double) {
        state[j].predictedCrossing = .nan
        if w >= 0 { state[j].excitatoryCurrent += w } else { state[j].inhibitoryCurrent += w }
    }

    private func decayCurrents(_ j: Int, over h: Double) {
        state[j].excitatoryCurrent *= exp(-h / parameters.tauSynExcitatory)
        state[j].inhibitoryCurrent *= exp(-h / parameters.tauSynInhibitory)
    }

    private func fire(_ j: Int, at t: Double) {
        route.output(of: j).spikes.append(time: t, neuron: offset &+ UInt32(j))
        state[j].potential = parameters.resetPotential
        state[j].refractoryUntil = t + parameters.refractoryPeriod
        state[j].predictedCrossing = .nan
    }

    /// Exact propagation with no input in (lastUpdate, t].
    private func propagate(_ j: Int, to t: Double) {
        while state[j].lastUpdate < t {
            let last = state[j].lastUpdate
            if last < state[j].refractoryUntil {
                let end = min(state[j].refractoryUntil, t)
                decayCurrents(j, over: end - last)
                state[j].potential = parameters.resetPotential
                state[j].lastUpdate = end
                continue
            }
            if state[j].potential >= parameters.threshold {
                fire(j, at: last)
                continue
            }
            // A crossing known from the horizon: fire it without searching, or, when it lies at or
            // after t, know that (last, t] has none.
            let known = firePredicted(j, before: t)
            if known == true { continue }
            let h = t - last
            let trajectory = ExponentialCurrentTrajectory(
                asymptote: asymptote[j], capacitance: parameters.capacitance,
                excitatory: excitatoryKernel, inhibitory: inhibitoryKernel,
                v0: state[j].potential, iE0: state[j].excitatoryCurrent, iI0: state[j].inhibitoryCurrent)
            let end = trajectory.sample(at: h)
            if known == nil, trajectory.mayCross(threshold: parameters.threshold, before: end),
               case let found = trajectory.searchCrossing(threshold: parameters.threshold, end: end),
               let s = found.time {
                state[j].excitatoryCurrent *= found.sample.decayE
                state[j].inhibitoryCurrent *= found.sample.decayI
                state[j].lastUpdate = last + s
                fire(j, at: last + s)
            } else {
                state[j].potential = end.potential
                state[j].excitatoryCurrent *= end.decayE
                state[j].inhibitoryCurrent *= end.decayI
                state[j].lastUpdate = t
            }
        }
    }

    /// Changes the constant input of the neurons in `range` at time t by `deltaCurrent` pA.
    func changeBias(_ range: Range<Int>, by deltaCurrent: Double, at t: Double) {
        for j in range {
            bring(j, to: t)
            asymptote[j] += parameters.tauM * deltaCurrent / parameters.capacitance
            state[j].quietUntil = -.infinity
            state[j].predictedCrossing = .nan
        }
    }
}
