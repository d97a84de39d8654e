/// What an MPI rank holds of a population (docs/DESIGN.md, Ranks; issue 16).
extension NeuronPopulation {
    /// The population was built for one rank's part and holds and advances only that rank's own
    /// neurons and their drives (`OwnedNeuronMemory`): its spikes and drive arrivals before the
    /// partitions existed are the rank's own, not every rank's alike.
    /// - Complexity: O(1).
    var holdsOnlyOwnedNeurons: Bool {
        (self as? LIFDeltaPopulation)?.holdsOnlyOwnedNeurons ?? (self as? LIFExpPopulation)?.holdsOnlyOwnedNeurons ?? false
    }
}
