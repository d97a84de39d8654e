import VesicleRandom

/// Independent Poisson trains delivered straight to neurons (NEST poisson_generator semantics: every
/// target has its own train). A train never goes through the queue: each neuron keeps the time of
/// its next arrival and consumes arrivals lazily when it is brought forward, which is exact because
/// inter-arrival times are drawn as exact exponentials (MODEL.md §2, DESIGN.md Lazy state).
///
/// A neuron may have several drives; they are kept in compressed rows by neuron.
struct PoissonDriveTable {
    /// Drives of local neuron j are rowStart[j] ..< rowStart[j + 1].
    var rowStart: [Int32]
    var rate: [Double]          // per ms
    var weight: [Double]
    var activeFrom: [Double]
    var activeUntil: [Double]
    var next: [Double]
    var streams: [RandomStream]
    /// Arrivals consumed so far (the external event count).
    var consumed = 0

    init(neuronCount: Int) {
        rowStart = Array(repeating: 0, count: neuronCount + 1)
        rate = []; weight = []; activeFrom = []; activeUntil = []; next = []; streams = []
    }

    var isEmpty: Bool { rate.isEmpty }

    /// Builds the table from (neuron, rate Hz, weight, from, until, stream) in neuron order.
    init(neuronCount: Int, drives: [(neuron: Int, rateHz: Double, weight: Double, from: Double, until: Double,
                                    stream: RandomStream)]) {
        self.init(neuronCount: neuronCount)
        let sorted = drives.enumerated().sorted { ($0.element.neuron, $0.offset) < ($1.element.neuron, $1.offset) }
        var counts = [Int32](repeating: 0, count: neuronCount + 1)
        for (_, d) in sorted { counts[d.neuron + 1] += 1 }
        for j in 0..<neuronCount { counts[j + 1] += counts[j] }
        rowStart = counts
        for (_, d) in sorted {
            rate.append(d.rateHz / 1000)
            weight.append(d.weight)
            activeFrom.append(d.from)
            activeUntil.append(d.until)
            var s = d.stream
            let first = d.rateHz > 0 ? d.from + s.exponential() / (d.rateHz / 1000) : .infinity
            next.append(first < d.until ? first : .infinity)
            streams.append(s)
        }
    }

    /// Earliest next arrival of neuron j's drives.
    @inline(__always)
    func earliest(of j: Int) -> Double {
        let lo = Int(rowStart[j]), hi = Int(rowStart[j + 1])
        if hi - lo == 1 { return next[lo] }
        var t = Double.infinity
        for k in lo..<hi where next[k] < t { t = next[k] }
        return t
    }

    /// Consumes neuron j's earliest arrival: returns its weight and draws that drive's next arrival.
    @inline(__always)
    mutating func consumeEarliest(of j: Int) -> Double {
        let lo = Int(rowStart[j]), hi = Int(rowStart[j + 1])
        var k = lo
        if hi - lo > 1 {
            for m in (lo + 1)..<hi where next[m] < next[k] { k = m }
        }
        let t = next[k]
        consumed += 1
        let candidate = t + streams[k].exponential() / rate[k]
        next[k] = candidate < activeUntil[k] ? candidate : .infinity
        return weight[k]
    }
}
