/// Simultaneous inputs, as NEST sums them (docs/MODEL.md §7): every input that arrives at one time t
/// is applied before the threshold is tested. A population that finds a target at threshold after an
/// input puts it on the partition's `PartitionOutput.heldCrossings` instead of firing it; after the
/// last delivery at t the walk asks each held neuron's population to test it once more, on the sum.
/// An excitatory and an inhibitory input at the same instant therefore fire a neuron, or not,
/// whatever the order in which the network declares them. Held crossings arise only at crossings,
/// so the delivery loops pay nothing for this.
extension Partitions {
    /// Tests every held crossing of `output` at time t, in the order they were held, and empties the list.
    /// - Complexity: O(held crossings).
    func settleHeldCrossings(at t: Double, output: PartitionOutput) {
        let held = output.heldCrossings
        output.heldCrossings.removeAll(keepingCapacity: true)
        for g in held {
            let p = Int(plan.populationOfNeuron[Int(g)])
            network.dynamics[p].neurons?.settleCrossing(Int(g) - plan.populationOffsets[p], at: t, into: output)
        }
    }
}
