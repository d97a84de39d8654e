import VesicleModel

/// A neuron population whose state a checkpoint holds (docs/CHECKPOINT.md, Neurons). A model that
/// does not conform is refused at `--checkpoint-every` (`Simulator.checkpointRefusal`), never
/// silently skipped.
protocol CheckpointableNeurons: AnyObject {
    /// Writes every neuron's state (not the constants the network file rebuilds).
    /// - Complexity: O(neurons + drives).
    func encodeCheckpoint(into encoder: inout CheckpointEncoder)
    /// Replaces every neuron's state with the checkpoint's.
    func restoreCheckpoint(from decoder: inout CheckpointDecoder) throws
}
