// `vesicle check --ranks R`: the memory each of R ranks needs (docs/DESIGN.md, Ranks; issue 16).

import VesicleDSL
import VesicleModel

extension CheckCommand {
    /// Each rank builds only its own targets' incoming synapses for the projections
    /// `NetworkSpec.wholeOnEveryRank` allows, and every other projection whole; its own `lif_delta`
    /// neurons and their Poisson drives (`NetworkSpec.neuronsHeldInParts`), other models' neurons,
    /// the event queue (every rank queues every spike) and the process whole, plus Open MPI's own
    /// memory; the recorders are rank 0's (`MemoryEstimate(spec:ranks:)`). The figure is rank 0's, the largest;
    /// every part of it follows ("per rank: ..."), the Bayesian rows' ordinals and row state,
    /// which every rank holds whole, among them.
    /// - Complexity: O(parts of the estimate + projections).
    static func perRankLines(_ spec: NetworkSpec, ranks: Int) -> [String] {
        let estimate = MemoryEstimate(spec: spec, ranks: ranks)
        let format = { (bytes: Double) in ByteCount.formatted(Int(min(bytes, 9e18))) }
        let whole = spec.projections.filter { spec.wholeOnEveryRank($0) != nil }
        let parts = estimate.parts.map { "\($0.name) \(format($0.bytes))" }.joined(separator: ", ")
        var lines = [
            "  on \(ranks) ranks: \(format(estimate.peakBytes)) per rank (rank 0; each rank holds its own targets' synapses of \(spec.projections.count - whole.count) of \(spec.projections.count) projections), \(format(estimate.peakBytes * Double(ranks))) for all \(ranks) on one machine; per rank: \(parts)",
        ]
        let reasons = Dictionary(grouping: whole) { spec.wholeOnEveryRank($0)! }
        for (reason, projections) in reasons.sorted(by: { $0.key < $1.key }) {
            lines.append("  built whole on every rank (\(reason)): \(projections.map { "'\($0.name)'" }.joined(separator: ", "))")
        }
        return lines
    }
}
