/// One partition of the network: the neurons it owns of every population (`DeliveryPlan`), what
/// they produce in a window (`output`), and what its share of the window leaves for the simulator to
/// merge: the releases of the Bayesian rows it owns, release-log records, posterior and membrane
/// samples. A partition writes only its own neurons' state, its own rows' posteriors and
/// generators, and these fields, so partitions run on different threads without locks
/// (docs/DESIGN.md, The partition).
final class Partition {
    let index: Int
    let output = PartitionOutput()
    /// This window's releases of the Bayesian rows this partition owns, when the window first
    /// releases on every partition and then delivers (several partitions); slot s's start is
    /// `Partitions.releaseSlots[s]`.
    private(set) var releases: UnsafeMutablePointer<Double>
    private var releaseCapacity: Int
    private(set) var releasesUsed = 0
    /// One row's releases when one partition releases and delivers in the same walk.
    let rowReleases: UnsafeMutablePointer<Double>
    /// A row's own targets and their amplitudes, gathered when rows are not sorted by target.
    let gatheredTargets: UnsafeMutablePointer<UInt32>
    let gatheredWeights: UnsafeMutablePointer<Float>
    let gatheredReleases: UnsafeMutablePointer<Double>
    var releaseLog: [ReleaseRecord] = []
    var posteriorSamples: [PosteriorSample] = []
    var membraneSamples: [MembraneSample] = []
    var weightSamples: [WeightSample] = []
    /// The walk stopped at a stop request (`WindowWork.interruption`).
    var abandoned = false
    /// The index of the first constant-current change not applied when the walk ended.
    var biasCursor = 0

    init(index: Int, longestRow: Int, longestBayesianRow: Int) {
        self.index = index
        releaseCapacity = 1024
        releases = .allocate(capacity: releaseCapacity)
        rowReleases = .allocate(capacity: max(longestBayesianRow, 1))
        gatheredTargets = .allocate(capacity: max(longestRow, 1))
        gatheredWeights = .allocate(capacity: max(longestRow, 1))
        gatheredReleases = .allocate(capacity: max(longestRow, 1))
    }

    deinit {
        releases.deallocate()
        rowReleases.deallocate()
        gatheredTargets.deallocate()
        gatheredWeights.deallocate()
        gatheredReleases.deallocate()
    }

    /// Room for `count` releases at the end of this window's buffer; returns its offset.
    @inline(__always)
    func reserveReleases(_ count: Int) -> Int {
        if releasesUsed + count > releaseCapacity {
            let capacity = max(2 * releaseCapacity, releasesUsed + count)
            let grown = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
            grown.moveInitialize(from: releases, count: releasesUsed)
            releases.deallocate()
            releases = grown
            releaseCapacity = capacity
        }
        let offset = releasesUsed
        releasesUsed += count
        return offset
    }

    /// Starts a window: no releases, records or samples yet.
    func beginWindow() {
        abandoned = false
        releasesUsed = 0
        releaseLog.removeAll(keepingCapacity: true)
        posteriorSamples.removeAll(keepingCapacity: true)
        membraneSamples.removeAll(keepingCapacity: true)
        weightSamples.removeAll(keepingCapacity: true)
    }
}

/// One logged release (`SimulationObserver.release`), with the release slot (delivery i, member m:
/// i * maximum members + m) that orders the log.
struct ReleaseRecord {
    let slot: Int
    let projection: Int
    let synapse: Int
    let pre: Int
    let post: Int
    let time: Double
    let amplitude: Double
    let mu: Double
    let sigma2: Double
}

/// A sample of one synapse (posterior or weight), merged by synapse across partitions and ranks
/// (`Simulator.mergeBySynapse`).
protocol SynapseSample {
    var sample: Int { get }
    var sampler: Int { get }
    var synapse: Int { get }
}

/// One posterior snapshot: sample time index, sampler index, synapse.
struct PosteriorSample: SynapseSample {
    let sample: Int
    let sampler: Int
    let synapse: Int
    let mu: Double
    let sigma2: Double
}

/// One membrane sample: sample time index, sampler index, neuron.
struct MembraneSample {
    let sample: Int
    let sampler: Int
    let neuron: Int
    let potential: Double
}

/// One STDP weight sample (`record weights`): sample time index, sampler index, synapse.
struct WeightSample: SynapseSample {
    let sample: Int
    let sampler: Int
    let synapse: Int
    let weight: Double
}
