import VesicleModel
import VesicleRandom

/// The Poisson drives of the neurons a population holds (docs/DESIGN.md, Ranks; issue 16): on one
/// process every drive of the population; on an MPI rank only those into the neurons it owns,
/// `owned`, so that a rank holds and advances its own drives alone.
///
/// The rank's drives are a `PoissonDriveTable` of their own over the owned neurons (neuron j of the
/// population is the table's j - owned.lowerBound), built from the same drive list as the whole
/// population's, so each drive's generator and arrivals are the whole build's exactly. The
/// population's choices that depend on every drive (one drive each, shared constants, the fused
/// clock's horizon) are read from the whole table at build time (`whole`) and kept here, so every
/// rank takes the same code path as the one-process run, which is what keeps the spikes byte-identical.
struct OwnedDriveTable {
    /// The drives of the owned neurons, indexed from `first`.
    let table: PoissonDriveTable
    /// The population index of the table's neuron 0 (`owned.lowerBound`).
    let first: Int
    /// Every neuron of the whole population has exactly one drive, and drive j belongs to neuron j.
    let oneEach: Bool
    /// The whole population has no drive.
    let isEmpty: Bool
    /// `PoissonDriveTable.sharedConstants` of the whole population.
    let sharedConstants: PoissonDriveConstants?
    let zigguratLayers: UnsafePointer<Double>
    let zigguratDensities: UnsafePointer<Double>
    private let shift: RouteShift
    /// The whole population's drive count, and the index there of this table's drive 0 (a checkpoint
    /// holds the whole list: docs/CHECKPOINT.md, On ranks).
    let wholeDriveCount: Int
    let firstDrive: Int

    /// The whole population's table (one process): nothing is shifted.
    init(whole: PoissonDriveTable) {
        self.init(whole: whole, owned: whole, first: 0)
    }

    /// `owned` holds the drives of neurons first ..< first + owned.neuronCount of `whole`'s, indexed from 0.
    init(whole: PoissonDriveTable, owned: PoissonDriveTable, first: Int) {
        table = owned
        self.first = first
        oneEach = whole.oneEach
        isEmpty = whole.isEmpty
        sharedConstants = whole.sharedConstants
        zigguratLayers = owned.zigguratLayers
        zigguratDensities = owned.zigguratDensities
        shift = RouteShift(first: first)
        wholeDriveCount = whole.driveCount
        firstDrive = first == 0 ? 0 : whole.driveIndices(ofNeurons: 0..<first).upperBound
    }

    /// The owned table from the population's drive list: the drives into `owned`, renumbered from
    /// `owned.lowerBound`, in their order in the list (the table sorts them by neuron, stably).
    /// - Complexity: O(drives of the population).
    static func ownedTable(_ list: [(neuron: Int, rateHz: Double, weight: Double, from: Double, until: Double, stream: DriveStream)],
                           owned: Range<Int>, seed: UInt64) -> PoissonDriveTable {
        PoissonDriveTable(neuronCount: owned.count, seed: seed, drives: list.compactMap { d in
            owned.contains(d.neuron) ? (d.neuron - owned.lowerBound, d.rateHz, d.weight, d.from, d.until, d.stream) : nil
        })
    }

    @inline(__always)
    func drive(_ j: Int) -> UnsafeMutablePointer<PoissonDrive> { table.drive(j &- first) }

    /// Drive k's generator, for k = j with one drive each (the fused loop).
    func stream(of j: Int) -> DriveStream { table.stream(of: j &- first) }

    /// The run's seed, which the drive streams are keyed with (`DriveStream.beginArrival`).
    var seed: UInt64 { table.seed }

    @inline(__always)
    func earliest(of j: Int) -> Double { table.earliest(of: j &- first) }

    @inline(__always)
    func consume(of j: Int) -> (weight: Double, next: Double) { table.consume(of: j &- first) }

    /// The population's route, with its partition bounds moved to the table's numbering.
    func install(_ route: PartitionRoute, keeping owner: AnyObject) {
        if first == 0 {
            table.install(route, keeping: owner)
        } else {
            table.install(shift.shifted(route, keeping: owner), keeping: shift)
        }
    }

    /// The drives of population neurons `neurons` (held ones), as the whole table's piece.
    func encodeCheckpoint(into encoder: inout CheckpointEncoder, neurons: Range<Int>) {
        table.encodeCheckpoint(into: &encoder, neurons: (neurons.lowerBound - first)..<(neurons.upperBound - first))
    }

    /// Reads the whole population's drives and keeps this table's.
    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws {
        try table.restoreCheckpoint(from: &decoder, whole: wholeDriveCount, first: firstDrive)
    }
}

/// The memory of a route whose bounds are moved back by `first`, and the route it was made from.
private final class RouteShift {
    let first: Int
    private var bounds: UnsafeMutablePointer<Int>?
    private var owner: AnyObject?

    init(first: Int) { self.first = first }

    deinit { bounds?.deallocate() }

    func shifted(_ route: PartitionRoute, keeping owner: AnyObject) -> PartitionRoute {
        bounds?.deallocate()
        let b = UnsafeMutablePointer<Int>.allocate(capacity: route.partitionCount + 1)
        for k in 0...route.partitionCount { b[k] = route.bounds[k] - first }
        bounds = b
        self.owner = owner
        return PartitionRoute(bounds: b, outputs: route.outputs, partitionCount: route.partitionCount)
    }
}
