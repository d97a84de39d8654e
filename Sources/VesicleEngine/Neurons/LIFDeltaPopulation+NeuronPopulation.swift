/// `lif_delta` behind the partition protocol. The verbs are the population's measured loops
/// themselves (scaled clock, fused drive, branch-free masks: `LIFDeltaPopulation+ScaledClock.swift`);
/// the protocol is crossed once per delivery and projection, not per target.
extension LIFDeltaPopulation: NeuronPopulation {
    func receive(weight: Double, at t: Double, to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        deliver(weight: weight, at: t, to: targets, into: output)
    }

    func receive(weights: UnsafeBufferPointer<Float>, at t: Double, to targets: UnsafeBufferPointer<UInt32>,
                 into output: PartitionOutput) {
        deliver(amplitudes: weights, at: t, to: targets, into: output)
    }

    func receive(releases: UnsafeBufferPointer<Double>, allOfSign sign: FloatingPointSign?, at t: Double,
                 to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        deliver(amplitudes: releases, allOfSign: sign, at: t, to: targets, into: output)
    }

    /// Fused (`deliverOnClock(stdp:)`) when the drive is on the clock; otherwise the default's two passes.
    func receive(stdp delivery: STDPProjection.Delivery, synapses range: Range<Int>, allOfSign sign: FloatingPointSign,
                 at t: Double, to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        guard fusedDrive else {
            delivery.update(range)
            deliver(amplitudes: UnsafeBufferPointer(start: delivery.weights + range.lowerBound, count: range.count),
                    allOfSign: sign, at: t, to: targets, into: output)
            return
        }
        deliverOnClock(stdp: delivery, synapses: range, allOfSign: sign, at: t, to: targets, into: output)
    }

    func changeInput(_ neurons: Range<Int>, by deltaCurrent: Double, at t: Double) {
        changeBias(neurons, by: deltaCurrent, at: t)
    }

    func changeInput(neurons: UnsafeBufferPointer<Int>, deltas: UnsafeBufferPointer<Double>, owned: Range<Int>,
                     at t: Double) {
        let scale = self.scale(at: t)
        for (j, delta) in zip(neurons, deltas) where owned.contains(j) { changeBias(j, by: delta, at: t, scale: scale) }
    }

    func membranePotential(_ j: Int, at t: Double) -> Double {
        advance(j, before: t)
        return potential(j, at: t)
    }

    func endWindow(at end: Double) { endWindow(movingEpochTo: end) }

    var firesStochastically: Bool { escapeNoise != nil }

    /// Every path partitions: a neuron's drives, escape-noise stream and state are its own.
    var partitionRefusal: String? { nil }
}
