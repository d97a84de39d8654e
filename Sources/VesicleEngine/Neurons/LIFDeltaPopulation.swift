import Foundation
import VesicleModel
import VesicleRandom

/// Hot per-neuron state of a `lif_delta` neuron: one 64-byte cache line, aligned, so that a delivery
/// and the Poisson arrivals it brings forward touch one line, not two or three.
///
/// The membrane potential is stored scaled (docs/MODEL.md §2): V(t) = V_inf + scaled * exp(-(t - epoch)/tau_m)
/// for t >= refractoryUntil. A PSP of amplitude J at time t adds J exp((t - epoch)/tau_m) to `scaled`, so
/// one exponential per delivered spike and projection serves all its targets, and the integration
/// between events is exact. `epoch` is moved forward at window ends (`rebaseSpan`) so that the scale factors stay
/// near 1 and no precision is lost.
struct LIFDeltaState {
    var scaled: Double
    var refractoryUntil: Double
    /// Earliest next arrival of the neuron's Poisson drives (infinity if none). When the population's
    /// drive is fused into the line (`LIFDeltaPopulation.fusedDrive`), the arrival's value on the
    /// scaled clock instead, e^((t - epoch)/tau_m), rescaled with the epoch, and negated while the
    /// asymptote lies above threshold (`LIFDeltaPopulation+ScaledClock.swift`).
    var nextDrive: Double
    /// theta - V_inf: the threshold relative to the asymptote. Negative means the neuron reaches
    /// threshold by drift alone, at the analytic time tau_m ln(scaled / gap).
    var thresholdGap: Double
    /// The generator of the neuron's Poisson drive when the population's drives are fused into this
    /// line (`LIFDeltaPopulation.fusedDrive`); a placeholder, never drawn from, otherwise.
    var driveStream: DriveStream
}

/// A population of current-based LIF neurons with delta synapses (NEST iaf_psc_delta semantics,
/// continuous spike times): PSPs are voltage jumps, inputs that arrive during the refractory
/// period are dropped, a jump that reaches threshold fires at the arrival time.
final class LIFDeltaPopulation {
    let parameters: LIFParameters
    let count: Int
    /// Global index of local neuron 0.
    let offset: UInt32
    let tau: Double
    let inverseTau: Double
    let expTable = SmallArgumentExpTable.values
    let state: UnsafeMutablePointer<LIFDeltaState>
    let asymptote: UnsafeMutablePointer<Double>
    /// Neuron j sits at threshold on its partition's `heldCrossings`, waiting for the rest of the
    /// inputs at the same time (`LIFDeltaPopulation+SimultaneousInputs.swift`). Read only where a
    /// neuron drifts: there a second input at the same time must not fire it by drift.
    let held: UnsafeMutablePointer<Bool>
    /// Without a fused drive: a time before which neuron j has nothing pending, no drive arrival and
    /// no drift crossing, so that bringing it forward to any t <= wake[j] would change nothing
    /// (docs/DESIGN.md, Lazy state). A window end and a delivery skip such a neuron, which makes the
    /// window's cost that of its work however short the delay (`LIFDeltaPopulation+Idle.swift`).
    /// -infinity when unknown (after an excitatory input to a drifting neuron, a bias change) or for
    /// escape noise, which is always brought forward.
    let wake: UnsafeMutablePointer<Double>
    /// The time at which the scale factor is 1. Kept behind a pointer: a class's stored `var` is
    /// checked for exclusive access at run time at each read outside the inlined loops, which cost a
    /// sixth of the delta CUBA run in `advanceWithDrift` (perf, 2026-12-02).
    var epoch: Double {
        get { epochStorage.pointee }
        set { epochStorage.pointee = newValue }
    }
    private let epochStorage: UnsafeMutablePointer<Double> = {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()
    let drives: OwnedDriveTable
    /// The neurons this population holds and advances: all of them, or on an MPI rank only those its
    /// partitions own (`OwnedNeuronMemory`; docs/DESIGN.md, Ranks).
    let owned: Range<Int>
    /// Built for an MPI rank's part: `owned` is the rank's, whatever its size (`NeuronPopulation+Ranks.swift`).
    let holdsOnlyOwnedNeurons: Bool
    let spikes: WindowSpikes
    /// Where spikes and arrival counts go before a simulator installs its partitions' route:
    /// `spikes` itself (the initial spikes at time 0 land here).
    let output: PartitionOutput
    /// Which partition's output each neuron writes (`PartitionRoute`), and the storage behind it.
    private(set) var route: PartitionRoute
    private var routeOwner: AnyObject
    /// Stochastic firing instead of a hard threshold (docs/MODEL.md §2), if the parameters ask for it.
    let escapeNoise: EscapeNoiseState?
    /// One Poisson drive per neuron and no escape noise: the fused drive loop applies.
    let singleDrives: Bool
    /// One drive per neuron with constants shared by all, no escape noise, a mean interval no longer
    /// than tau_m and first arrivals within `clockHorizon` time constants: each drive's generator and
    /// next arrival live in the neuron's line (`LIFDeltaState.driveStream`, `nextDrive`, the latter on
    /// the scaled clock), and the table's copies of them are not used.
    let fusedDrive: Bool
    let driveWeight: Double
    let driveActiveUntil: Double
    /// e^((driveActiveUntil - epoch)/tau_m): where the fused drives close on the scaled clock; set
    /// again at every rebase (infinity if beyond the range of Double).
    var driveActiveScale: Double = .infinity
    /// Lomax(tau_m * rate): the fused drive's step on the scaled clock, 1 + Y = e^(interval/tau_m).
    let driveClock: LomaxZiggurat?
    /// Its tables as a plain value: the arrival loop calls their rejection path, and reference
    /// counting around each call would cost more than the call. A placeholder's when not fused, not
    /// an optional: unwrapping one in the arrival loop cost 2.5% more instructions (callgrind).
    let clock: LomaxZigguratTables
    private static let placeholderClock = LomaxZiggurat(shape: LomaxZiggurat.minimumShape)!
    /// `DeliveryMasks.values`, kept here so that the delivery loops read it without the global's
    /// initialisation check.
    let deliveryMasks = DeliveryMasks.values
    /// e^(t_ref/tau_m): the scaled clock's advance across one refractory period.
    let refractoryFactor: Double
    /// A fused drive's first arrival must lie within this many tau_m of time 0, so that its value on
    /// the scaled clock, e^(t/tau_m), is a finite Double (e^709 is the largest).
    static let clockHorizon = 600.0

    init(parameters: LIFParameters, count: Int, offset: UInt32, initialPotential: [Double],
         drives: PoissonDriveTable, spikes: WindowSpikes, seed: UInt64 = 0,
         owned: Range<Int>? = nil, ownedDrives: PoissonDriveTable? = nil) {
        holdsOnlyOwnedNeurons = owned != nil
        let owned = owned ?? 0..<count
        self.owned = owned
        escapeNoise = parameters.escapeNoise.map { EscapeNoiseState($0, count: count, seed: seed, offset: offset) }
        singleDrives = drives.oneEach && parameters.escapeNoise == nil
        var shared = parameters.escapeNoise == nil ? drives.sharedConstants : nil
        let horizon = Self.clockHorizon * parameters.tauM
        if !(0..<count).allSatisfy({ drives.earliest(of: $0) <= horizon || drives.earliest(of: $0) == .infinity }) {
            shared = nil
        }
        let clock = shared.flatMap { $0.meanInterval <= parameters.tauM ? LomaxZiggurat(shape: parameters.tauM / $0.meanInterval) : nil }
        driveClock = clock
        self.clock = (clock ?? Self.placeholderClock).tables
        fusedDrive = clock != nil
        driveWeight = shared?.weight ?? 0
        driveActiveUntil = shared?.activeUntil ?? 0
        refractoryFactor = exp(parameters.refractoryPeriod / parameters.tauM)
        self.parameters = parameters
        self.count = count
        self.offset = offset
        self.tau = parameters.tauM
        self.inverseTau = 1 / parameters.tauM
        self.drives = ownedDrives.map { OwnedDriveTable(whole: drives, owned: $0, first: owned.lowerBound) }
            ?? OwnedDriveTable(whole: drives)
        let drives = self.drives
        self.spikes = spikes
        output = PartitionOutput(spikes: spikes)
        let single = PartitionRouteStorage.single(count: count, output: output)
        routeOwner = single
        route = single.route(population: 0)
        drives.install(route, keeping: single)
        state = OwnedNeuronMemory.allocate(LIFDeltaState.self, owned: owned)
        asymptote = OwnedNeuronMemory.allocate(Double.self, owned: owned)
        held = OwnedNeuronMemory.allocate(Bool.self, owned: owned)
        (held + owned.lowerBound).initialize(repeating: false, count: owned.count)
        wake = OwnedNeuronMemory.allocate(Double.self, owned: owned)
        (wake + owned.lowerBound).initialize(repeating: -.infinity, count: owned.count)
        let vInf = parameters.asymptoticPotential
        let placeholder = DriveStream(purpose: .externalInput, entity: 0, index: 0)
        for j in owned {
            asymptote[j] = vInf
            let first = drives.isEmpty ? .infinity : drives.earliest(of: j)
            (state + j).initialize(to: LIFDeltaState(
                scaled: initialPotential[j] - vInf, refractoryUntil: -.infinity,
                nextDrive: fusedDrive ? (parameters.threshold < vInf ? -1 : 1) * exp(first / parameters.tauM) : first,
                thresholdGap: parameters.escapeNoise == nil ? parameters.threshold - vInf : .infinity,
                driveStream: fusedDrive ? drives.stream(of: j) : placeholder))
        }
        if fusedDrive { driveActiveScale = exp(driveActiveUntil / parameters.tauM) }
        // A neuron that starts at or above threshold fires at time 0, as NEST's fires on its first
        // step; otherwise it would sit above threshold until an input arrived.
        if parameters.escapeNoise == nil {
            for j in owned where initialPotential[j] >= parameters.threshold {
                if fusedDrive { fireOnClock(j, at: 1, time: 0, into: output) } else { fire(j, at: 0) }
            }
        }
    }

    deinit {
        (state + owned.lowerBound).deinitialize(count: owned.count)
        OwnedNeuronMemory.release(state, owned: owned)
        OwnedNeuronMemory.release(asymptote, owned: owned)
        OwnedNeuronMemory.release(held, owned: owned)
        OwnedNeuronMemory.release(wake, owned: owned)
        epochStorage.deallocate()
    }

    /// Membrane potential of local neuron j at time t (t not before its last update).
    func potential(_ j: Int, at t: Double) -> Double {
        let s = state[j]
        if t < s.refractoryUntil { return parameters.resetPotential }
        return asymptote[j] + s.scaled * exp(-(t - epoch) / tau)
    }

    /// Installs the partitions' route (`NeuronPopulation.install`).
    func install(_ route: PartitionRoute, keeping owner: AnyObject) {
        self.route = route
        routeOwner = owner
        drives.install(route, keeping: owner)
    }

    @inline(__always)
    func fire(_ j: Int, at t: Double) {
        route.output(of: j).spikes.append(time: t, neuron: offset &+ UInt32(j))
        let until = t + parameters.refractoryPeriod
        state[j].refractoryUntil = until
        state[j].scaled = (parameters.resetPotential - asymptote[j]) * exp((until - epoch) / tau)
    }

    /// Brings neuron j forward to just before `t`: consumes its drive arrivals and drift crossings
    /// that happen strictly before t, in time order.
    @inline(__always)
    func advance(_ j: Int, before t: Double) {
        if fusedDrive {
            advanceOnClock(j, before: clockValue(at: t), into: route.output(of: j))
        } else if singleDrives && state[j].thresholdGap >= 0 {
            if state[j].nextDrive < t { receiveSingleDrive(j, before: t) }
            wake[j] = state[j].nextDrive
        } else if let escapeNoise {
            advanceWithEscapeNoise(j, before: t, noise: escapeNoise)
        } else if state[j].thresholdGap >= 0 {
            while state[j].nextDrive < t { receiveDrive(j) }
            wake[j] = state[j].nextDrive
        } else {
            advanceWithDrift(j, before: t)
        }
    }

    /// The common case fused: one drive per neuron, hard threshold below the asymptote's reach by
    /// drift. Arrivals in refractoriness are dropped without computing their scale factor.
    @inline(__always)
    private func receiveSingleDrive(_ j: Int, before t: Double) {
        let drive = drives.drive(j)
        let layers = drives.zigguratLayers, densities = drives.zigguratDensities, seed = drives.seed
        var arrival = state[j].nextDrive
        var count = 0
        repeat {
            let weight = drive.pointee.weight
            let next = drive.pointee.drawNext(layers: layers, densities: densities, seed: seed)
            count &+= 1
            if arrival >= state[j].refractoryUntil {
                let scale = smallArgumentExp((arrival - epoch) * inverseTau, table: expTable)
                let scaled = state[j].scaled + weight * scale
                state[j].scaled = scaled
                if weight > 0 && scaled >= state[j].thresholdGap * scale { fire(j, at: arrival) }
            }
            arrival = next
        } while arrival < t
        state[j].nextDrive = arrival
        route.output(of: j).driveArrivals &+= count
    }

    @inline(__always)
    private func receiveDrive(_ j: Int) {
        let arrival = state[j].nextDrive
        let (w, next) = drives.consume(of: j)
        state[j].nextDrive = next
        receive(j, weight: w, at: arrival, scale: smallArgumentExp((arrival - epoch) * inverseTau, table: expTable))
    }

    /// Asymptote above threshold: the next event is either a drive arrival or the analytic crossing.
    private func advanceWithDrift(_ j: Int, before t: Double) {
        // Held at threshold by an input at t, which is not over yet: nothing before t is pending.
        if held[j] { return }
        while true {
            let gap = state[j].thresholdGap
            let scaled = state[j].scaled
            // V - V_inf = scaled e^{-(s - epoch)/tau} < gap < 0 until s = epoch + tau ln(scaled/gap).
            // Never before the epoch: a neuron is only ever at or above threshold without having fired
            // if it started there, and then it fired at time 0 (init).
            let earliest = max(state[j].refractoryUntil, epoch)
            let crossing = scaled < gap ? max(epoch + tau * log(scaled / gap), earliest) : earliest
            let arrival = state[j].nextDrive
            if crossing < t && crossing <= arrival {
                fire(j, at: crossing)
            } else if arrival < t {
                receiveDrive(j)
            } else {
                wake[j] = min(arrival, Self.lowerBound(ofCrossing: crossing))
                return
            }
        }
    }

    /// A PSP of amplitude `weight` at time t; `scale` = exp((t - epoch)/tau).
    @inline(__always)
    func receive(_ j: Int, weight: Double, at t: Double, scale: Double) {
        if t < state[j].refractoryUntil { return }
        state[j].scaled += weight * scale
        if weight > 0 && state[j].scaled >= state[j].thresholdGap * scale { fire(j, at: t) }
    }

    /// Delivers one PSP of amplitude `weight` at time t to each local neuron in `targets`. This is
    /// the innermost loop of a recurrent network: the common case (no drive arrival or drift pending,
    /// not refractory) is one load, one add and one compare per target.
    /// The spikes and counts of fused-drive neurons go to `output`, those of the others to their route's.
    @inline(__always)
    func deliver(weight: Double, at t: Double, to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        let scale = smallArgumentExp((t - epoch) * inverseTau, table: expTable)
        let increment = weight * scale
        let excitatory = weight > 0
        let stochastic = escapeNoise != nil
        let state = self.state
        if fusedDrive {
            // Inhibition cannot fire a neuron: its loop has no threshold test.
            if excitatory {
                deliverOnClock(increment: increment, at: t, scale: scale, to: targets, testsThreshold: true, into: output)
            } else {
                deliverOnClock(increment: increment, at: t, scale: scale, to: targets, testsThreshold: false, into: output)
            }
            return
        }
        let wake = self.wake
        for target in targets {
            let j = Int(target)
            if wake[j] < t || stochastic { advance(j, before: t) }
            if t < state[j].refractoryUntil { continue }
            let scaled = state[j].scaled + increment
            state[j].scaled = scaled
            if excitatory {
                if state[j].thresholdGap < 0 { wake[j] = earlyWake(j, at: t, scale: scale) }
                if scaled >= state[j].thresholdGap * scale { hold(j, into: output) }
            }
        }
    }

    /// The same with one amplitude per synapse: Float32 static weights or Double Bayesian releases,
    /// all of sign `allOfSign` when that is given (see `deliverOnClock`).
    /// As above, a target is brought forward only when something is pending before t (a drive
    /// arrival, drift towards a crossing, escape noise); `advance` would do nothing otherwise.
    /// The spikes and counts of fused-drive neurons go to `output`.
    @inline(__always)
    func deliver<Amplitude: BinaryFloatingPoint>(amplitudes: UnsafeBufferPointer<Amplitude>,
                                                 allOfSign sign: FloatingPointSign? = nil, at t: Double,
                                                 to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        let scale = smallArgumentExp((t - epoch) * inverseTau, table: expTable)
        let stochastic = escapeNoise != nil
        let state = self.state
        if fusedDrive {
            deliverOnClock(amplitudes: amplitudes, allOfSign: sign, at: t, scale: scale, to: targets, into: output)
            return
        }
        let wake = self.wake
        for (target, amplitude) in zip(targets, amplitudes) {
            let j = Int(target)
            let line = state + j
            if wake[j] < t || stochastic { advance(j, before: t) }
            if t < line.pointee.refractoryUntil { continue }
            let weight = Double(amplitude)
            let scaled = line.pointee.scaled + weight * scale
            line.pointee.scaled = scaled
            if weight > 0 {
                if line.pointee.thresholdGap < 0 { wake[j] = earlyWake(j, at: t, scale: scale) }
                if scaled >= line.pointee.thresholdGap * scale { hold(j, into: output) }
            }
        }
    }

    /// Moves the epoch to `newEpoch`, rescaling every neuron it holds (`owned`) exactly.
    func rebase(to newEpoch: Double) {
        let factor = exp(-(newEpoch - epoch) / tau)
        if fusedDrive {
            for j in owned {
                state[j].scaled *= factor
                state[j].nextDrive *= factor
            }
            driveActiveScale = exp((driveActiveUntil - newEpoch) / tau)
        } else {
            for j in owned { state[j].scaled *= factor }
        }
        epoch = newEpoch
    }

    /// Neurons `range` (all of one partition) brought forward to just before `t`; spikes and counts
    /// to `output`, the partition's.
    func advance(_ range: Range<Int>, before t: Double, into output: PartitionOutput) {
        if fusedDrive {
            let limit = clockValue(at: t)
            for j in range { advanceOnClock(j, before: limit, into: output) }
        } else {
            advanceDue(range, before: t)
        }
    }

    /// Changes the constant input of the neurons in `range` at time t by `deltaCurrent` pA, keeping V continuous.
    func changeBias(_ range: Range<Int>, by deltaCurrent: Double, at t: Double) {
        let scale = self.scale(at: t)
        for j in range { changeBias(j, by: deltaCurrent, at: t, scale: scale) }
    }

    /// exp((t - epoch)/tau), shared by every change at time t.
    func scale(at t: Double) -> Double { exp((t - epoch) / tau) }

    /// The same for one neuron, with `scale` = `scale(at: t)`.
    @inline(__always)
    func changeBias(_ j: Int, by deltaCurrent: Double, at t: Double, scale: Double) {
        let deltaV = tau * deltaCurrent / parameters.capacitance
        advance(j, before: t)
        asymptote[j] += deltaV
        state[j].thresholdGap = escapeNoise == nil ? parameters.threshold - asymptote[j] : .infinity
        wake[j] = -.infinity
        if fusedDrive { setClockArrival(state + j, abs(state[j].nextDrive)) }
        // V = V_inf + scaled/scale is unchanged, so scaled absorbs the shift of V_inf.
        if t >= state[j].refractoryUntil {
            state[j].scaled -= deltaV * scale
        } else {
            state[j].scaled = (parameters.resetPotential - asymptote[j])
                * exp((state[j].refractoryUntil - epoch) / tau)
        }
    }
}
