import VesicleModel
import VesicleRandom

/// Neurons whose spike times do not depend on the network: Poisson sources (exact exponential
/// inter-spike intervals after an optional dead time) and given spike times. They are generated one
/// window at a time, so the queue never holds more than a window of their spikes. Source neuron j of
/// population p draws from its own counter-keyed stream (seed, poissonSource, p, j) (`DriveStream`),
/// so its spike n depends on nothing else (docs/DESIGN.md, Randomness).
final class SourcePopulation {
    enum Kind {
        /// Per-neuron rate (per ms), dead time (ms), next spike time and stream.
        case poisson(rates: [Double], deadTime: Double, next: [Double], streams: [DriveStream])
        /// Per-neuron sorted spike times and a cursor.
        case times(times: [[Double]], cursor: [Int])
        /// A rate-modulated Poisson input's trains, thinned during the run (`ModulatedPoissonTrains`).
        case modulated(ModulatedPoissonTrains)
    }

    let count: Int
    let offset: UInt32
    var kind: Kind
    /// The run's seed, the key of the Poisson streams.
    let seed: UInt64

    init(count: Int, offset: UInt32, kind: Kind, seed: UInt64) {
        self.count = count
        self.offset = offset
        self.kind = kind
        self.seed = seed
    }

    /// Appends every spike with time < `end` (and not yet emitted) to `spikes`.
    func emit(before end: Double, into spikes: WindowSpikes) {
        switch kind {
        case .poisson(let rates, let deadTime, var next, var streams):
            kind = .times(times: [], cursor: [])  // release storage while mutating (no copy)
            let layers = ExponentialZiggurat.layers, densities = ExponentialZiggurat.densities
            for j in 0..<count where rates[j] > 0 {
                while next[j] < end {
                    spikes.append(time: next[j], neuron: offset + UInt32(j))
                    streams[j].beginArrival(seed: seed)
                    next[j] += deadTime + streams[j].exponential(layers: layers, densities: densities) / rates[j]
                }
            }
            kind = .poisson(rates: rates, deadTime: deadTime, next: next, streams: streams)
        case .times(let times, var cursor):
            kind = .times(times: [], cursor: [])
            for j in 0..<count {
                let list = times[j]
                while cursor[j] < list.count && list[cursor[j]] < end {
                    spikes.append(time: list[cursor[j]], neuron: offset + UInt32(j))
                    cursor[j] += 1
                }
            }
            kind = .times(times: times, cursor: cursor)
        case .modulated(var trains):
            kind = .times(times: [], cursor: [])
            trains.emit(before: end, offset: offset, seed: seed, into: spikes)
            kind = .modulated(trains)
        }
    }
}
