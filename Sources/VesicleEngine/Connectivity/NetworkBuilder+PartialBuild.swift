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
            throw NetworkError.noProjectionNamed(name)
        }
        let proj = spec.projections[q]
        guard let s = spec.populations.firstIndex(where: { $0.name == proj.source.population }),
              let t = spec.populations.firstIndex(where: { $0.name == proj.target.population }) else {
            throw NetworkError.projection(name, .undeclaredPopulation)
        }
        let sourceSize = spec.populations[s].size, targetSize = spec.populations[t].size
        // The same builder, keys included, as `build(_:)` makes for projection q.
        let builder = ConnectivityBuilder(
            spec: proj, sourceSize: sourceSize, targetSize: targetSize,
            sourceRange: proj.source.range ?? 0..<sourceSize, targetRange: proj.target.range ?? 0..<targetSize,
            samePopulation: s == t, seed: spec.simulation.seed, index: UInt64(q),
            delayResolution: spec.simulation.delayResolution)
        guard zip(targets, targets.dropFirst()).allSatisfy({ $0.upperBound <= $1.lowerBound }) else {
            throw NetworkError.projection(name, .targetRangesNotAscending)
        }
        return try builder.build(targets: targets)
    }
}

/// The part of a network one MPI rank builds (docs/DESIGN.md, Ranks): partitions
/// `partitions` of `partitionCount`, whose targets' incoming synapses are all the rank's partitions
/// deliver to. Projections that `NetworkSpec.wholeOnEveryRank` names are built whole.
public struct NetworkPart {
    /// The partitions this part owns, of `partitionCount` (rank r of R with T threads: r T ..< (r + 1) T of R T).
    public let partitions: Range<Int>
    public let partitionCount: Int
    /// Unites every part's distinct delay steps, one sorted list per projection built in parts with
    /// per-synapse delays, in the same order on every part, or throws on every part if `failure` is
    /// set on any (a collective on ranks; the delay classes and the min-delay window must be the
    /// whole network's, or the windows would differ).
    public let uniteDelaySteps: (_ steps: [[UInt16]], _ failure: Error?) throws -> [[UInt16]]

    public init(partitions: Range<Int>, of partitionCount: Int,
                uniteDelaySteps: @escaping (_ steps: [[UInt16]], _ failure: Error?) throws -> [[UInt16]]) {
        precondition(partitionCount > 0 && partitions.lowerBound >= 0 && partitions.upperBound <= partitionCount)
        self.partitions = partitions
        self.partitionCount = partitionCount
        self.uniteDelaySteps = uniteDelaySteps
    }

    /// Rank `rank` of `ranks` with `threads` partitions each (the simulator's split, `Simulator.init`).
    public init(rank: Int, of ranks: Int, threads: Int,
                uniteDelaySteps: @escaping (_ steps: [[UInt16]], _ failure: Error?) throws -> [[UInt16]]) {
        let t = max(threads, 1)
        self.init(partitions: rank * t..<(rank + 1) * t, of: ranks * t, uniteDelaySteps: uniteDelaySteps)
    }

    /// The neurons this part owns of a population of `size`: its partitions' blocks, which are
    /// contiguous (`DeliveryPlan.bounds`: partition k owns size k / P ..< size (k + 1) / P).
    /// - Complexity: O(1).
    public func targets(ofPopulationOfSize size: Int) -> Range<Int> {
        let bounds = DeliveryPlan.bounds([size], partitions: partitionCount)[0]
        return bounds[partitions.lowerBound]..<bounds[partitions.upperBound]
    }
}

extension NetworkBuilder {
    /// The distinct delay steps of each projection with per-synapse delays (empty for a uniform
    /// delay), ascending; for a network built in part, those of the projections built in parts are
    /// every part's united (`NetworkPart.uniteDelaySteps`), so that the delay classes and the window
    /// are the whole build's. `failure`, a failed synapse build, is rethrown after every part knows.
    static func delayStepSets(_ built: [BuiltProjection], part: NetworkPart?, failure: Error?) throws -> [[UInt16]] {
        var sets = built.map { $0.synapses.uniformDelay == nil ? $0.synapses.distinctDelaySteps : [] }
        guard let part else {
            if let failure { throw failure }
            return sets
        }
        let united = built.indices.filter { built[$0].builtInPart && built[$0].synapses.uniformDelay == nil }
        let all = try part.uniteDelaySteps(united.map { sets[$0] }, failure)
        for (k, q) in united.enumerated() { sets[q] = all[k] }
        return sets
    }
}

extension SynapseTable {
    /// The synapses onto targets in `targets` only, rows and order kept: what a part holds of a whole build.
    /// - Complexity: O(synapses + sources).
    public func restricted(to targets: Range<Int>) -> SynapseTable {
        var table = self
        var rows = [0]
        var kept: [UInt32] = [], keptWeights: [Float] = [], keptSteps: [UInt16] = []
        for row in 0..<sourceCount {
            for k in rowStart[row]..<rowStart[row + 1] where targets.contains(Int(self.targets[k])) {
                kept.append(self.targets[k])
                if !weights.isEmpty { keptWeights.append(weights[k]) }
                if !delaySteps.isEmpty { keptSteps.append(delaySteps[k]) }
            }
            rows.append(kept.count)
        }
        table.rowStart = rows
        table.targets = kept
        table.weights = keptWeights
        table.delaySteps = keptSteps
        return table
    }

    /// FNV-1a (64 bits) of the rows, targets, weights (their bits), delay steps and uniform weight
    /// and delay: equal tables have equal fingerprints; for the tests of a rank's part.
    /// - Complexity: O(synapses + sources).
    public var fingerprint: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) {
            var v = v
            for _ in 0..<8 { h = (h ^ (v & 0xff)) &* 0x100_0000_01b3; v >>= 8 }
        }
        for r in rowStart { mix(UInt64(r)) }
        for t in targets { mix(UInt64(t)) }
        for w in weights { mix(UInt64(w.bitPattern)) }
        for d in delaySteps { mix(UInt64(d)) }
        mix(uniformWeight?.bitPattern ?? 1)
        mix(uniformDelay?.bitPattern ?? 1)
        return h
    }
}
