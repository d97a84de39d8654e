import VesicleModel

/// What a projection's synapses do between a spike and its PSP when they are not static: STDP
/// changes each weight (`STDPProjection`), short-term plasticity scales it (`ShortTermPlasticity`).
enum PlasticSynapses {
    case stdp(STDPProjection)
    case shortTerm(ShortTermPlasticity)
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
    /// The earliest queue time of any pending post event (set again by a restored checkpoint).
    var nextEventTime = Double.infinity

    init(stdp: [STDPProjection], shortTerm: [ShortTermPlasticity], populationCount: Int) {
        self.stdp = stdp
        self.shortTerm = shortTerm
        var onto = [[STDPProjection]](repeating: [], count: populationCount)
        for p in stdp { onto[p.targetPopulation].append(p) }
        stdpOnto = onto
    }

    /// Applies every post event whose queue time is <= t (before a delivery or sample at t).
    @inline(__always)
    func applyPostEvents(through t: Double) {
        guard nextEventTime <= t else { return }
        var next = Double.infinity
        for p in stdp {
            p.applyPostEvents(through: t)
            next = min(next, p.nextEventTime)
        }
        nextEventTime = next
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
        var next = Double.infinity
        for p in stdp {
            p.endWindow(at: end)
            next = min(next, p.nextEventTime)
        }
        nextEventTime = next
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
