/// The network's delivery structure as the partitions read it, flattened into plain values and
/// pointers.
///
/// Copying a `BuiltProjection`, a delay class's members or a population reference costs reference
/// counting, which is atomic: when two threads retain and release the same arrays for every delivery,
/// their counts' cache lines move between the cores at each one. Here everything a delivery needs is
/// a pointer or a number, and the populations are held unowned. The tables' arrays are held by this
/// object, unchanged, so the storage the pointers point into stays where it is while it lives.
///
/// It also fixes the partitioning (docs/DESIGN.md, The partition): partition k of P owns neurons
/// n k / P ..< n (k + 1) / P of every population of n neurons, sources included (a source's rows are
/// its partition's to release), and with them those neurons' incoming synapses' effects, their
/// drives, their escape noise, their share of every current change and membrane sampler, and the
/// Bayesian rows (releases, posterior samples) of the source neurons it owns.
final class DeliveryPlan {
    /// One member of a delay class: the synapses of one projection with one delay.
    struct Member {
        let rowStart: UnsafePointer<Int>
        let targets: UnsafePointer<UInt32>
        /// Per-synapse weights, or nil when `uniformWeight` applies (or the synapses are Bayesian).
        let weights: UnsafePointer<Float>?
        let uniformWeight: Double
        /// Per-synapse delay steps and the member's step (nil: every synapse of the row).
        let delaySteps: UnsafePointer<UInt16>?
        let steps: UInt16?
        let projection: Int
        let targetPopulation: Int
        /// The target's neurons (nil when the target is a source, which takes no input).
        var population: (any NeuronPopulation)? { target?.population }
        /// Held without reference counting (the network keeps the population alive). Not
        /// `unowned(unsafe) let population: (any NeuronPopulation)?`: Swift 6.3's unoptimised builds
        /// give `Optional<Member>` wrong enum tags with that field, so that iterating an array of
        /// members never ends (an empty array's `contains` returned true); wrapping the
        /// non-optional reference in a struct avoids it.
        let target: UnownedPopulation?
        /// The projection's Bayesian synapses (nil: static).
        let bayesian: Unmanaged<BayesianProjection>?
        let releaseSign: FloatingPointSign?
        /// Within each row and delay, targets ascend (every rule but `fixed_outdegree` builds them
        /// so): a partition's targets are then one contiguous sub-range, found by bisection;
        /// otherwise they are gathered one by one.
        let sortedByTarget: Bool
        /// Log the releases of synapses below this index (nil: no release log).
        let releaseLogLimit: Int?
        /// Where each local partition's targets start in every row (`DeliveryPlan+PartitionSplits.swift`):
        /// nil when they are found by bisection instead.
        var splits: PartitionSplits? = nil

        /// The projection's delay runs (`DeliveryPlan+DelayRuns.swift`), this member's run index in
        /// them and their width; nil runs: the member's part of a row is found by bisection.
        var runs: UnsafePointer<UInt16>? = nil
        var runIndex = 0
        var runWidth = 0

        /// The synapses of source `row` this member delivers (`SynapseTable.synapses(ofRow:for:)`).
        @inline(__always)
        func synapses(ofRow row: Int) -> Range<Int> {
            let whole = rowStart[row]..<rowStart[row + 1]
            guard let steps, let delaySteps else { return whole }
            if let runs {
                let p = runs + row * runWidth + runIndex
                return (whole.lowerBound + Int(p[0]))..<(whole.lowerBound + Int(p[1]))
            }
            return SynapseTable.range(in: whole, delaySteps: steps) { delaySteps[$0] }
        }
    }

    /// A population reference without reference counting, for `Member`.
    struct UnownedPopulation {
        unowned(unsafe) let population: any NeuronPopulation
    }

    private let tables: [SynapseTable]
    private let populations: [(any NeuronPopulation)?]
    private let bayesians: [BayesianProjection?]
    private let memberStorage: UnsafeMutableBufferPointer<Member>
    /// Members of (population p, delay class c) are memberStorage[classStart[classBase[p] + c] ..<
    /// classStart[classBase[p] + c + 1]].
    private let classBase: [Int]
    private let classStart: UnsafeMutablePointer<Int>
    let populationOfNeuron: UnsafeMutablePointer<Int32>
    let populationOffsets: UnsafeMutablePointer<Int>
    /// Partition k's neurons of population p are partitionStarts[p * (partitions + 1) + k] ..< the
    /// next: equal contiguous ranges.
    private let partitionStarts: UnsafeMutablePointer<Int>
    let partitionCount: Int
    /// The most members of any delay class: a delivery's release slots are i * this + member.
    let maximumMembers: Int
    /// Some member is Bayesian: a window on several partitions first releases, then delivers.
    let hasBayesian: Bool
    /// The longest row of any Bayesian member (room for one row's releases).
    let longestBayesianRow: Int
    /// Some Bayesian projection held in part (an MPI rank's own targets, `BayesianRowLayout`) logs
    /// its releases: the other ranks send theirs to rank 0 every window (`Simulator.exchangeWindow`).
    let logsPartialReleases: Bool
    /// The members' split tables, owned here (`DeliveryPlan+PartitionSplits.swift`).
    private var splitTables: [PartitionSplits] = []
    /// The projections' delay runs, owned here (`DeliveryPlan+DelayRuns.swift`).
    private var delayRunTables: [DelayRuns] = []

    init(network: Network, partitions: Int, local: Range<Int>? = nil, releaseLogLimit: [Int?]) {
        partitionCount = partitions
        tables = network.projections.map(\.synapses)
        populations = network.dynamics.map(\.neurons)
        bayesians = network.projections.map(\.bayesian)
        var members: [Member] = []
        var base: [Int] = []
        var classStarts: [Int] = []
        var widest = 0
        // Once per projection, not once per delay-class member: a projection with per-synapse delays
        // is a member of every delay class it spans (the microcircuit: about 50), and each check
        // reads the whole table (it was a quarter of the microcircuit's build).
        let sortedByTarget = network.projections.map { Self.rowsSortedByTarget($0.synapses) }
        // Each projection's member steps (on an MPI rank the whole build's, which the delay classes
        // hold), and the runs of its rows for them.
        var memberSteps = [Set<UInt16>](repeating: [], count: network.projections.count)
        for classes in network.delayClasses {
            for delayClass in classes { for m in delayClass.members { if let st = m.steps { memberSteps[m.projection].insert(st) } } }
        }
        let runs = network.projections.indices.map { q in
            memberSteps[q].isEmpty ? nil : DeliveryPlan.delayRuns(of: network.projections[q].synapses, steps: memberSteps[q].sorted())
        }
        delayRunTables = runs.compactMap { $0 }
        for classes in network.delayClasses {
            base.append(classStarts.count)
            for delayClass in classes {
                classStarts.append(members.count)
                widest = max(widest, delayClass.members.count)
                for m in delayClass.members {
                    let table = tables[m.projection]
                    let projection = network.projections[m.projection]
                    let bayesian = bayesians[m.projection]
                    members.append(Member(
                        rowStart: table.rowStart.withUnsafeBufferPointer { $0.baseAddress! },
                        targets: table.targets.withUnsafeBufferPointer { $0.baseAddress! },
                        weights: table.uniformWeight == nil && bayesian == nil
                            ? table.weights.withUnsafeBufferPointer { $0.baseAddress! } : nil,
                        uniformWeight: table.uniformWeight ?? 0,
                        delaySteps: m.steps == nil ? nil : table.delaySteps.withUnsafeBufferPointer { $0.baseAddress! },
                        steps: m.steps, projection: m.projection, targetPopulation: projection.targetPopulation,
                        target: populations[projection.targetPopulation].map(UnownedPopulation.init),
                        bayesian: bayesian.map { Unmanaged.passUnretained($0) }, releaseSign: bayesian?.releaseSign,
                        sortedByTarget: sortedByTarget[m.projection], releaseLogLimit: releaseLogLimit[m.projection]))
                    if let st = m.steps, let r = runs[m.projection], let c = r.steps.firstIndex(of: st) {
                        members[members.count - 1].runs = UnsafePointer(r.ends)
                        members[members.count - 1].runIndex = c
                        members[members.count - 1].runWidth = r.width
                    }
                }
            }
            classStarts.append(members.count)
        }
        maximumMembers = widest
        hasBayesian = members.contains { $0.bayesian != nil }
        longestBayesianRow = bayesians.compactMap { $0?.longestRowCount }.max() ?? 0
        let heldBayesians = bayesians
        logsPartialReleases = heldBayesians.indices.contains { heldBayesians[$0]?.layout != nil && releaseLogLimit[$0] != nil }
        memberStorage = .allocate(capacity: max(members.count, 1))
        _ = memberStorage.initialize(from: members)
        classBase = base
        classStart = .allocate(capacity: max(classStarts.count, 1))
        classStart.initialize(from: classStarts, count: classStarts.count)
        populationOfNeuron = .allocate(capacity: max(network.populationOfNeuron.count, 1))
        populationOfNeuron.initialize(from: network.populationOfNeuron, count: network.populationOfNeuron.count)
        populationOffsets = .allocate(capacity: max(network.populationOffsets.count, 1))
        populationOffsets.initialize(from: network.populationOffsets, count: network.populationOffsets.count)
        let flat = Self.bounds(network.populationSizes, partitions: partitions).flatMap { $0 }
        partitionStarts = .allocate(capacity: max(flat.count, 1))
        partitionStarts.initialize(from: flat, count: flat.count)
        for m in 0..<members.count {
            memberStorage[m].splits = splits(of: memberStorage[m], rows: tables[members[m].projection].sourceCount,
                                             local: local ?? 0..<partitions)
            if let table = memberStorage[m].splits { splitTables.append(table) }
        }
    }

    deinit {
        for table in splitTables { table.deallocate() }
        for table in delayRunTables { table.deallocate() }
        memberStorage.deallocate()
        classStart.deallocate()
        populationOfNeuron.deallocate()
        populationOffsets.deallocate()
        partitionStarts.deallocate()
    }

    /// The partition bounds of each population: n k / P for k = 0 ... P.
    static func bounds(_ sizes: [Int], partitions: Int) -> [[Int]] {
        sizes.map { n in (0...partitions).map { k in n * k / partitions } }
    }

    /// Within each row and delay, targets ascend: a partition's targets are one contiguous sub-range.
    /// - Complexity: O(synapses).
    static func rowsSortedByTarget(_ table: SynapseTable) -> Bool {
        let perSynapseDelays = table.uniformDelay == nil
        return table.rowStart.withUnsafeBufferPointer { rowStart in
            table.targets.withUnsafeBufferPointer { targets in
                table.delaySteps.withUnsafeBufferPointer { steps in
                    for row in 0..<table.sourceCount {
                        let lo = rowStart[row], hi = rowStart[row + 1]
                        if hi - lo < 2 { continue }
                        for k in (lo + 1)..<hi where targets[k] < targets[k - 1] {
                            if !perSynapseDelays || steps[k] == steps[k - 1] { return false }
                        }
                    }
                    return true
                }
            }
        }
    }

    /// Partition k's neurons of population p.
    @inline(__always)
    func partition(_ k: Int, of p: Int) -> Range<Int> {
        let starts = partitionStarts + p * (partitionCount + 1)
        return starts[k]..<starts[k + 1]
    }

    /// The partition that owns local neuron j of population p.
    @inline(__always)
    func owner(of j: Int, population p: Int) -> Int {
        let starts = partitionStarts + p * (partitionCount + 1)
        var k = 0
        while k + 1 < partitionCount && j >= starts[k + 1] { k += 1 }
        return k
    }

    /// The members of delay class c of population p.
    @inline(__always)
    func members(population p: Int, delayClass c: Int) -> UnsafeMutableBufferPointer<Member> {
        let i = classBase[p] + c
        return UnsafeMutableBufferPointer(rebasing: memberStorage[classStart[i]..<classStart[i + 1]])
    }
}
