/// What one partition of a window's neurons produces besides their own state: their spikes, the
/// drive arrivals they consumed and the synaptic events they received. A partition writes only its
/// own (`Partitions`, `PartitionRoute`), so threads never write shared memory; before a simulator
/// installs its partitions, a population uses its own, whose spikes are the network's.
final class PartitionOutput {
    let spikes: WindowSpikes
    /// The two counters, in a cache line of their own: another thread's counters, written at every
    /// drive burst, stay off this one's line. Not stored properties: a class's stored `var` is checked
    /// for exclusive access at run time at every `+=` (`swift_beginAccess`, 2 % of the 0.1-scale
    /// microcircuit's run, perf 2026-12-07); a computed one over memory of its own is not.
    private let counters: UnsafeMutablePointer<Int>
    var driveArrivals: Int {
        @inline(__always) get { counters[0] }
        @inline(__always) set { counters[0] = newValue }
    }
    var recurrentEvents: Int {
        @inline(__always) get { counters[1] }
        @inline(__always) set { counters[1] = newValue }
    }
    /// Global indices of neurons that an input reached threshold at the current delivery time: they
    /// fire, or not, once every input at that time has arrived (docs/MODEL.md §7, simultaneous
    /// inputs; `Partitions.settleHeldCrossings`).
    var heldCrossings: [UInt32] = []

    init(spikes: WindowSpikes = WindowSpikes()) {
        self.spikes = spikes
        let line = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        counters = line.initializeMemory(as: Int.self, repeating: 0, count: 8)
    }

    deinit { UnsafeMutableRawPointer(counters).deallocate() }
}
