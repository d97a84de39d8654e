import VesicleRandom

// The neurons a network built for an MPI rank holds (docs/DESIGN.md, Ranks; issue 16): for the
// tests that compare a rank's neuron state with the whole build's (Tests/MPITests/RankNeuronStateTests.swift).

extension Network {
    /// The neurons of population p that this build holds and advances: every neuron, or on a rank
    /// only its own (`OwnedNeuronMemory`). nil for sources.
    /// - Complexity: O(1).
    public func heldNeurons(population p: Int) -> Range<Int>? {
        guard let pop = dynamics[p].neurons else { return nil }
        if let delta = pop as? LIFDeltaPopulation { return delta.owned }
        if let exp = pop as? LIFExpPopulation { return exp.owned }
        return 0..<pop.count
    }

    /// The whole state of neuron j of population p as bit patterns, in a fixed order: for lif_delta
    /// its line (scaled potential, refractory end, next drive, threshold gap), asymptote, wake and
    /// epoch, its drives' generators and next arrivals; for other models the membrane potential at
    /// `t`. Equal lists mean equal neurons, bit for bit. j must be held (`heldNeurons`).
    /// - Complexity: O(the neuron's drives).
    public func neuronStateBits(population p: Int, neuron j: Int, at t: Double) -> [UInt64] {
        guard let pop = dynamics[p].neurons else { return [] }
        if let exp = pop as? LIFExpPopulation { return Self.stateBits(exp, j) }
        guard let delta = pop as? LIFDeltaPopulation else { return [pop.membranePotential(j, at: t).bitPattern] }
        let line = delta.state[j]
        var bits = [line.scaled, line.refractoryUntil, line.nextDrive, line.thresholdGap,
                    delta.asymptote[j], delta.wake[j], delta.epoch].map(\.bitPattern)
        if delta.fusedDrive {
            bits += Self.nextWords(line.driveStream)
        } else if delta.drives.oneEach {
            let drive = delta.drives.drive(j).pointee
            bits += Self.nextWords(drive.stream) + [drive.next.bitPattern]
        } else if !delta.drives.isEmpty {
            bits.append(delta.drives.earliest(of: j).bitPattern)
        }
        return bits
    }

    /// lif_exp's neuron j as it stands (not brought to any time): every field of its state,
    /// asymptote and wake, and its drive's generator and next arrival.
    private static func stateBits(_ pop: LIFExpPopulation, _ j: Int) -> [UInt64] {
        let s = pop.state[j]
        var bits = [s.potential, s.excitatoryCurrent, s.inhibitoryCurrent, s.lastUpdate, s.refractoryUntil, s.nextDrive,
                    s.quietUntil, s.headroom, s.predictedCrossing, pop.asymptote[j], pop.wake[j]].map(\.bitPattern)
        if pop.drives.oneEach {
            let drive = pop.drives.drive(j).pointee
            bits += Self.nextWords(drive.stream) + [drive.next.bitPattern]
        } else if !pop.drives.isEmpty {
            bits.append(pop.drives.earliest(of: j).bitPattern)
        }
        return bits
    }

    /// A generator's next two outputs (from a copy): equal streams give equal words.
    private static func nextWords(_ stream: DriveStream) -> [UInt64] {
        let state = stream.generatorState
        return [state.0, state.1, stream.arrivals]
    }
}
