/// Simultaneous inputs to `lif_delta` neurons (docs/MODEL.md §7): the jumps of every input at one time
/// t are added first and the threshold is tested on their sum, as NEST's precise models accumulate
/// simultaneous events. An input that brings a neuron to threshold holds it (`hold`) instead of firing
/// it; the walk settles it after the last delivery at t (`Partitions.settleHeldCrossings`).
///
/// The arithmetic is the one of a jump at a time: each input still adds its own `weight * scale` to
/// `scaled`, in the documented order, and only the test moves. So when the inputs at t have one sign
/// (a multapse row, or excitation alone) the result is bit for bit the one of firing at the first
/// input that crosses: that input fires at t in both, and the later ones would be dropped in
/// refractoriness; with both signs the neuron fires exactly when the sum reaches threshold.
extension LIFDeltaPopulation {
    /// An input at the current delivery time brought neuron j to threshold: it waits on the
    /// partition's list. Out of line: crossings are rare next to inputs.
    @inline(never)
    func hold(_ j: Int, into output: PartitionOutput) {
        if held[j] { return }
        held[j] = true
        output.heldCrossings.append(offset &+ UInt32(j))
    }

    /// Every input at t has arrived: neuron j fires at t if the sum left it at threshold.
    /// The scale is the same function of t as the deliveries' (`clockValue`), so the test is theirs.
    func settleCrossing(_ j: Int, at t: Double, into output: PartitionOutput) {
        held[j] = false
        // Its drift crossing, if it drifts, is found again at the next advance.
        wake[j] = -.infinity
        let scale = clockValue(at: t)
        guard t >= state[j].refractoryUntil, state[j].scaled >= state[j].thresholdGap * scale else { return }
        if fusedDrive { fireOnClock(j, at: scale, time: t, into: output) } else { fire(j, at: t) }
    }
}
