import CVesicleVector

/// `lif_exp` behind the partition protocol: each target is brought to the input's time and its
/// current jumps (`LIFExpPopulation.receive`); the threshold crossings in between are the
/// population's own (`ExponentialCurrentTrajectory`).
extension LIFExpPopulation: NeuronPopulation {
    func install(_ route: PartitionRoute, keeping owner: AnyObject) {
        self.route = route
        routeOwner = owner
        drives.install(route, keeping: owner)
    }

    func receive(weight: Double, at t: Double, to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        receiveEach(targets, at: t) { _ in weight }
    }

    func receive(weights: UnsafeBufferPointer<Float>, at t: Double, to targets: UnsafeBufferPointer<UInt32>,
                 into output: PartitionOutput) {
        receiveEach(targets, at: t) { Double(weights[$0]) }
    }

    func receive(releases: UnsafeBufferPointer<Double>, allOfSign sign: FloatingPointSign?, at t: Double,
                 to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        receiveEach(targets, at: t) { releases[$0] }
    }

    /// Never called: a current jump leaves V where it is, so the crossing test runs on the interval
    /// after the last input at t, on the sum of the currents, and no crossing is ever held
    /// (docs/MODEL.md §7).
    func settleCrossing(_ j: Int, at t: Double, into output: PartitionOutput) {}

    func changeInput(_ neurons: Range<Int>, by deltaCurrent: Double, at t: Double) {
        changeBias(neurons, by: deltaCurrent, at: t)
    }

    func changeInput(neurons: UnsafeBufferPointer<Int>, deltas: UnsafeBufferPointer<Double>, owned: Range<Int>,
                     at t: Double) {
        for (j, delta) in zip(neurons, deltas) where owned.contains(j) { changeBias(j..<(j + 1), by: delta, at: t) }
    }

    func advance(_ neurons: Range<Int>, before end: Double, into output: PartitionOutput) {
        advanceDue(neurons, before: end)
    }

    func membranePotential(_ j: Int, at t: Double) -> Double { potential(j, at: t) }

    func endWindow(at end: Double) {}

    var firesStochastically: Bool { false }

    var partitionRefusal: String? { nil }
}

/// The targets of one delivery, their state asked for ahead (issue 14, the microcircuit at full
/// scale). A row's targets ascend but are sparse, so each one's state is a cache miss the hardware
/// cannot predict: at full scale (77 169 neurons, their state about 11 MB with drives) the first load
/// of `state[j]` was 70 % of `receive`'s samples and `receive` 40 % of the simulation's (perf,
/// 2026-12-07). A delivery of one delay class has about ten targets there, so all of the first
/// `prefetchDistance` are asked for at once, then one more per target. Prefetches are hints and
/// change no value.
extension LIFExpPopulation {
    static let prefetchDistance = 8

    /// Every cache line an input to neuron j reads or writes: its 72-byte state (two lines when it
    /// straddles), its asymptote, its wake and, with the fused drive, its drive.
    @inline(__always)
    func prefetchNeuron(_ j: Int) {
        let p = UnsafeRawPointer(state + j)
        vesicle_prefetch(p)
        vesicle_prefetch(p + (MemoryLayout<LIFExpState>.size - 1))
        vesicle_prefetch(asymptote + j)
        vesicle_prefetch(wake + j)
        if fusedDrive { vesicle_prefetch(drives.drive(j)) }
    }

    /// Applies input `weight(k)` to `targets[k]` for every k in order, prefetching ahead.
    /// - Complexity: O(targets), each an update of its neuron (`receive(_:weight:at:)`).
    @inline(__always)
    func receiveEach(_ targets: UnsafeBufferPointer<UInt32>, at t: Double, weight: (Int) -> Double) {
        let n = targets.count, distance = Self.prefetchDistance
        for k in 0..<min(n, distance) { prefetchNeuron(Int(targets[k])) }
        for k in 0..<n {
            if k + distance < n { prefetchNeuron(Int(targets[k + distance])) }
            receive(Int(targets[k]), weight: weight(k), at: t)
        }
    }
}
