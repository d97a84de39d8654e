// The unit of a synaptic weight, and so of a released PSP amplitude (docs/MODEL.md §1, §3): a jump
// of the membrane potential (mV) onto lif_delta and linear-readout targets, a jump of the synaptic
// current (pA) onto lif_exp targets. The release log stores bare numbers; this is where a figure
// or a reader learns what they are.

extension NeuronModel {
    /// The unit of a weight onto a neuron of this model; nil for sources, which take no input.
    public var weightUnit: String? {
        switch self {
        case .lifDelta, .linearReadout: return "mV"
        case .lifExp: return "pA"
        case .poissonSource, .spikeSource: return nil
        }
    }
}

extension NetworkSpec {
    /// The unit of the amplitudes in the release log: the weight unit of the targets of every
    /// projection whose releases are recorded; nil when none is recorded or their units differ.
    /// - Complexity: O(recordings × (projections + populations)).
    public var releaseAmplitudeUnit: String? {
        var units = Set<String>()
        for recording in recordings {
            guard case .releases(let name, _) = recording.kind,
                  let projection = projections.first(where: { $0.name == name }),
                  let target = populations.first(where: { $0.name == projection.target.population }),
                  let unit = target.model.weightUnit else { continue }
            units.insert(unit)
        }
        return units.count == 1 ? units.first : nil
    }
}
