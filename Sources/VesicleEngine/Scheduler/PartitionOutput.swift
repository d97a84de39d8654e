/// What one partition of a window's neurons produces besides their own state: their spikes, the
/// drive arrivals they consumed and the synaptic events they received. A partition writes only its
/// own (`Partitions`, `PartitionRoute`), so threads never write shared memory; before a simulator
/// installs its partitions, a population uses its own, whose spikes are the network's.
final class PartitionOutput {
    let spikes: WindowSpikes
    var driveArrivals = 0
    var recurrentEvents = 0
    /// Global indices of neurons that an input reached threshold at the current delivery time: they
    /// fire, or not, once every input at that time has arrived (docs/MODEL.md §7, simultaneous
    /// inputs; `Partitions.settleHeldCrossings`).
    var heldCrossings: [UInt32] = []
    /// Keeps another thread's counters, written at every drive burst, off this object's cache line.
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(spikes: WindowSpikes = WindowSpikes()) {
        self.spikes = spikes
    }
}
