import CVesicleVector
import Foundation
import VesicleRandom

/// The fused Poisson drive on the scaled clock (docs/MODEL.md §2).
///
/// A `lif_delta` neuron's potential is stored scaled: a PSP of amplitude J at time t adds J s(t) to
/// `scaled`, with s(t) = e^((t - epoch)/tau_m), and it reaches threshold when scaled >= gap s(t).
/// Between its spikes the neuron therefore needs an arrival's time only through s. So the fused drive
/// keeps its next arrival as a value of s, not as a time: s is monotone in t, so every comparison
/// of times is the same comparison of scales, and the arrival after s is s (1 + Y) with
/// Y ~ Lomax(tau_m * rate), which is exactly e^(delta/tau_m) for an exponential interval delta
/// (`LomaxZiggurat`). One draw and one multiply-add per arrival replace an exponential draw, a time
/// addition and an exponential function. A spike's time is recovered as epoch + tau_m ln s.
///
/// The line's `nextDrive` carries the drift state in its sign: it is negated while the asymptote lies
/// above threshold (gap < 0), so that the delivery loop's one comparison, nextDrive < s, catches both
/// a pending arrival and a drifting neuron.
///
/// Refractoriness costs nothing per arrival either: at each spike the drive's arrivals inside the
/// refractory period, s < s_spike e^(t_ref/tau_m), are drawn and dropped at once (they would be
/// dropped on arrival), so the arrival loop has no refractory test.
extension LIFDeltaPopulation {
    /// t's value on the scaled clock: the same function, and so the same value, as the factor a
    /// delivery at t uses.
    @inline(__always)
    func clockValue(at t: Double) -> Double {
        smallArgumentExp((t - epoch) * inverseTau, table: expTable)
    }

    /// Stores the drive's next arrival `s` (>= 0) in the line, with the sign of the drift state.
    @inline(__always)
    func setClockArrival(_ line: UnsafeMutablePointer<LIFDeltaState>, _ s: Double) {
        line.pointee.nextDrive = line.pointee.thresholdGap < 0 ? -s : s
    }

    /// Brings fused-drive neuron j forward through everything strictly before clock value `limit`;
    /// its spikes and arrival counts go to `output` (the population's own, or a thread's).
    @inline(__always)
    func advanceOnClock(_ j: Int, before limit: Double, into output: PartitionOutput) {
        if state[j].nextDrive < limit { advancePendingOnClock(j, before: limit, into: output) }
    }

    /// The same once `nextDrive < limit` is known: an arrival is pending, or the neuron drifts.
    @inline(__always)
    func advancePendingOnClock(_ j: Int, before limit: Double, into output: PartitionOutput) {
        if state[j].thresholdGap >= 0 {
            receiveDriveOnClock(j, before: limit, into: output)
        } else {
            advanceWithDriftOnClock(j, before: limit, into: output)
        }
    }

    /// One PSP of amplitude increment / scale at time t (clock value `scale`) to each fused-drive
    /// neuron in `targets`; `testsThreshold` is false for inhibition, which cannot fire a neuron.
    /// The common case, nothing pending and not refractory, is a load, an add and a store per target.
    @inline(__always)
    func deliverOnClock(increment: Double, at t: Double, scale: Double, to targets: UnsafeBufferPointer<UInt32>,
                        testsThreshold: Bool, into output: PartitionOutput) {
        let state = self.state, masks = deliveryMasks
        for target in targets {
            receiveOnClock(Int(target), state: state, masks: masks, increment: increment, excitatory: 1,
                           testsThreshold: testsThreshold, at: t, scale: scale, into: output)
        }
    }

    /// The same with one amplitude per synapse (Float32 static weights, Bayesian releases). When every
    /// amplitude is known to have one sign (`allOfSign`: a Bayesian projection's log-normal releases,
    /// docs/MODEL.md §3), the loop takes it as a constant, as the uniform-weight loop does, and inhibition
    /// skips the threshold test; otherwise each amplitude's sign is read from its bits.
    @inline(__always)
    func deliverOnClock<Amplitude: BinaryFloatingPoint>(amplitudes: UnsafeBufferPointer<Amplitude>,
                                                        allOfSign sign: FloatingPointSign?, at t: Double,
                                                        scale: Double, to targets: UnsafeBufferPointer<UInt32>,
                                                        into output: PartitionOutput) {
        guard let target = targets.baseAddress, let amplitude = amplitudes.baseAddress else { return }
        let state = self.state, masks = deliveryMasks
        let count = min(targets.count, amplitudes.count)
        @inline(__always)
        func each(testsThreshold: Bool, _ excitatory: (Double) -> Int) {
            // Two pointers and an end, rather than an index into two bases: fewer live values for a
            // loop whose inlined drive arrivals need most of the registers.
            var next = target, weights = amplitude
            let end = target + count
            while next < end {
                let weight = Double(weights.pointee)
                receiveOnClock(Int(next.pointee), state: state, masks: masks, increment: weight * scale,
                               excitatory: excitatory(weight), testsThreshold: testsThreshold, at: t, scale: scale,
                               into: output)
                next += 1
                weights += 1
            }
        }
        switch sign {
        case .plus?: each(testsThreshold: true) { _ in 1 }
        case .minus?: each(testsThreshold: false) { _ in 0 }
        // 1 exactly when weight > 0 (0 - weight is negative), without a comparison.
        case nil: each(testsThreshold: true) { Int((0 - $0).bitPattern >> 63) }
        }
    }

    /// The same through STDP synapses `range`, fused: each synapse is updated (`STDPProjection.Delivery
    /// .update`) and its new weight, all of sign `allOfSign`, goes at once to the target at the same
    /// offset of `targets`, so the row is read once. The same bits as updating the row and then
    /// delivering its weights (`deliverOnClock(amplitudes:)`): an update reads only its synapse and its
    /// target's STDP post state, which no PSP changes.
    @inline(__always)
    func deliverOnClock(stdp delivery: STDPProjection.Delivery, synapses range: Range<Int>,
                        allOfSign sign: FloatingPointSign, at t: Double, to targets: UnsafeBufferPointer<UInt32>,
                        into output: PartitionOutput) {
        guard let target = targets.baseAddress, !range.isEmpty else { return }
        let scale = smallArgumentExp((t - epoch) * inverseTau, table: expTable)
        let state = self.state, masks = deliveryMasks
        @inline(__always)
        func each<Plus: STDPExponent, Minus: STDPExponent>(_ plus: Plus.Type, _ minus: Minus.Type, excitatory: Int,
                                                          testsThreshold: Bool) {
            var next = target
            let end = target + range.count
            for k in range {
                let j = Int(next.pointee)
                // The STDP post state of the target `stdpPrefetchDistance` synapses on, asked for
                // now: a line per target at random, which the update would otherwise wait for.
                let later = next + Self.stdpPrefetchDistance
                if later < end { vesicle_prefetch(delivery.post + Int(later.pointee)) }
                let weight = delivery.update(k, target: j, plus, minus)
                receiveOnClock(j, state: state, masks: masks, increment: weight * scale,
                               excitatory: excitatory, testsThreshold: testsThreshold, at: t, scale: scale, into: output)
                next += 1
            }
        }
        @inline(__always)
        func exponents(excitatory: Int, testsThreshold: Bool) {
            switch (delivery.rule.muPlus, delivery.rule.muMinus) {
            case (1, 1): each(STDPExponentOne.self, STDPExponentOne.self, excitatory: excitatory, testsThreshold: testsThreshold)
            case (0, 0): each(STDPExponentZero.self, STDPExponentZero.self, excitatory: excitatory, testsThreshold: testsThreshold)
            default: each(STDPAnyExponent.self, STDPAnyExponent.self, excitatory: excitatory, testsThreshold: testsThreshold)
            }
        }
        // As `deliverOnClock(amplitudes:)` with a sign: inhibition skips the threshold test.
        if sign == .plus { exponents(excitatory: 1, testsThreshold: true) } else { exponents(excitatory: 0, testsThreshold: false) }
    }

    /// How many synapses ahead the fused STDP loop prefetches its targets' post states: a few
    /// iterations cover a miss to the last-level cache.
    static let stdpPrefetchDistance = 8

    /// One input of `increment` (amplitude times `scale`) to fused-drive neuron j at time t, after its
    /// pending arrivals and drift; `excitatory` is 1 when the amplitude is positive, else 0. `state` and
    /// `masks` are the population's, read once by the calling loop.
    ///
    /// Refractoriness without a branch: a neuron is refractory at random for a few percent of its
    /// inputs, which a branch would mispredict. The sign of t - refractoryUntil (+0 or positive
    /// exactly when t >= refractoryUntil) picks masks from `deliveryMasks` (a table, because the
    /// compiler turns any mask it can see through back into a branch): a refractory neuron gets +0,
    /// which leaves `scaled` unchanged, and a NaN threshold, which no comparison passes; so does a
    /// neuron receiving inhibition.
    @inline(__always)
    func receiveOnClock(_ j: Int, state: UnsafeMutablePointer<LIFDeltaState>, masks: UnsafePointer<UInt64>,
                        increment: Double, excitatory: Int, testsThreshold: Bool, at t: Double, scale: Double,
                        into output: PartitionOutput) {
        let line = state + j
        if line.pointee.nextDrive < scale { advancePendingOnClock(j, before: scale, into: output) }
        let refractory = Int((t - line.pointee.refractoryUntil).bitPattern >> 63)
        let scaled = line.pointee.scaled + Double(bitPattern: increment.bitPattern & masks[refractory])
        line.pointee.scaled = scaled
        let threshold = Double(bitPattern: (line.pointee.thresholdGap * scale).bitPattern
                                           | masks[2 + (refractory << 1 | excitatory)])
        if testsThreshold && scaled >= threshold { hold(j, into: output) }
    }

    /// The drive's arrivals before `limit` (at least one is pending), with the line's fields in
    /// registers for the whole burst; the ziggurat's fast path inline, its rejections out of line.
    @inline(__always)
    func receiveDriveOnClock(_ j: Int, before limit: Double, into output: PartitionOutput) {
        let line = state + j
        var stream = line.pointee.driveStream
        var arrival = line.pointee.nextDrive
        var scaled = line.pointee.scaled
        let gap = line.pointee.thresholdGap
        let weight = driveWeight, closing = driveActiveScale
        let excitatory = weight > 0
        let layers = clock.layers
        var count = 0
        repeat {
            // The same draw as `DriveStream.lomax`, after the arrival's re-key check (the seed is
            // read only at a block's first arrival).
            stream.beginArrival(seed: self.drives.seed)
            let bits = stream.next()
            let layer = Int(bits & 0xFF)
            let draw = Double(bits >> 11) * 0x1.0p-53 * layers[layer]
            var step = draw
            if _slowPath(draw >= layers[layer + 1]) {
                // By value, not inout: a generator whose address is passed stays in memory for the
                // whole loop instead of in registers.
                (step, stream) = clock.rejected(draw, layer: layer, from: stream)
            }
            let candidate = arrival + arrival * step
            var next = candidate < closing ? candidate : .infinity
            count &+= 1
            scaled += weight * arrival
            if excitatory && scaled >= gap * arrival {
                line.pointee.driveStream = stream
                line.pointee.nextDrive = next
                // fireOnClock counts the arrivals it drops itself.
                fireOnClock(j, at: arrival, time: epoch + tau * log(arrival), into: output)
                stream = line.pointee.driveStream
                next = line.pointee.nextDrive
                scaled = line.pointee.scaled
            }
            arrival = next
        } while arrival < limit
        line.pointee.driveStream = stream
        line.pointee.nextDrive = arrival
        line.pointee.scaled = scaled
        output.driveArrivals &+= count
    }

    /// A spike of fused-drive neuron j at clock value s, time t: reset, refractory until
    /// t + t_ref (s e^(t_ref/tau_m) on the clock), and the drive's arrivals inside that period drawn
    /// and dropped. Out of line: spikes are rare next to arrivals.
    @inline(never)
    func fireOnClock(_ j: Int, at s: Double, time t: Double, into output: PartitionOutput) {
        let line = state + j
        output.spikes.append(time: t, neuron: offset &+ UInt32(j))
        line.pointee.refractoryUntil = t + parameters.refractoryPeriod
        let refractoryEnd = s * refractoryFactor
        line.pointee.scaled = (parameters.resetPotential - asymptote[j]) * refractoryEnd
        var next = abs(line.pointee.nextDrive)
        guard next < refractoryEnd else { return }
        var stream = line.pointee.driveStream
        var count = 0
        repeat {
            stream.beginArrival(seed: self.drives.seed)
            let candidate = next + next * stream.lomax(clock)
            next = candidate < driveActiveScale ? candidate : .infinity
            count &+= 1
        } while next < refractoryEnd
        line.pointee.driveStream = stream
        setClockArrival(line, next)
        output.driveArrivals &+= count
    }

    /// Asymptote above threshold: the next event is a drive arrival or the analytic crossing, which
    /// on the clock is s = scaled / gap (V - V_inf = scaled / s reaches gap < 0); not before the end
    /// of refractoriness.
    func advanceWithDriftOnClock(_ j: Int, before limit: Double, into output: PartitionOutput) {
        // Held at threshold by an input that is not over yet (`hold`): nothing before it is pending.
        if held[j] { return }
        let line = state + j
        while true {
            let gap = line.pointee.thresholdGap
            guard gap < 0 else {
                if line.pointee.nextDrive < limit { receiveDriveOnClock(j, before: limit, into: output) }
                return
            }
            let scaled = line.pointee.scaled
            let refractoryUntil = line.pointee.refractoryUntil
            let refractoryEnd = refractoryUntil == -.infinity ? 0 : exp((refractoryUntil - epoch) * inverseTau)
            // Never before the epoch (clock value 1), as in `advanceWithDrift`.
            let earliest = max(refractoryEnd, 1)
            let crossing = scaled < gap ? max(scaled / gap, earliest) : earliest
            let arrival = abs(line.pointee.nextDrive)
            if crossing < limit && crossing <= arrival {
                let time = crossing == refractoryEnd ? refractoryUntil : crossing == 1 ? epoch : epoch + tau * log(crossing)
                fireOnClock(j, at: crossing, time: time, into: output)
            } else if arrival < limit {
                line.pointee.driveStream.beginArrival(seed: drives.seed)
                let candidate = arrival + arrival * line.pointee.driveStream.lomax(clock)
                setClockArrival(line, candidate < driveActiveScale ? candidate : .infinity)
                output.driveArrivals &+= 1
                let raised = scaled + driveWeight * arrival
                line.pointee.scaled = raised
                if driveWeight > 0 && raised >= gap * arrival {
                    fireOnClock(j, at: arrival, time: epoch + tau * log(arrival), into: output)
                }
            } else {
                return
            }
        }
    }
}

/// The masks `LIFDeltaPopulation.receiveOnClock` picks by sign bits instead of branching: the
/// increment's AND mask by refractory (no, yes), then the threshold's OR mask by (refractory,
/// excitatory), which is 0 only for (no, yes). All ones keeps an increment and 0 makes it +0;
/// 0x7FF8... (exponent and quiet bit) makes any threshold a NaN.
enum DeliveryMasks {
    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    nonisolated(unsafe) static let values: UnsafePointer<UInt64> = {
        let nan: UInt64 = 0x7FF8_0000_0000_0000
        let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: 6)
        masks.initialize(from: [~0, 0, nan, 0, nan, nan], count: 6)
        return UnsafePointer(masks)
    }()
}
