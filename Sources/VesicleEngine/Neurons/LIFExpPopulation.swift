import Foundation
import VesicleModel

struct LIFExpState {
    var potential: Double
    var excitatoryCurrent: Double
    var inhibitoryCurrent: Double
    var lastUpdate: Double
    var refractoryUntil: Double
    var nextDrive: Double
    /// No crossing is possible before this time unless an excitatory input or drive arrival beyond
    /// `headroom` comes first: a window end before it leaves the neuron untouched (`advance`), and an
    /// update that ends before it needs no crossing test.
    var quietUntil: Double = -.infinity
    /// How far (mV) V stays below theta - touchTolerance on (lastUpdate, quietUntil], as the bound
    /// that set the horizon showed, less what the excitatory jumps since then may have added
    /// (`keepHorizon`); 0 when the horizon is a crossing or unknown.
    var headroom: Double = 0
    /// The first crossing after `lastUpdate` if no input comes first, as an offset from it, found by
    /// the rigorous search when the quiet horizon was sought (`quietHorizon`); NaN when unknown.
    /// Any input, drive arrival, bias change or move of `lastUpdate` makes it unknown again.
    var predictedCrossing: Double = .nan
}

/// A population of current-based LIF neurons with exponential synaptic currents (NEST iaf_psc_exp
/// semantics, continuous spike times): a PSP of amplitude w pA jumps the excitatory current if
/// w >= 0, the inhibitory one otherwise; during the refractory period V is clamped at reset while
/// the currents keep decaying and integrating input. Threshold crossings between events: a quiet
/// horizon that most inputs leave standing in a few operations (`keepHorizon`), a cheap test at the
/// other updates (`ExponentialCurrentTrajectory.mayCross`), then, rarely, the rigorous search
/// (`searchCrossing`), which never misses one.
final class LIFExpPopulation {
    let parameters: LIFParameters
    let count: Int
    let offset: UInt32
    let state: UnsafeMutablePointer<LIFExpState>
    /// A time up to which a window end has nothing to do for neuron j: min(quietUntil, nextDrive) as
    /// of its last update, or -infinity (`LIFExpPopulation+Idle.swift`).
    let wake: UnsafeMutablePointer<Double>
    let asymptote: UnsafeMutablePointer<Double>
    /// The drives of the neurons held (`owned`; on a rank its own, `OwnedDriveTable`).
    let drives: OwnedDriveTable
    /// The neurons this population holds and advances: all, or on an MPI rank its own
    /// (`OwnedNeuronMemory`: `state`, `asymptote` and `wake` have memory for these alone).
    let owned: Range<Int>
    /// Built for an MPI rank's part (`NeuronPopulation+Ranks.swift`).
    let holdsOnlyOwnedNeurons: Bool
    let spikes: WindowSpikes
    /// Which partition's output each neuron's spikes go to (`PartitionRoute`); before a simulator
    /// installs its own, `spikes` itself.
    var route: PartitionRoute
    var routeOwner: AnyObject
    let excitatoryKernel: SynapticCurrentKernel
    let inhibitoryKernel: SynapticCurrentKernel
    /// The most one pA of excitatory current added at any time can raise V later, mV/pA: H_e's peak
    /// over C, rounded up by a relative 1e-9 (the computed peak value may lie an ulp below the
    /// true maximum).
    let excitatoryReach: Double
    /// H_i's peak over C, rounded up as `excitatoryReach`: with it, the most a unit current of either
    /// kind can add to V at any later time (`ExponentialCurrentTrajectory.foreverBound`).
    let inhibitoryReach: Double
    /// The state-independent parts (decay factors, kernels) of the samples at `longQuietSpan` and
    /// `quietSpan` after an update, computed once (`ExponentialCurrentTrajectory.sample(_:)`): a quiet
    /// horizon then costs its bounds' arithmetic and no exponential.
    let longQuietShape: ExponentialCurrentTrajectory.Sample
    let quietShape: ExponentialCurrentTrajectory.Sample
    /// One Poisson drive per neuron, drive j of neuron j: arrivals are drawn and applied in the
    /// neuron's own update (`bringFused`), their count added to the partition's once per update.
    let fusedDrive: Bool
    /// Tests only: false makes a new population take the table's general path (`drives.consume`), the
    /// reference the fused path is compared with.
    nonisolated(unsafe) static var fusedDriveAllowed = true

    /// - Parameters:
    ///   - owned: on an MPI rank, the neurons its partitions own, held alone with their drives
    ///     `ownedDrives` (`OwnedDriveTable.ownedTable`); nil: every neuron.
    init(parameters: LIFParameters, count: Int, offset: UInt32, initialPotential: [Double],
         drives: PoissonDriveTable, spikes: WindowSpikes, owned: Range<Int>? = nil, ownedDrives: PoissonDriveTable? = nil) {
        self.parameters = parameters
        self.count = count
        self.offset = offset
        holdsOnlyOwnedNeurons = owned != nil
        let owned = owned ?? 0..<count
        self.owned = owned
        self.drives = ownedDrives.map { OwnedDriveTable(whole: drives, owned: $0, first: owned.lowerBound) }
            ?? OwnedDriveTable(whole: drives)
        self.spikes = spikes
        let single = PartitionRouteStorage.single(count: count, output: PartitionOutput(spikes: spikes))
        routeOwner = single
        route = single.route(population: 0)
        self.drives.install(route, keeping: single)
        excitatoryKernel = SynapticCurrentKernel(tauM: parameters.tauM, tauX: parameters.tauSynExcitatory)
        inhibitoryKernel = SynapticCurrentKernel(tauM: parameters.tauM, tauX: parameters.tauSynInhibitory)
        excitatoryReach = excitatoryKernel.peakValue / parameters.capacitance * (1 + 1e-9)
        inhibitoryReach = inhibitoryKernel.peakValue / parameters.capacitance * (1 + 1e-9)
        let unit = ExponentialCurrentTrajectory(
            asymptote: 0, capacitance: parameters.capacitance, excitatory: excitatoryKernel,
            inhibitory: inhibitoryKernel, v0: 0, iE0: 0, iI0: 0)
        longQuietShape = unit.sample(at: Self.longQuietSpan)
        quietShape = unit.sample(at: Self.quietSpan)
        fusedDrive = drives.oneEach && !drives.isEmpty && Self.fusedDriveAllowed
        state = OwnedNeuronMemory.allocate(LIFExpState.self, owned: owned)
        asymptote = OwnedNeuronMemory.allocate(Double.self, owned: owned)
        wake = OwnedNeuronMemory.allocate(Double.self, owned: owned)
        (wake + owned.lowerBound).initialize(repeating: -.infinity, count: owned.count)
        for j in owned {
            (asymptote + j).initialize(to: parameters.asymptoticPotential)
            (state + j).initialize(to: LIFExpState(potential: initialPotential[j], excitatoryCurrent: 0, inhibitoryCurrent: 0,
                                                   lastUpdate: 0, refractoryUntil: -.infinity,
                                                   nextDrive: self.drives.isEmpty ? .infinity : self.drives.earliest(of: j)))
        }
    }

    deinit {
        OwnedNeuronMemory.release(state, owned: owned)
        OwnedNeuronMemory.release(asymptote, owned: owned)
        OwnedNeuronMemory.release(wake, owned: owned)
    }

    func potential(_ j: Int, at t: Double) -> Double {
        bring(j, to: t)
        refreshWake(j)
        return state[j].potential
    }

    /// How far ahead a quiet horizon is sought, ms: `longQuietSpan` first, long enough to skip many
    /// windows; when its bound does not clear the threshold, `quietSpan`, short enough for the bounds
    /// to stay tight (they widen with the interval), and the rigorous search on that one.
    static let quietSpan = 1.0
    static let longQuietSpan = 4.0

    /// Makes sure every spike of neuron j before t (the window end) has been emitted. Drive arrivals
    /// before t are applied first. A neuron whose quiet horizon then covers t cannot fire before t: it
    /// is left exact where it stands (`lastUpdate`, the last arrival or earlier) and brought forward
    /// later in one closed-form step, which with a dense background (the microcircuit: 1.6 arrivals
    /// per window) saves an update to the window end that the next event would redo. An unknown
    /// horizon (after an input) is first sought from where the neuron stands; only when no horizon
    /// covers t is the neuron brought to t and a new horizon sought (`quietHorizon`).
    @inline(__always)
    func advance(_ j: Int, to t: Double) {
        defer { refreshWake(j) }
        if state[j].nextDrive < t {
            if fusedDrive { bringFused(j, to: t) } else { bringThroughTable(j, to: t) }
        }
        // A horizon the inputs on the way left standing (`keepHorizon`) still holds.
        if t <= state[j].quietUntil { return }
        if state[j].quietUntil < state[j].lastUpdate {
            state[j].quietUntil = quietHorizon(j)
            if t <= state[j].quietUntil { return }
        }
        propagate(j, to: t)
        if state[j].quietUntil < t { state[j].quietUntil = quietHorizon(j) }
    }

    /// The time before which neuron j, as it stands at `lastUpdate`, cannot cross without input:
    /// `longQuietSpan` or `quietSpan` ahead when the cheap test excludes a crossing there (the first of
    /// the two that it does); otherwise the rigorous search
    /// runs on that span, and its first crossing, kept as `predictedCrossing` for `propagate` to fire
    /// without searching again, is the horizon (or the span's end when there is none). A drifting
    /// neuron near threshold is thus touched at its crossing or its next input, not at every window.
    /// The bound's distance below theta - touchTolerance is kept as the horizon's headroom, which the
    /// inputs inside the horizon draw on (`keepHorizon`).
    private func quietHorizon(_ j: Int) -> Double {
        state[j].headroom = 0
        let last = state[j].lastUpdate
        if last < state[j].refractoryUntil { return state[j].refractoryUntil }
        let trajectory = ExponentialCurrentTrajectory(
            asymptote: asymptote[j], capacitance: parameters.capacitance,
            excitatory: excitatoryKernel, inhibitory: inhibitoryKernel,
            v0: state[j].potential, iE0: state[j].excitatoryCurrent, iI0: state[j].inhibitoryCurrent)
        let level = parameters.threshold - ExponentialCurrentTrajectory.touchTolerance
        // No crossing ever without input: the horizon is unbounded, and the neuron is idle until its
        // next input or drive arrival (issue 14, "An idle neuron costs nothing").
        let forever = trajectory.foreverBound(excitatoryReach: excitatoryReach, inhibitoryReach: inhibitoryReach)
        if forever < level {
            state[j].headroom = level - forever
            return .infinity
        }
        let long = trajectory.sample(longQuietShape)
        let longUpper = trajectory.upperBound(before: long)
        if longUpper < level {
            state[j].headroom = level - longUpper
            return last + Self.longQuietSpan
        }
        let end = trajectory.sample(quietShape)
        let upper = trajectory.upperBound(before: end)
        if upper < level {
            state[j].headroom = level - upper
            return last + Self.quietSpan
        }
        if let s = trajectory.searchCrossing(threshold: parameters.threshold, end: end).time {
            state[j].predictedCrossing = s
            // No crossing strictly before last + s: a window end at or before it leaves the neuron.
            return last + s
        }
        return last + Self.quietSpan
    }

    /// Brings neuron j's state to time t, consuming drive arrivals strictly before t.
    @inline(__always)
    private func bring(_ j: Int, to t: Double) {
        if state[j].nextDrive < t {
            if fusedDrive { bringFused(j, to: t) } else { bringThroughTable(j, to: t) }
        }
        propagate(j, to: t)
    }

    /// Drive arrivals before t through the table's general path (several drives per neuron).
    private func bringThroughTable(_ j: Int, to t: Double) {
        while state[j].nextDrive < t {
            let arrival = state[j].nextDrive
            let (w, next) = drives.consume(of: j)
            state[j].nextDrive = next
            propagate(j, to: arrival)
            applyInput(j, w)
        }
    }

    /// The fused drive: neuron j's own drive (`fusedDrive`), its next arrival drawn in place
    /// (`PoissonDrive.drawNext`) and the arrivals counted once. The same draws, in the same order, and
    /// the same arithmetic as `bringThroughTable`, so both give the same spikes bit for bit.
    private func bringFused(_ j: Int, to t: Double) {
        let drive = drives.drive(j)
        let layers = drives.zigguratLayers, densities = drives.zigguratDensities, seed = drives.seed
        var count = 0
        while state[j].nextDrive < t {
            let arrival = state[j].nextDrive
            state[j].nextDrive = drive.pointee.drawNext(layers: layers, densities: densities, seed: seed)
            count &+= 1
            propagate(j, to: arrival)
            applyInput(j, drive.pointee.weight)
        }
        route.countDriveArrivals(count, of: j)
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
        state[j].excitatoryCurrent *= smallArgumentDecay(s / parameters.tauSynExcitatory, table: excitatoryKernel.decays)
        state[j].inhibitoryCurrent *= smallArgumentDecay(s / parameters.tauSynInhibitory, table: excitatoryKernel.decays)
        state[j].lastUpdate = last + s
        fire(j, at: last + s)
        return true
    }

    /// A PSP of `weight` pA at time t.
    @inline(__always)
    func receive(_ j: Int, weight: Double, at t: Double) {
        bring(j, to: t)
        applyInput(j, weight)
        refreshWake(j)
    }

    /// A current jump of w pA at lastUpdate, and what it leaves of the quiet horizon (`keepHorizon`).
    @inline(__always)
    private func applyInput(_ j: Int, _ w: Double) {
        state[j].predictedCrossing = .nan
        if w >= 0 { state[j].excitatoryCurrent += w } else { state[j].inhibitoryCurrent += w }
        keepHorizon(j, afterJump: w)
    }

    /// The cheap test after an input, a few operations (docs/MODEL.md §2): a jump of w pA at time t
    /// changes V at every later s by (w/C) H_x(s - t), with 0 <= H_x <= H_x's peak. An inhibitory
    /// jump (w < 0) lowers V everywhere after t, so the horizon stands (a crossing it held is no
    /// longer known, but none comes before it). An excitatory one raises V by at most w
    /// `excitatoryReach`: the horizon stands if the headroom covers that plus `roundingAllowance`
    /// (the rounding of the updates the horizon now spans), and loses it; otherwise it is unknown.
    @inline(__always)
    private func keepHorizon(_ j: Int, afterJump w: Double) {
        if w < 0 { return }
        let left = state[j].headroom - (w * excitatoryReach + Self.roundingAllowance)
        if left > 0 { state[j].headroom = left } else { state[j].quietUntil = -.infinity; state[j].headroom = 0 }
    }

    /// What each input kept inside a horizon takes from its headroom beyond its own reach, mV: the
    /// rounding of one update of V (a few ulp of |V| ~ 100 mV, about 1e-14 mV), a hundred times over.
    static let roundingAllowance = 1e-12

    private func decayCurrents(_ j: Int, over h: Double) {
        state[j].excitatoryCurrent *= exp(-h / parameters.tauSynExcitatory)
        state[j].inhibitoryCurrent *= exp(-h / parameters.tauSynInhibitory)
    }

    private func fire(_ j: Int, at t: Double) {
        route.output(of: j).spikes.append(time: t, neuron: offset &+ UInt32(j))
        state[j].potential = parameters.resetPotential
        state[j].refractoryUntil = t + parameters.refractoryPeriod
        state[j].predictedCrossing = .nan
        state[j].quietUntil = -.infinity
        state[j].headroom = 0
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
            // Inside the quiet horizon (t strictly before it) no crossing needs looking for.
            if known == nil, t >= state[j].quietUntil, trajectory.mayCross(threshold: parameters.threshold, before: end),
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
            state[j].headroom = 0
            state[j].predictedCrossing = .nan
            wake[j] = -.infinity
        }
    }
}
