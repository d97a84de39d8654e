// `vesicle check --ranks R`: the memory each of R ranks needs (docs/DESIGN.md, Ranks; issue 16).

import VesicleDSL
import VesicleModel

extension CheckCommand {
    /// Today every rank builds the whole network (the per-target build that lets a rank build only
    /// its own targets' synapses is not merged yet), so a rank needs the one-process peak, and R
    /// ranks on one machine R times it. The second figure is what a per-target build will need: its
    /// share 1/R of the synapses, of their transient build and of the kernel rings, with the neuron
    /// state, the event queue (every rank queues every spike) and the process whole, and the
    /// recorders on rank 0 only.
    /// - Complexity: O(parts of the estimate).
    static func perRankLines(_ estimate: MemoryEstimate, ranks: Int) -> [String] {
        let r = Double(ranks)
        func part(_ name: String) -> Double { estimate.parts.first { $0.name == name }?.bytes ?? 0 }
        let divided = part("synapses") + part("building the projections (transient)") + part("kernel rings")
        let whole = part("neuron state") + part("event queue") + part("process")
        let perTarget = divided / r + whole + part("recorders")
        let format = { (bytes: Double) in ByteCount.formatted(Int(min(bytes, 9e18))) }
        return [
            "  on \(ranks) ranks: \(format(estimate.peakBytes)) per rank now (each rank builds the whole network until connectivity is built per target), \(format(estimate.peakBytes * r)) for all \(ranks) on one machine",
            "  on \(ranks) ranks with a per-target build: about \(format(perTarget)) for rank 0 (synapses, their build and kernel rings divided by \(ranks); neuron state, event queue and process whole; recorders on rank 0)",
        ]
    }
}
