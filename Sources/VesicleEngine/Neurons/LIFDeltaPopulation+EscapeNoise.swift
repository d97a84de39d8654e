import Foundation
import VesicleModel
import VesicleRandom

/// Stochastic spike emission of `lif_delta` neurons (docs/MODEL.md §2, escape noise): a neuron fires with
/// hazard rho(V) = rho_0 exp((V - theta)/Delta_V) instead of at a hard threshold.
///
/// Sampled exactly by thinning. Between inputs V(s) = V_inf + (V0 - V_inf) e^{-s/tau_m} is monotone,
/// so on an input-free interval [t0, t1) the hazard is bounded by its value at the larger of V(t0)
/// and V(t1). Candidates are drawn from a Poisson process at that bound and each is accepted with
/// probability rho(V(c))/bound; the accepted candidate is a spike of the inhomogeneous process
/// (Lewis & Shedler 1979). Refractory time carries no hazard.
///
/// Candidate n of neuron g (global index) is drawn from the counter key (seed, escapeNoise, 0, g),
/// event n (docs/DESIGN.md, Random keys): one Philox block gives its exponential gap and its
/// acceptance uniform, so a neuron's draws are a function of its candidate count alone, and its
/// random state (for a checkpoint) is that count.
final class EscapeNoiseState {
    let rateAtThreshold: Double     // per ms
    let deltaV: Double
    /// Time up to which neuron j's stochastic firing has been resolved.
    let resolvedUntil: UnsafeMutablePointer<Double>
    /// Candidates drawn so far, by neuron: the event ordinal of the next one.
    let candidates: UnsafeMutablePointer<UInt32>
    let seed: UInt64
    let offset: UInt32
    let count: Int

    init(_ noise: EscapeNoise, count: Int, seed: UInt64, offset: UInt32) {
        rateAtThreshold = noise.rateAtThreshold / 1000
        deltaV = noise.deltaV
        self.count = count
        resolvedUntil = .allocate(capacity: max(count, 1))
        resolvedUntil.initialize(repeating: 0, count: max(count, 1))
        candidates = .allocate(capacity: max(count, 1))
        candidates.initialize(repeating: 0, count: max(count, 1))
        self.seed = seed
        self.offset = offset
    }

    deinit {
        resolvedUntil.deallocate()
        candidates.deallocate()
    }

    /// Neuron j's next candidate: a rate-1 exponential (inversion of a uniform on (0, 1]) and a
    /// uniform on [0, 1), from one block of its key at its candidate ordinal.
    @inline(__always)
    func nextCandidate(_ j: Int) -> (exponential: Double, uniform: Double) {
        let n = candidates[j]
        precondition(n != .max, "neuron \(j)'s escape-noise candidates exceed 2^32")
        candidates[j] = n + 1
        let b = CounterKey(seed: seed, purpose: .escapeNoise, index: offset &+ UInt32(j)).block(event: n)
        let high = UInt64(b.0) << 32 | UInt64(b.1), low = UInt64(b.2) << 32 | UInt64(b.3)
        return (-log(Double((high >> 11) + 1) * 0x1.0p-53), Double(low >> 11) * 0x1.0p-53)
    }

    @inline(__always)
    func hazard(_ v: Double, threshold: Double) -> Double {
        rateAtThreshold * exp((v - threshold) / deltaV)
    }
}

extension LIFDeltaPopulation {
    /// Brings an escape-noise neuron forward to just before t: drive arrivals and stochastic spikes
    /// strictly before t, in time order.
    func advanceWithEscapeNoise(_ j: Int, before t: Double, noise: EscapeNoiseState) {
        while true {
            let arrival = state[j].nextDrive
            let segmentEnd = min(arrival, t)
            resolveHazard(j, until: segmentEnd, noise: noise)
            guard arrival < t else { return }
            let (w, next) = drives.consume(of: j)
            state[j].nextDrive = next
            // The hard threshold is off (gap = +infinity), so this only adds the PSP or drops it in refractoriness.
            receive(j, weight: w, at: arrival, scale: exp((arrival - epoch) / tau))
        }
    }

    /// Thinning on the input-free interval [resolvedUntil, end).
    private func resolveHazard(_ j: Int, until end: Double, noise: EscapeNoiseState) {
        // From the refractory end on, `potential` is the free trajectory V_inf + (V0 - V_inf) e^{-s/tau_m}.
        var t0 = max(noise.resolvedUntil[j], state[j].refractoryUntil)
        let theta = parameters.threshold
        while t0 < end {
            var segmentEnd = end
            var bound = noise.hazard(max(potential(j, at: t0), potential(j, at: segmentEnd)), threshold: theta)
            // A bound that would take more than 64 candidates is tightened on a shorter segment
            // (thinning stays exact: it is a bound there too). With a small delta_V and a large
            // drive the bound over the whole interval was so loose that thinning never advanced
            // (issue 15). Typical hazards never shorten the segment, so their draws are unchanged.
            while !(bound * (segmentEnd - t0) <= 64) {
                let half = t0 + (segmentEnd - t0) / 2
                guard half > t0, half < segmentEnd else { break }
                segmentEnd = half
                bound = noise.hazard(max(potential(j, at: t0), potential(j, at: segmentEnd)), threshold: theta)
            }
            if !(bound * (segmentEnd - t0) <= 64) {
                // The spike falls within one floating-point step of t0.
                fire(j, at: t0)
                t0 = max(state[j].refractoryUntil, t0.nextUp)
                continue
            }
            if !(bound > 0) {
                t0 = segmentEnd
                continue
            }
            let draw = noise.nextCandidate(j)
            let candidate = t0 + draw.exponential / bound
            if candidate >= segmentEnd {
                t0 = segmentEnd
                continue
            }
            if draw.uniform * bound < noise.hazard(potential(j, at: candidate), threshold: theta) {
                fire(j, at: candidate)
                t0 = state[j].refractoryUntil
            } else {
                t0 = candidate
            }
        }
        noise.resolvedUntil[j] = max(noise.resolvedUntil[j], end)
    }
}
