import VesicleModel

/// What a projection's synapses do between a spike and its PSP when they are not static: STDP
/// changes each weight (`STDPProjection`), short-term plasticity scales it (`ShortTermPlasticity`).
enum PlasticSynapses {
    case stdp(STDPProjection)
    case shortTerm(ShortTermPlasticity)
}

/// `PlasticSynapses` as the delivery loop holds it: without reference counting (the network keeps
/// the objects alive), so that reading a member's entry copies no existential or class reference
/// and retains nothing (`Partitions.plastic`). Not an optional of an `unowned(unsafe)` reference
/// (Swift 6.3's unoptimised builds give such enums wrong tags: `DeliveryPlan.UnownedPopulation`).
enum UnownedPlasticSynapses {
    case none
    case stdp(Unmanaged<STDPProjection>)
    case shortTerm(Unmanaged<ShortTermPlasticity>)

    init(_ plastic: PlasticSynapses?) {
        switch plastic {
        case .stdp(let p)?: self = .stdp(.passUnretained(p))
        case .shortTerm(let s)?: self = .shortTerm(.passUnretained(s))
        case nil: self = .none
        }
    }

    var isPlastic: Bool {
        if case .none = self { return false }
        return true
    }
}

/// The network's STDP projections and the postsynaptic spikes they wait for (`STDPProjection`,
/// "How it is scheduled"). The simulator calls it at three places, each marked
/// "Synaptic dynamics" in `Simulator.swift`: before every delivery (post events due by then), at
/// every window end (the window's spikes), and before a weight sample.
final class SynapticDynamics {
    let stdp: [STDPProjection]
    let shortTerm: [ShortTermPlasticity]
    /// For each population: the STDP projections onto it.
    private let stdpOnto: [[STDPProjection]]
    /// The longest window the scheduling allows: twice the shortest STDP delay (a post spike at t acts
    /// at queue time t + 2d, so it must be known by then; `STDPProjection`).
    var windowLimit: Double { stdp.map { 2 * $0.delay }.min() ?? .infinity }
    /// Per partition: the earliest queue time of any pending post event of its targets (set again by
    /// a restored checkpoint). (Entry k is read and written by partition k's walk only: no dynamic
    /// exclusivity check.)
    @exclusivity(unchecked) var nextEventTime: [Double] = [.infinity]

    init(stdp: [STDPProjection], shortTerm: [ShortTermPlasticity], populationCount: Int) {
        self.stdp = stdp
        self.shortTerm = shortTerm
        var onto = [[STDPProjection]](repeating: [], count: populationCount)
        for p in stdp { onto[p.targetPopulation].append(p) }
        stdpOnto = onto
    }

    /// Splits the state over `count` partitions; `bounds[p]` are population p's partition starts
    /// (`DeliveryPlan.bounds`). A target's post history and its synapses' weights belong to the
    /// target's partition; state per presynaptic neuron (K+, short-term u and x) is copied into each
    /// partition, which keeps its copy by the same operations (`STDPProjection.deliver`). On ranks
    /// only the `local` partitions run here: post events of other ranks' targets are not kept.
    /// - Complexity: O(count x presynaptic neurons + pending events).
    func partition(count: Int, bounds: [[Int]], local: Range<Int>, projections: [BuiltProjection]) {
        for p in stdp { p.partition(count: count, targetBounds: bounds[p.targetPopulation], local: local) }
        for s in shortTerm {
            // Row r's value lives in the partition that owns its first synapse's target.
            let projection = projections[s.projection], table = projection.synapses
            let starts = bounds[projection.targetPopulation]
            let owners = (0..<s.rowCount).map { r -> Int in
                guard r + 1 < table.rowStart.count, table.rowStart[r] < table.rowStart[r + 1] else { return 0 }
                let j = Int(table.targets[table.rowStart[r]])
                var k = 0
                while k + 2 < starts.count && j >= starts[k + 1] { k += 1 }
                return k
            }
            s.partition(count: count, owners: owners, local: local)
        }
        nextEventTime = (0..<count).map { k in stdp.map { $0.nextEventTime(partition: k) }.min() ?? .infinity }
    }

    /// Applies every post event of partition k whose queue time is <= t (before a delivery or sample
    /// at t); partitions touch only their own targets.
    @inline(__always)
    func applyPostEvents(through t: Double, partition k: Int) {
        guard nextEventTime[k] <= t else { return }
        var next = Double.infinity
        for p in stdp {
            p.applyPostEvents(through: t, partition: k)
            next = min(next, p.nextEventTime(partition: k))
        }
        nextEventTime[k] = next
    }

    /// The same on every partition (outside the window's walks).
    func applyPostEvents(through t: Double) {
        for k in nextEventTime.indices { applyPostEvents(through: t, partition: k) }
    }

    /// Takes the window's spikes (sorted by time) as post events of the STDP projections onto their
    /// populations, and lets each projection move its epoch.
    func endWindow(at end: Double, spikes: WindowSpikes, populationOf: [Int32], offsets: [Int]) {
        guard !stdp.isEmpty else { return }
        for k in 0..<spikes.count {
            let g = Int(spikes.neurons[k])
            let p = Int(populationOf[g])
            guard !stdpOnto[p].isEmpty else { continue }
            let local = UInt32(g - offsets[p])
            for projection in stdpOnto[p] { projection.schedule(postSpike: spikes.times[k], neuron: local) }
        }
        for p in stdp { p.endWindow(at: end) }
        for k in nextEventTime.indices {
            nextEventTime[k] = stdp.map { $0.nextEventTime(partition: k) }.min() ?? .infinity
        }
    }
}

extension Network {
    /// The current weight of synapse k of STDP projection q (after every plasticity event the engine
    /// has applied), nil if q is not an STDP projection.
    public func stdpWeight(projection q: Int, synapse k: Int) -> Double? {
        guard q >= 0, q < projections.count, case .stdp(let p)? = projections[q].plastic, k >= 0, k < p.synapseCount
        else { return nil }
        p.bringUpToDate(k)
        return p.weights[k]
    }

    /// Synapses with STDP or short-term plasticity.
    public var dynamicSynapseCount: Int {
        projections.reduce(0) { $0 + ($1.plastic == nil ? 0 : $1.synapses.synapseCount) }
    }
}
