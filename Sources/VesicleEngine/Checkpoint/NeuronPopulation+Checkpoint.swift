import VesicleModel

/// A neuron population whose state a checkpoint holds (docs/CHECKPOINT.md, Neurons). A model that
/// does not conform is refused at `--checkpoint-every` (`Simulator.checkpointRefusal`), never
/// silently skipped.
protocol CheckpointableNeurons: AnyObject {
    /// Writes the state of neurons `held` (not the constants the network file rebuilds): on one
    /// process every neuron; on an MPI rank the consecutive block it advances, as its `rankPart` of
    /// each per-neuron list, so that the ranks' merged payload is the one-process payload
    /// (docs/CHECKPOINT.md, On ranks).
    /// - Complexity: O(held neurons + their drives).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder, held: Range<Int>)
    /// Replaces the state of every neuron this population holds with the checkpoint's (which holds
    /// every neuron of the population), skipping the neurons it does not hold.
    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws
}
