import VesicleModel
import VesicleRandom

/// Neurons whose spike times do not depend on the network: Poisson sources (exact exponential
/// inter-spike intervals after an optional dead time) and given spike times. They are generated one
/// window at a time, so the queue never holds more than a window of their spikes.
final class SourcePopulation {
    enum Kind {
        /// Per-neuron rate (per ms), dead time (ms), next spike time and stream.
        case poisson(rates: [Double], deadTime: Double, next: [Double], streams: [RandomStream])
        /// Per-neuron sorted spike times and a cursor.
        case times(times: [[Double]], cursor: [Int])
    }

    let count: Int
    let offset: UInt32
    var kind: Kind

    init(count: Int, offset: UInt32, kind: Kind) {
        self.count = count
        self.offset = offset
        self.kind = kind
    }

    /// Appends every spike with time < `end` (and not yet emitted) to `spikes`.
    func emit(before end: Double, into spikes: WindowSpikes) {
        switch kind {
        case .poisson(let rates, let deadTime, var next, var streams):
            kind = .times(times: [], cursor: [])  // release storage while mutating (no copy)
            for j in 0..<count where rates[j] > 0 {
                while next[j] < end {
                    spikes.append(time: next[j], neuron: offset + UInt32(j))
                    next[j] += deadTime + streams[j].exponentialZiggurat() / rates[j]
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
        }
    }
}
