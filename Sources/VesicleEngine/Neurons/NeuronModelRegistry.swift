import VesicleModel

/// What the builder hands a neuron model to make a population (`NeuronModelRegistry`).
struct NeuronPopulationRequest {
    /// The model's parameters, the population's uniform constant input already added to the bias.
    let parameters: LIFParameters
    let count: Int
    /// Global index of local neuron 0.
    let offset: UInt32
    let initialPotential: [Double]
    let drives: PoissonDriveTable
    /// The network's window spikes (where spikes go before the simulator installs its partitions).
    let spikes: WindowSpikes
    let seed: UInt64
    /// On an MPI rank, the neurons its partitions own, for a model that holds only those
    /// (`Entry.holdsOwnedNeurons`); nil: every neuron.
    var owned: Range<Int>? = nil
    /// The drives into `owned` alone (`OwnedDriveTable.ownedTable`), with `owned`.
    var ownedDrives: PoissonDriveTable? = nil
}

/// The neuron models the engine simulates, by the name the language and the spec use
/// (`NeuronModel.name`): a model is one folder under Neurons/ and one entry here, and
/// `NetworkBuilder` makes every simulated population through this table.
enum NeuronModelRegistry {
    struct Entry: Sendable {
        let name: String
        /// The model's parameters in a spec, nil if the spec's model is another one.
        let parameters: @Sendable (NeuronModel) -> LIFParameters?
        let make: @Sendable (NeuronPopulationRequest) -> any NeuronPopulation
        /// On an MPI rank the population holds and advances only the rank's own neurons and drives
        /// (`NeuronPopulationRequest.owned`); otherwise every rank holds every neuron.
        var holdsOwnedNeurons = false
    }

    static let entries: [Entry] = [
        Entry(name: "lif_delta", parameters: { if case .lifDelta(let p) = $0 { return p } else { return nil } },
              make: { r in
                  LIFDeltaPopulation(parameters: r.parameters, count: r.count, offset: r.offset,
                                     initialPotential: r.initialPotential, drives: r.drives, spikes: r.spikes, seed: r.seed,
                                     owned: r.owned, ownedDrives: r.ownedDrives)
              }, holdsOwnedNeurons: true),
        Entry(name: "lif_exp", parameters: { if case .lifExp(let p) = $0 { return p } else { return nil } },
              make: { r in
                  LIFExpPopulation(parameters: r.parameters, count: r.count, offset: r.offset,
                                   initialPotential: r.initialPotential, drives: r.drives, spikes: r.spikes,
                                   owned: r.owned, ownedDrives: r.ownedDrives)
              }, holdsOwnedNeurons: true),
    ]

    /// The entry simulating `model`, nil for sources and models the spiking engine does not run.
    static func entry(for model: NeuronModel) -> Entry? {
        entries.first { $0.name == model.name }
    }
}
