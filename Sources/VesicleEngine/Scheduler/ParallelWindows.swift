import Dispatch

/// A window's deliveries and its advance to the window end on several threads (DESIGN.md, One
/// scheduler: window boundaries are where partitions synchronise).
///
/// Each thread owns one contiguous range of every population's neurons. It walks the window's
/// deliveries in their one documented order and applies the part of each that targets its own
/// neurons, then brings those neurons to the window end. A neuron's inputs therefore reach it in the
/// same order, through the same arithmetic, as on one thread, and a run is bit for bit the same for
/// any thread count (test). Threads write only their own neurons' lines and their own
/// `PartitionOutput`; the spikes are merged, and the epoch moved, after all of them finish.
///
/// It applies when a window's work touches nothing but those neurons (`refusal` says why not):
/// `lif_delta` populations without escape noise whose Poisson drives are fused into the neuron's line
/// or absent, spike sources, static synapses whose rows are sorted by target within each delay
/// (every rule but `fixed_outdegree` builds them so), and no current changes, kernel currents,
/// samplers, Bayesian synapses or learning.
final class ParallelWindows {
    let threadCount: Int
    let outputs: [PartitionOutput]
    /// The network's structure flattened into plain values and pointers (`DeliveryPlan`).
    fileprivate let plan: DeliveryPlan

    init(network: Network, threads: Int) {
        threadCount = threads
        outputs = (0..<threads).map { _ in PartitionOutput() }
        plan = DeliveryPlan(network: network, threads: threads)
    }

    /// Why `network` cannot run its windows on several threads (nil if it can). `samplers`: the run
    /// samples membrane potentials or posteriors inside windows.
    static func refusal(for network: Network, samplers: Bool) -> String? {
        if samplers { return "membrane or posterior samplers run inside windows" }
        if !network.biasChanges.isEmpty { return "constant currents start or stop during the run" }
        if network.kernelCurrents != nil { return "kernel-driven projections" }
        if network.plasticity != nil { return "synapses learn from spikes" }
        if network.synapticDynamics != nil { return "STDP or short-term plastic synapses" }
        for dynamics in network.dynamics {
            switch dynamics {
            case .lifDelta(let pop):
                if pop.escapeNoise != nil { return "escape-noise neurons" }
                if !pop.fusedDrive && !pop.drives.isEmpty {
                    return "Poisson drives that differ between neurons of a population"
                }
            case .lifExp:
                return "lif_exp neurons"
            case .source:
                break
            }
        }
        for projection in network.projections {
            if projection.isBayesian { return "Bayesian synapses (projection '\(projection.name)')" }
            if !Self.rowsSortedByTarget(projection.synapses) {
                return "projection '\(projection.name)' has rows not sorted by target (fixed_outdegree)"
            }
        }
        return nil
    }

    /// Within each row and delay, targets ascend: a thread's targets are one contiguous sub-range.
    static func rowsSortedByTarget(_ table: SynapseTable) -> Bool {
        let perSynapseDelays = table.uniformDelay == nil
        for row in 0..<table.sourceCount {
            let lo = table.rowStart[row], hi = table.rowStart[row + 1]
            if hi - lo < 2 { continue }
            for k in (lo + 1)..<hi where table.targets[k] < table.targets[k - 1] {
                if !perSynapseDelays || table.delaySteps[k] == table.delaySteps[k - 1] { return false }
            }
        }
        return true
    }

    /// Applies `deliveries` (in order) and advances every neuron to just before `end`, on
    /// `threadCount` threads. The partitions' spikes and counts are left in `outputs`.
    func run(_ deliveries: [SpikeDelivery], windowEnd end: Double, network: Network) {
        // concurrentPerform runs the iterations on the calling thread and the pool, and returns when
        // all have finished: the window's barrier.
        let job = WindowJob(windows: self, network: network, deliveries: deliveries, end: end)
        DispatchQueue.concurrentPerform(iterations: threadCount) { k in job.run(partition: k) }
    }

    /// One window's work as the threads share it. @unchecked: they only read the network's structure
    /// and the deliveries, and write disjoint neuron ranges and their own outputs; the scheduler
    /// touches nothing until `concurrentPerform` returns.
    private struct WindowJob: @unchecked Sendable {
        let windows: ParallelWindows
        let network: Network
        let deliveries: [SpikeDelivery]
        let end: Double

        func run(partition k: Int) {
            let output = windows.outputs[k]
            for d in deliveries { windows.deliver(d, partition: k, into: output) }
            for (p, dynamics) in network.dynamics.enumerated() {
                if case .lifDelta(let pop) = dynamics {
                    pop.advance(windows.plan.partition(k, of: p), before: end, into: output)
                }
            }
        }
    }

    /// The part of delivery `d` that targets partition k (as `Simulator.deliver` for static synapses).
    @inline(__always)
    fileprivate func deliver(_ d: SpikeDelivery, partition k: Int, into output: PartitionOutput) {
        let g = Int(d.source)
        let p = Int(plan.populationOfNeuron[g])
        let local = g - plan.populationOffsets[p]
        for member in plan.members(population: p, delayClass: Int(d.delayClass)) {
            let row = member.synapses(ofRow: local)
            if row.isEmpty { continue }
            let neurons = plan.partition(k, of: member.targetPopulation)
            let lo = k == 0 ? row.lowerBound : Self.firstIndex(in: member.targets, row, notBelow: neurons.lowerBound)
            let hi = k == threadCount - 1 ? row.upperBound : Self.firstIndex(in: member.targets, row, notBelow: neurons.upperBound)
            if lo >= hi { continue }
            output.recurrentEvents &+= hi - lo
            let slice = UnsafeBufferPointer(start: member.targets + lo, count: hi - lo)
            member.population._withUnsafeGuaranteedRef { pop in
                if let weights = member.weights {
                    pop.deliver(amplitudes: UnsafeBufferPointer(start: weights + lo, count: hi - lo), at: d.time, to: slice,
                                into: output)
                } else {
                    pop.deliver(weight: member.uniformWeight, at: d.time, to: slice, into: output)
                }
            }
        }
    }

    /// The first index of `range` (targets ascending in it) whose target is at least `bound`.
    @inline(__always)
    private static func firstIndex(in targets: UnsafePointer<UInt32>, _ range: Range<Int>, notBelow bound: Int) -> Int {
        var a = range.lowerBound, b = range.upperBound
        while a < b {
            let m = (a + b) >> 1
            if Int(targets[m]) < bound { a = m + 1 } else { b = m }
        }
        return a
    }
}
