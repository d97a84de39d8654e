/// A population of model neurons as the simulator's partitions drive it (docs/DESIGN.md, The
/// partition and the protocol).
///
/// Every verb acts on local neuron indices of the neurons one partition owns, and every spike or
/// drive arrival it causes goes to that partition's `PartitionOutput`, so that partitions on
/// different threads never write the same memory. A conformance integrates its neurons exactly
/// between inputs (lazy state: docs/MODEL.md §2), so the verbs can be called at any times in
/// non-decreasing order per neuron; the simulator calls them in the one documented order of a
/// window (`Simulator`), which is what makes a run bit for bit the same on any number of partitions.
///
/// A new neuron model is a folder with its population type, its conformance to this protocol and one
/// entry in `NeuronModelRegistry`.
protocol NeuronPopulation: AnyObject {
    /// Number of neurons.
    var count: Int { get }
    /// Global index of local neuron 0.
    var offset: UInt32 { get }
    /// Where each neuron's spikes and drive arrivals go (`PartitionRoute`); installed by the
    /// simulator before it runs.
    var route: PartitionRoute { get }
    func install(_ route: PartitionRoute, keeping owner: AnyObject)

    /// A PSP of amplitude `weight` (mV for lif_delta, pA for lif_exp) at time t to each neuron of
    /// `targets`, in order.
    /// - Complexity: O(targets), plus the targets' pending drive arrivals before t.
    func receive(weight: Double, at t: Double, to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput)
    /// The same with one Float32 static weight per target.
    func receive(weights: UnsafeBufferPointer<Float>, at t: Double, to targets: UnsafeBufferPointer<UInt32>,
                 into output: PartitionOutput)
    /// The same with one Bayesian release per target, all of sign `allOfSign` when that is given.
    func receive(releases: UnsafeBufferPointer<Double>, allOfSign sign: FloatingPointSign?, at t: Double,
                 to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput)
    /// The same through STDP synapses `range` (`STDPProjection.Delivery`), each updated in order
    /// (`Delivery.update`) and its new weight, of sign `allOfSign`, delivered to the target at the
    /// same offset of `targets`. A conformance may fuse the update into its delivery loop (one pass
    /// over the row); the default updates every synapse and then takes the weights as releases.
    /// - Complexity: O(targets + the synapses' pending post events), plus the targets' pending
    ///   drive arrivals before t.
    func receive(stdp delivery: STDPProjection.Delivery, synapses range: Range<Int>, allOfSign sign: FloatingPointSign,
                 at t: Double, to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput)
    /// Simultaneous inputs (docs/MODEL.md §7): local neuron j, which an input at time t brought to
    /// threshold and which was put on `output.heldCrossings`, fires at t if it is still at threshold
    /// now that every input at t has arrived. Called by the walk after the last delivery at t.
    /// - Complexity: O(1).
    func settleCrossing(_ j: Int, at t: Double, into output: PartitionOutput)
    /// Changes the constant input current of `neurons` at time t by `deltaCurrent` pA.
    func changeInput(_ neurons: Range<Int>, by deltaCurrent: Double, at t: Double)
    /// Kernel-current changes at time t: neuron `neurons[k]` by `deltas[k]` pA, for those in `owned`.
    func changeInput(neurons: UnsafeBufferPointer<Int>, deltas: UnsafeBufferPointer<Double>, owned: Range<Int>,
                     at t: Double)
    /// Brings `neurons` forward through everything strictly before `end` (the window end).
    /// - Complexity: O(neurons + their drive arrivals and spikes before end).
    func advance(_ neurons: Range<Int>, before end: Double, into output: PartitionOutput)
    /// The membrane potential of neuron j at time t, bringing the neuron forward to t (samplers).
    func membranePotential(_ j: Int, at t: Double) -> Double
    /// Called once per window after every partition has finished it (lif_delta moves its epoch).
    func endWindow(at end: Double)
    /// The population fires stochastically (escape noise, docs/MODEL.md §2).
    var firesStochastically: Bool { get }
    /// Why this population cannot run on several partitions (nil: it can).
    var partitionRefusal: String? { get }
}

/// Where a population's neurons put their spikes and drive arrivals: partition k owns local neurons
/// bounds[k] ..< bounds[k + 1] and writes `outputs[k]`. Plain pointers, not arrays or references:
/// it is read at every spike and at many drive arrivals, from several threads, and reference
/// counting a shared object there would move its cache line between the cores
/// (`DeliveryPlan`). The memory belongs to a `PartitionRouteStorage` the population keeps alive.
struct PartitionRoute {
    let bounds: UnsafePointer<Int>
    let outputs: UnsafePointer<Unmanaged<PartitionOutput>>
    let partitionCount: Int

    /// The partition that owns local neuron j.
    @inline(__always)
    func partition(of j: Int) -> Int {
        var k = 0
        while k + 1 < partitionCount && j >= bounds[k + 1] { k += 1 }
        return k
    }

    /// The output of the partition that owns local neuron j.
    @inline(__always)
    func output(of j: Int) -> PartitionOutput { outputs[partition(of: j)].takeUnretainedValue() }

    /// Adds `count` drive arrivals to the output of the partition that owns local neuron j, without
    /// retaining it: `output(of:)` returns a strong reference, and its retain and release at every
    /// fused update were 4 % of the 0.1-scale microcircuit's run (perf, 2026-12-07).
    @inline(__always)
    func countDriveArrivals(_ count: Int, of j: Int) {
        outputs[partition(of: j)]._withUnsafeGuaranteedRef { $0.driveArrivals &+= count }
    }
}

/// The memory of `PartitionRoute`s: one route per population over the same partition outputs.
final class PartitionRouteStorage {
    let outputs: [PartitionOutput]
    private let outputPointers: UnsafeMutablePointer<Unmanaged<PartitionOutput>>
    private let bounds: UnsafeMutablePointer<Int>
    private let populationCount: Int

    /// `bounds[p]`: the partition bounds of population p (count + 1 values each).
    init(outputs: [PartitionOutput], bounds perPopulation: [[Int]]) {
        self.outputs = outputs
        outputPointers = .allocate(capacity: max(outputs.count, 1))
        outputPointers.initialize(from: outputs.map { Unmanaged.passUnretained($0) }, count: outputs.count)
        populationCount = perPopulation.count
        let flat = perPopulation.flatMap { $0 }
        bounds = .allocate(capacity: max(flat.count, 1))
        bounds.initialize(from: flat, count: flat.count)
    }

    deinit {
        outputPointers.deallocate()
        bounds.deallocate()
    }

    /// Population p's route.
    func route(population p: Int) -> PartitionRoute {
        PartitionRoute(bounds: bounds + p * (outputs.count + 1), outputs: outputPointers, partitionCount: outputs.count)
    }

    /// A population's route before a simulator installs its own: one partition, `output`.
    static func single(count: Int, output: PartitionOutput) -> PartitionRouteStorage {
        PartitionRouteStorage(outputs: [output], bounds: [[0, count]])
    }
}

extension NeuronPopulation {
    /// Unfused: every synapse updated, then the weights delivered as releases.
    func receive(stdp delivery: STDPProjection.Delivery, synapses range: Range<Int>, allOfSign sign: FloatingPointSign,
                 at t: Double, to targets: UnsafeBufferPointer<UInt32>, into output: PartitionOutput) {
        delivery.update(range)
        receive(releases: UnsafeBufferPointer(start: delivery.weights + range.lowerBound, count: range.count),
                allOfSign: sign, at: t, to: targets, into: output)
    }
}
