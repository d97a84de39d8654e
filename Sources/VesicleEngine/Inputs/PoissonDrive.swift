import VesicleRandom

/// One independent Poisson train into one neuron: its counter-keyed stream (`DriveStream`, keyed by
/// (seed, externalInput, input, neuron); docs/DESIGN.md, Randomness), next arrival and constants,
/// packed into one 64-byte cache line because every arrival touches all of them.
struct PoissonDrive {
    var stream: DriveStream
    var next: Double
    /// Mean inter-arrival time, ms (1/rate): multiplying is cheaper than dividing on the hot path.
    let meanInterval: Double
    let activeUntil: Double
    let weight: Double

    /// Replaces `next` by the arrival after it (infinity once the drive's window has closed) and
    /// returns it: the one place an inter-arrival interval is drawn. `seed` is the run's
    /// (`PoissonDriveTable.seed`).
    @inline(__always)
    mutating func drawNext(layers: UnsafePointer<Double>, densities: UnsafePointer<Double>, seed: UInt64) -> Double {
        stream.beginArrival(seed: seed)
        let candidate = next + stream.exponential(layers: layers, densities: densities) * meanInterval
        next = candidate < activeUntil ? candidate : .infinity
        return next
    }
}

/// The constants of a Poisson drive, shared by all drives of a population when they agree.
struct PoissonDriveConstants {
    let weight: Double
    let meanInterval: Double
    let activeUntil: Double
}

/// Independent Poisson trains delivered straight to neurons (NEST poisson_generator semantics: every
/// target has its own train). A train never goes through the queue: each neuron keeps the time of
/// its next arrival and consumes arrivals lazily when it is brought forward, which is exact because
/// inter-arrival times are drawn as exact exponentials (docs/MODEL.md §2, docs/DESIGN.md Lazy state).
///
/// A neuron may have several drives; they are kept in compressed rows by neuron. Storage is raw
/// memory owned by this object: it sits on the hottest path, where array uniqueness and
/// exclusivity checks would cost more than the arithmetic.
final class PoissonDriveTable {
    let neuronCount: Int
    let driveCount: Int
    /// Drives of local neuron j are rowStart[j] ..< rowStart[j + 1].
    private let rowStart: UnsafeMutablePointer<Int32>
    let drives: UnsafeMutablePointer<PoissonDrive>
    /// Every neuron has exactly one drive, and drive j belongs to neuron j.
    let oneEach: Bool
    let zigguratLayers = ExponentialZiggurat.layers
    let zigguratDensities = ExponentialZiggurat.densities
    /// The run's seed: the key of every drive's stream (`DriveStream.beginArrival`).
    let seed: UInt64
    /// Where each neuron's arrivals are counted (the external event count): its partition's output.
    private(set) var route: PartitionRoute?
    private var routeOwner: AnyObject?

    func install(_ route: PartitionRoute, keeping owner: AnyObject) {
        self.route = route
        routeOwner = owner
    }

    /// Drive j itself, for the fused loop of neurons with one drive each (`oneEach`).
    @inline(__always)
    func drive(_ j: Int) -> UnsafeMutablePointer<PoissonDrive> { drives + j }

    var isEmpty: Bool { driveCount == 0 }

    /// Builds the table from (neuron, rate Hz, weight, from, until, stream), kept in neuron order;
    /// each stream is before its first arrival, which is drawn here.
    init(neuronCount: Int, seed: UInt64,
         drives list: [(neuron: Int, rateHz: Double, weight: Double, from: Double, until: Double, stream: DriveStream)]) {
        self.neuronCount = neuronCount
        self.seed = seed
        driveCount = list.count
        rowStart = .allocate(capacity: neuronCount + 1)
        drives = .allocate(capacity: max(list.count, 1))
        let sorted = list.enumerated().sorted { ($0.element.neuron, $0.offset) < ($1.element.neuron, $1.offset) }
        rowStart.initialize(repeating: 0, count: neuronCount + 1)
        for (_, d) in sorted { rowStart[d.neuron + 1] += 1 }
        for j in 0..<neuronCount { rowStart[j + 1] += rowStart[j] }
        var oneEach = list.count == neuronCount
        for (k, (_, d)) in sorted.enumerated() {
            if d.neuron != k { oneEach = false }
            var stream = d.stream
            let meanInterval = 1000 / d.rateHz
            let first = d.rateHz > 0 ? d.from + stream.interval(meanInterval: meanInterval, seed: seed) : .infinity
            (drives + k).initialize(to: PoissonDrive(stream: stream, next: first < d.until ? first : .infinity,
                                                     meanInterval: meanInterval, activeUntil: d.until, weight: d.weight))
        }
        self.oneEach = oneEach
    }

    deinit {
        rowStart.deallocate()
        drives.deinitialize(count: driveCount)
        drives.deallocate()
    }

    /// Weight, mean interval and closing time shared by every drive, when there is exactly one drive
    /// per neuron and all have the same constants (the Brunel external input): the population can
    /// then keep each drive's generator and next arrival in the neuron's own cache line
    /// (`LIFDeltaState`) and read the constants from registers.
    var sharedConstants: PoissonDriveConstants? {
        guard oneEach, driveCount > 0 else { return nil }
        let first = drives[0]
        for k in 1..<driveCount {
            let d = drives[k]
            guard d.weight == first.weight, d.meanInterval == first.meanInterval, d.activeUntil == first.activeUntil
            else { return nil }
        }
        return PoissonDriveConstants(weight: first.weight, meanInterval: first.meanInterval, activeUntil: first.activeUntil)
    }

    /// Drive k's generator as it stands before its next draw.
    func stream(of k: Int) -> DriveStream { drives[k].stream }

    /// The drives of local neurons `neurons` (consecutive: the table is in neuron order).
    /// - Complexity: O(1).
    func driveIndices(ofNeurons neurons: Range<Int>) -> Range<Int> {
        neurons.isEmpty ? 0..<0 : Int(rowStart[neurons.lowerBound])..<Int(rowStart[neurons.upperBound])
    }

    /// Earliest next arrival of neuron j's drives.
    @inline(__always)
    func earliest(of j: Int) -> Double {
        if oneEach { return drives[j].next }
        let lo = Int(rowStart[j]), hi = Int(rowStart[j + 1])
        var t = Double.infinity
        for k in lo..<hi where drives[k].next < t { t = drives[k].next }
        return t
    }

    /// Consumes neuron j's earliest arrival: returns its weight and the neuron's new earliest arrival.
    @inline(__always)
    func consume(of j: Int) -> (weight: Double, next: Double) {
        route?.countDriveArrivals(1, of: j)
        if oneEach {
            return (advanceDrive(j), drives[j].next)
        }
        let lo = Int(rowStart[j]), hi = Int(rowStart[j + 1])
        var k = lo
        for m in lo..<hi where drives[m].next < drives[k].next { k = m }
        let w = advanceDrive(k)
        return (w, earliest(of: j))
    }

    /// Draws drive k's next arrival after its current one; returns the current one's weight.
    @inline(__always)
    private func advanceDrive(_ k: Int) -> Double {
        _ = drives[k].drawNext(layers: zigguratLayers, densities: zigguratDensities, seed: seed)
        return drives[k].weight
    }
}
