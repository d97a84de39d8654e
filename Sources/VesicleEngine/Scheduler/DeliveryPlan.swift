/// The network's delivery structure for the threads of `ParallelWindows`, flattened into plain values
/// and pointers.
///
/// Copying a `BuiltProjection`, a delay class's members or a population reference costs reference
/// counting, which is atomic: when two threads retain and release the same arrays for every delivery,
/// their counts' cache lines move between the cores at each one. Here everything a delivery needs is
/// a pointer or a number, and the population is held unmanaged. The tables' arrays are held by this
/// object, unchanged, so the storage the pointers point into stays where it is while it lives.
final class DeliveryPlan {
    /// One member of a delay class: the synapses of one projection with one delay.
    struct Member {
        let rowStart: UnsafePointer<Int>
        let targets: UnsafePointer<UInt32>
        /// Per-synapse weights, or nil when `uniformWeight` applies.
        let weights: UnsafePointer<Float>?
        let uniformWeight: Double
        /// Per-synapse delay steps and the member's step (nil: every synapse of the row).
        let delaySteps: UnsafePointer<UInt16>?
        let steps: UInt16?
        let targetPopulation: Int
        let population: Unmanaged<LIFDeltaPopulation>

        /// The synapses of source `row` this member delivers (`SynapseTable.synapses(ofRow:for:)`).
        @inline(__always)
        func synapses(ofRow row: Int) -> Range<Int> {
            let whole = rowStart[row]..<rowStart[row + 1]
            guard let steps, let delaySteps else { return whole }
            return SynapseTable.range(in: whole, delaySteps: steps) { delaySteps[$0] }
        }
    }

    private let tables: [SynapseTable]
    private let populations: [LIFDeltaPopulation?]
    private let memberStorage: UnsafeMutableBufferPointer<Member>
    /// Members of (population p, delay class c) are memberStorage[classStart[classBase[p] + c] ..<
    /// classStart[classBase[p] + c + 1]].
    private let classBase: [Int]
    private let classStart: UnsafeMutablePointer<Int>
    let populationOfNeuron: UnsafeMutablePointer<Int32>
    let populationOffsets: UnsafeMutablePointer<Int>
    /// Thread k's neurons of population p are partitionStarts[p * (threads + 1) + k] ..< the next:
    /// equal contiguous ranges.
    private let partitionStarts: UnsafeMutablePointer<Int>
    private let threads: Int

    init(network: Network, threads: Int) {
        self.threads = threads
        tables = network.projections.map(\.synapses)
        populations = network.dynamics.map { dynamics in
            if case .lifDelta(let pop) = dynamics { return pop }
            return nil
        }
        var members: [Member] = []
        var base: [Int] = []
        var classStarts: [Int] = []
        for classes in network.delayClasses {
            base.append(classStarts.count)
            for delayClass in classes {
                classStarts.append(members.count)
                for m in delayClass.members {
                    let table = tables[m.projection]
                    let target = network.projections[m.projection].targetPopulation
                    // `ParallelWindows.refusal` admits only lif_delta targets and static tables.
                    guard let pop = populations[target] else { continue }
                    members.append(Member(
                        rowStart: table.rowStart.withUnsafeBufferPointer { $0.baseAddress! },
                        targets: table.targets.withUnsafeBufferPointer { $0.baseAddress! },
                        weights: table.uniformWeight == nil ? table.weights.withUnsafeBufferPointer { $0.baseAddress! } : nil,
                        uniformWeight: table.uniformWeight ?? 0,
                        delaySteps: m.steps == nil ? nil : table.delaySteps.withUnsafeBufferPointer { $0.baseAddress! },
                        steps: m.steps, targetPopulation: target, population: Unmanaged.passUnretained(pop)))
                }
            }
            classStarts.append(members.count)
        }
        memberStorage = .allocate(capacity: max(members.count, 1))
        _ = memberStorage.initialize(from: members)
        classBase = base
        classStart = .allocate(capacity: max(classStarts.count, 1))
        classStart.initialize(from: classStarts, count: classStarts.count)
        populationOfNeuron = .allocate(capacity: max(network.populationOfNeuron.count, 1))
        populationOfNeuron.initialize(from: network.populationOfNeuron, count: network.populationOfNeuron.count)
        populationOffsets = .allocate(capacity: max(network.populationOffsets.count, 1))
        populationOffsets.initialize(from: network.populationOffsets, count: network.populationOffsets.count)
        let flat = network.populationSizes.flatMap { n in (0...threads).map { k in n * k / threads } }
        partitionStarts = .allocate(capacity: max(flat.count, 1))
        partitionStarts.initialize(from: flat, count: flat.count)
    }

    deinit {
        memberStorage.deallocate()
        classStart.deallocate()
        populationOfNeuron.deallocate()
        populationOffsets.deallocate()
        partitionStarts.deallocate()
    }

    /// Thread k's neurons of population p.
    @inline(__always)
    func partition(_ k: Int, of p: Int) -> Range<Int> {
        let starts = partitionStarts + p * (threads + 1)
        return starts[k]..<starts[k + 1]
    }

    /// The members of delay class c of population p.
    @inline(__always)
    func members(population p: Int, delayClass c: Int) -> UnsafeMutableBufferPointer<Member> {
        let i = classBase[p] + c
        return UnsafeMutableBufferPointer(rebasing: memberStorage[classStart[i]..<classStart[i + 1]])
    }
}
