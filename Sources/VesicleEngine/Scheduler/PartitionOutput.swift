/// What one partition of a window's neurons produces besides their own state: their spikes and the
/// number of drive arrivals they consumed. A thread of a parallel window writes only its own
/// (`ParallelWindows`), so threads never write shared memory; a population running on one thread
/// uses its own, whose spikes are the network's.
final class PartitionOutput {
    let spikes: WindowSpikes
    var driveArrivals = 0
    var recurrentEvents = 0
    /// Keeps another thread's counters, written at every drive burst, off this object's cache line.
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(spikes: WindowSpikes = WindowSpikes()) {
        self.spikes = spikes
    }
}
