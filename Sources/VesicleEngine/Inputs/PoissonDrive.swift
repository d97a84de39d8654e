import VesicleRandom

/// Independent Poisson trains delivered straight to neurons (NEST poisson_generator semantics: every
/// target has its own train). A train never goes through the queue: each neuron keeps the time of
/// its next arrival and consumes arrivals lazily when it is brought forward, which is exact because
/// inter-arrival times are drawn as exact exponentials (MODEL.md §2, DESIGN.md Lazy state).
///
/// A neuron may have several drives; they are kept in compressed rows by neuron. Storage is raw
/// memory owned by this object: it sits on the hottest path, where array uniqueness and
/// exclusivity checks would cost more than the arithmetic.
final class PoissonDriveTable {
    let neuronCount: Int
    let driveCount: Int
    /// Drives of local neuron j are rowStart[j] ..< rowStart[j + 1].
    private let rowStart: UnsafeMutablePointer<Int32>
    /// Mean inter-arrival time, ms (1/rate): multiplying is cheaper than dividing on the hot path.
    private let meanInterval: UnsafeMutablePointer<Double>
    private let weight: UnsafeMutablePointer<Double>
    private let activeUntil: UnsafeMutablePointer<Double>
    private let next: UnsafeMutablePointer<Double>
    private let streams: UnsafeMutablePointer<RandomStream>
    /// Every neuron has exactly one drive, and drive j belongs to neuron j.
    private let oneEach: Bool
    private let zigguratLayers = ExponentialZiggurat.layers
    private let zigguratDensities = ExponentialZiggurat.densities
    /// Arrivals consumed so far (the external event count).
    private(set) var consumed = 0

    var isEmpty: Bool { driveCount == 0 }

    /// Builds the table from (neuron, rate Hz, weight, from, until, stream), kept in neuron order.
    init(neuronCount: Int, drives: [(neuron: Int, rateHz: Double, weight: Double, from: Double, until: Double,
                                    stream: RandomStream)]) {
        self.neuronCount = neuronCount
        driveCount = drives.count
        rowStart = .allocate(capacity: neuronCount + 1)
        meanInterval = .allocate(capacity: max(drives.count, 1))
        weight = .allocate(capacity: max(drives.count, 1))
        activeUntil = .allocate(capacity: max(drives.count, 1))
        next = .allocate(capacity: max(drives.count, 1))
        streams = .allocate(capacity: max(drives.count, 1))
        let sorted = drives.enumerated().sorted { ($0.element.neuron, $0.offset) < ($1.element.neuron, $1.offset) }
        rowStart.initialize(repeating: 0, count: neuronCount + 1)
        for (_, d) in sorted { rowStart[d.neuron + 1] += 1 }
        for j in 0..<neuronCount { rowStart[j + 1] += rowStart[j] }
        var oneEach = drives.count == neuronCount
        for (k, (_, d)) in sorted.enumerated() {
            if d.neuron != k { oneEach = false }
            meanInterval[k] = 1000 / d.rateHz
            weight[k] = d.weight
            activeUntil[k] = d.until
            var s = d.stream
            let first = d.rateHz > 0 ? d.from + s.exponential() * meanInterval[k] : .infinity
            next[k] = first < d.until ? first : .infinity
            (streams + k).initialize(to: s)
        }
        self.oneEach = oneEach
    }

    deinit {
        rowStart.deallocate(); meanInterval.deallocate(); weight.deallocate()
        activeUntil.deallocate(); next.deallocate()
        streams.deinitialize(count: driveCount); streams.deallocate()
    }

    /// Earliest next arrival of neuron j's drives.
    @inline(__always)
    func earliest(of j: Int) -> Double {
        if oneEach { return next[j] }
        let lo = Int(rowStart[j]), hi = Int(rowStart[j + 1])
        var t = Double.infinity
        for k in lo..<hi where next[k] < t { t = next[k] }
        return t
    }

    /// Consumes neuron j's earliest arrival: returns its weight and draws that drive's next arrival.
    @inline(__always)
    func consumeEarliest(of j: Int) -> Double {
        var k = j
        if !oneEach {
            let lo = Int(rowStart[j]), hi = Int(rowStart[j + 1])
            k = lo
            for m in lo..<hi where next[m] < next[k] { k = m }
        }
        consumed &+= 1
        let candidate = next[k] + streams[k].exponentialZiggurat(layers: zigguratLayers, densities: zigguratDensities) * meanInterval[k]
        next[k] = candidate < activeUntil[k] ? candidate : .infinity
        return weight[k]
    }
}
