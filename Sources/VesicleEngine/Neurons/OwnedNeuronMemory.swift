/// Per-neuron memory of a population that holds only the neurons one MPI rank owns (docs/DESIGN.md,
/// Ranks; issue 16): `owned.count` elements, addressed by the population's own indices j in `owned`.
///
/// The returned pointer is the block's start moved back by `owned.lowerBound`, so that every loop
/// and delivery keeps indexing by the population's neuron index, unchanged, and only the owned
/// neurons have memory behind them: a rank never touches another rank's neurons (deliveries, drives,
/// samples, current changes and the epoch's rescaling all run on owned partitions only). A whole
/// population (one process, or a model that keeps every neuron) is `owned` = 0 ..< count, and the
/// pointer is the block itself.
enum OwnedNeuronMemory {
    /// Uninitialised memory for the neurons of `owned`, at least 64-byte aligned and placed on huge
    /// pages when large (`HugePageMemory`); release it with `release(_:owned:)`.
    /// - Complexity: O(1).
    static func allocate<T>(_: T.Type, owned: Range<Int>) -> UnsafeMutablePointer<T> {
        let block = HugePageMemory.allocate(bytes: max(owned.count, 1) * MemoryLayout<T>.stride)
            .bindMemory(to: T.self, capacity: max(owned.count, 1))
        return block - owned.lowerBound
    }

    /// Releases memory from `allocate` (its elements already deinitialised, or trivial).
    static func release<T>(_ pointer: UnsafeMutablePointer<T>, owned: Range<Int>) {
        HugePageMemory.release(UnsafeMutableRawPointer(pointer + owned.lowerBound))
    }
}
