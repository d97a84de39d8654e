import Foundation
import VesicleModel
import VesicleRandom

/// The trains of a rate-modulated Poisson input (`inhomogeneous_poisson`: a piecewise-constant rate
/// table; `sinusoidal_poisson`: rate + amplitude sin(2 pi f t + phase), clipped at 0), generated
/// during the run one window at a time by thinning (Lewis and Shedler 1979): candidates of a
/// homogeneous train at the rate's maximum, each kept with probability rate(t) / maximum. Train k
/// (the input's k-th target neuron) draws from its own counter-keyed stream
/// (seed, modulatedPoisson, input, k) (`DriveStream`), one arrival per candidate: its acceptance
/// uniform, then the interval to the next candidate. So train k depends on nothing but its key, and
/// there is no bound on the number of spikes a run may have (docs/DESIGN.md, Randomness).
struct ModulatedPoissonTrains {
    enum Rate {
        /// rates[i] Hz from times[i] ms until the next time; 0 before the first.
        case piecewise(times: [Double], rates: [Double])
        /// rate + amplitude sin(2 pi frequency t / 1000 + radians), Hz, clipped at 0.
        case sinusoid(rate: Double, amplitude: Double, frequency: Double, radians: Double)
    }

    let rate: Rate
    /// The rate's maximum, Hz: the candidates' rate.
    let maximum: Double
    /// Candidates lie in [start, stop), ms.
    let start: Double
    let stop: Double
    /// Each train's next candidate time (infinity when the train is over) and stream.
    var next: [Double]
    var streams: [DriveStream]

    /// The trains of input `input` (its index in the network file) for `count` targets, or nil for
    /// an input of another kind.
    init?(_ kind: InputSpec.Kind, input: Int, count: Int, start: Double, stop: Double, seed: UInt64) {
        switch kind {
        case .inhomogeneousPoisson(let times, let rates):
            rate = .piecewise(times: times, rates: rates)
            maximum = rates.max() ?? 0
        case .sinusoidalPoisson(let r, let amplitude, let frequency, let phase):
            rate = .sinusoid(rate: r, amplitude: amplitude, frequency: frequency, radians: phase * .pi / 180)
            maximum = r + amplitude
        default:
            return nil
        }
        self.start = start
        self.stop = stop
        streams = (0..<count).map { DriveStream(purpose: .modulatedPoisson, entity: UInt32(input), index: UInt32($0)) }
        next = Array(repeating: .infinity, count: count)
        guard maximum > 0, stop > start else { return }
        let meanInterval = 1000 / maximum
        for k in 0..<count {
            let t = start + streams[k].interval(meanInterval: meanInterval, seed: seed)
            next[k] = t < stop ? t : .infinity
        }
    }

    /// The rate at t (ms), Hz.
    /// - Complexity: O(log rate-table size).
    func rate(at t: Double) -> Double {
        switch rate {
        case .piecewise(let times, let rates):
            // The last rate time at or before t.
            var lo = 0, hi = times.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if times[mid] <= t { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? 0 : rates[lo - 1]
        case .sinusoid(let r, let amplitude, let frequency, let radians):
            return max(0, r + amplitude * sin(2 * .pi * frequency * t / 1000 + radians))
        }
    }

    /// Appends every spike before `end` not yet emitted, train k as neuron offset + k.
    /// - Complexity: O(candidates before end).
    mutating func emit(before end: Double, offset: UInt32, seed: UInt64, into spikes: WindowSpikes) {
        let meanInterval = 1000 / maximum
        for k in next.indices {
            var t = next[k]
            guard t < end else { continue }
            var stream = streams[k]
            while t < end {
                stream.beginArrival(seed: seed)
                if stream.uniform() * maximum < rate(at: t) { spikes.append(time: t, neuron: offset &+ UInt32(k)) }
                let candidate = t + stream.interval(meanInterval: meanInterval, seed: seed, begun: true)
                t = candidate < stop ? candidate : .infinity
            }
            next[k] = t
            streams[k] = stream
        }
    }
}
