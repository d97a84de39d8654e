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
        for j in targets { receive(Int(j), weight: weight, at: t) }
    }

    func receive(weights: UnsafeBufferPointer<Float>, at t: Double, to targets: UnsafeBufferPointer<UInt32>,
                 into output: PartitionOutput) {
        for (j, w) in zip(targets, weights) { receive(Int(j), weight: Double(w), at: t) }
    }

    func receive(releases: UnsafeBufferPointer<Double>, allOfSign sign: FloatingPointSign?, at t: Double,
                 to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        for (j, a) in zip(targets, releases) { receive(Int(j), weight: a, at: t) }
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
