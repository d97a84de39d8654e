import VesicleModel

extension NetworkBuilder {
    /// The synapses of the declared projection `name` onto the target neurons in `targets` only
    /// (ranges of the target population's indices, ascending and disjoint): what a partition, or an
    /// MPI rank, that owns those neurons builds for itself. Row for row they are the whole build's
    /// synapses (`build(_:)`) onto those targets, in the same order, with the same weights and delays,
    /// because every target's synapses are drawn from its own counter keys (docs/DESIGN.md, Random
    /// keys; `fixed_outdegree` and `fixed_total_number` draw per source or per projection and keep the
    /// owned targets' part). Rows stay indexed by every source neuron.
    /// - Complexity: that of `ConnectivityBuilder.build(targets:)`: O(own synapses + neurons) for most rules.
    public static func incomingSynapses(_ spec: NetworkSpec, projection name: String,
                                        targets: [Range<Int>]) throws -> SynapseTable {
        guard let q = spec.projections.firstIndex(where: { $0.name == name }) else {
            throw NetworkError("no projection named '\(name)'")
        }
        let proj = spec.projections[q]
        guard let s = spec.populations.firstIndex(where: { $0.name == proj.source.population }),
              let t = spec.populations.firstIndex(where: { $0.name == proj.target.population }) else {
            throw NetworkError("projection '\(name)': its source or target population is not declared")
        }
        let sourceSize = spec.populations[s].size, targetSize = spec.populations[t].size
        // The same builder, keys included, as `build(_:)` makes for projection q.
        let builder = ConnectivityBuilder(
            spec: proj, sourceSize: sourceSize, targetSize: targetSize,
            sourceRange: proj.source.range ?? 0..<sourceSize, targetRange: proj.target.range ?? 0..<targetSize,
            samePopulation: s == t, seed: spec.simulation.seed, index: UInt64(q),
            delayResolution: spec.simulation.delayResolution)
        guard zip(targets, targets.dropFirst()).allSatisfy({ $0.upperBound <= $1.lowerBound }) else {
            throw NetworkError("projection '\(name)': the target ranges must ascend and be disjoint")
        }
        return try builder.build(targets: targets)
    }
}
