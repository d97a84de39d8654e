import Foundation
import VesicleModel

/// Counters of one run.
public struct SimulationCounters: Sendable {
    /// Synaptic events delivered from spikes of the network's neurons and sources (one per synapse).
    public var recurrentEvents: Int = 0
    /// Poisson drive arrivals consumed (including those dropped in refractoriness).
    public var externalEvents: Int = 0
    /// Synaptic events of kernel-driven projections (one per synapse and spike; feed-forward FFT
    /// projections include those already binned for their current look-ahead block).
    public var kernelEvents: Int = 0
    public var spikes: Int = 0
    public var windows: Int = 0
    public var simulatedTime: Double = 0
}

/// Drives a built network through time (DESIGN.md, One scheduler).
///
/// Time advances in windows no longer than the minimum delay D from any neuron whose spikes the
/// simulation computes. No spike emitted in a window can arrive inside it, so within a window every
/// neuron can be integrated independently and exactly; the window boundaries are where spikes are
/// queued and where partitions will later synchronise (threads now, ranks later).
///
/// Within a window, happenings are processed in this documented order:
/// 1. source spikes (Poisson and spike-time sources) with emission < window end are queued;
/// 2. queued deliveries with arrival < window end, together with bias changes and membrane samples,
///    in order of time; at equal times a bias change precedes a kernel-current change
///    (`KernelCurrentSchedule`), which precedes deliveries, which precede samples;
///    deliveries are ordered by (time, source index, delay class) and within one by synapse order;
/// 3. before any input at time t, the target is brought forward through its own Poisson arrivals and
///    drift crossings strictly before t;
/// 4. at the window end every neuron is brought forward to it.
public final class Simulator {
    public let network: Network
    public private(set) var counters = SimulationCounters()
    public private(set) var time: Double = 0
    /// Why the run stopped before its end, if something in it failed (a posterior that left its
    /// domain, MODEL.md §5); the run stops at the window boundary where it happened.
    public private(set) var failure: SimulationError?
    var queue: any EventQueue
    let window: Double
    var recorded: [[Bool]]
    var membraneSamplers: [(population: Int, range: Range<Int>, interval: Double)] = []
    /// Per projection: log releases of synapses below this index (nil: not logged).
    var releaseLogLimit: [Int?]
    var posteriorSamplers: [(projection: Int, limit: Int, interval: Double)] = []
    weak var observer: SimulationObserver?
    var nextBiasChange = 0
    var deliveries: [SpikeDelivery] = []
    let sourceSpikes = WindowSpikes()
    /// The threads a window's deliveries run on, when more than one was asked for and the network
    /// allows it (`ParallelWindows`).
    private var parallel: ParallelWindows?
    /// Why a run asked to use several threads uses one (nil otherwise).
    public private(set) var parallelRefusal: String?
    /// Drive arrivals and recurrent events counted by parallel windows.
    private var parallelDriveArrivals = 0
    /// The number of threads the windows run on.
    public var threadCount: Int { parallel?.threadCount ?? 1 }

    /// Window length when no simulated neuron has outgoing synapses, ms.
    static let defaultWindow = 1.0

    /// `threads` > 1 runs each window's deliveries on that many threads when the network allows it
    /// (`ParallelWindows`; otherwise `parallelRefusal` says why); the results are the same either way.
    public init(network: Network, queue kind: EventQueueKind = .binaryHeap, threads: Int = 1) {
        self.network = network
        window = network.minimumDelay ?? Self.defaultWindow
        switch kind {
        case .binaryHeap: queue = BinaryHeapQueue()
        case .collectionsHeap: queue = CollectionsHeapQueue()
        case .calendar: queue = CalendarQueue(origin: 0, width: network.minimumDelay ?? 1.0)
        }
        recorded = network.populationSizes.map { Array(repeating: false, count: $0) }
        releaseLogLimit = Array(repeating: nil, count: network.projections.count)
        for rec in network.spec.recordings {
            switch rec.kind {
            case .releases(let name, let limit):
                if let q = network.projections.firstIndex(where: { $0.name == name }), network.projections[q].isBayesian {
                    releaseLogLimit[q] = limit ?? Int.max
                }
            case .posterior(let name, let interval, let limit):
                if let q = network.projections.firstIndex(where: { $0.name == name }), network.projections[q].isBayesian {
                    posteriorSamplers.append((q, min(limit ?? Int.max, network.projections[q].synapses.synapseCount), interval))
                }
            default:
                break
            }
        }
        defer {
            if threads > 1 {
                parallelRefusal = ParallelWindows.refusal(
                    for: network, samplers: !membraneSamplers.isEmpty || !posteriorSamplers.isEmpty)
                if parallelRefusal == nil { parallel = ParallelWindows(network: network, threads: threads) }
            }
        }
        for rec in network.spec.recordings {
            guard let source = rec.source, let p = network.populationIndex(named: source.population) else { continue }
            let range = source.range ?? 0..<network.populationSizes[p]
            switch rec.kind {
            case .spikes:
                for j in range { recorded[p][j] = true }
            case .membrane(let interval):
                membraneSamplers.append((p, range, interval))
            default:
                break
            }
        }
    }

    /// Records the spikes of every neuron of every visible population.
    public func recordAllSpikes() {
        for p in 0..<(recorded.count - network.hiddenPopulationCount) {
            for j in recorded[p].indices { recorded[p][j] = true }
        }
    }

    /// Polled every 2^16 deliveries inside a window; true drops the window and ends `run` at the
    /// window's start (its spikes are not recorded; samples already taken in it were). Issue 15.
    public var interruption: (() -> Bool)?
    /// Whether `interruption` ended the run inside a window.
    public private(set) var windowAbandoned = false

    /// Runs warm-up plus duration (the spec's), or until `end` if given.
    /// `shouldStop` is polled once per window; on true the run stops at that clean window boundary.
    public func run(until end: Double? = nil, observer: SimulationObserver? = nil,
                    shouldStop: () -> Bool = { false }, progress: ((Double) -> Void)? = nil) {
        let stopTime = end ?? (network.spec.simulation.warmup + network.spec.simulation.duration)
        self.observer = observer
        network.kernelCurrents?.logReleases(limits: releaseLogLimit, observer: observer)
        let recordFrom = network.spec.simulation.warmup
        while time < stopTime {
            let windowEnd = min(time + window, stopTime)
            step(to: windowEnd, observer: observer, recordFrom: recordFrom)
            if windowAbandoned { break }  // `interruption` (issue 15)
            counters.windows += 1
            progress?(time)
            if shouldStop() || failure != nil { break }
        }
        counters.simulatedTime = time
        counters.kernelEvents = network.kernelSynapticEvents
        network.kernelCurrents?.logReleases(limits: releaseLogLimit, observer: nil)
        counters.externalEvents = network.dynamics.reduce(0) { total, d in
            switch d {
            case .lifDelta(let pop): return total + pop.drives.consumed + pop.output.driveArrivals
            case .lifExp(let pop): return total + pop.drives.consumed
            case .source: return total
            }
        } + parallelDriveArrivals
    }

    private func step(to end: Double, observer: SimulationObserver?, recordFrom: Double) {
        let spikes = network.spikes
        // 1. Sources emit for the whole window; their deliveries are queued before any is popped.
        sourceSpikes.removeAll()
        for case .source(let source) in network.dynamics { source.emit(before: end, into: sourceSpikes) }
        queueDeliveries(of: sourceSpikes)
        network.kernelCurrents?.beginWindow(end: end, sourceSpikes: sourceSpikes)

        // 2. Deliveries, bias changes and samples in time order.
        deliveries.removeAll(keepingCapacity: true)
        queue.popAll(before: end, into: &deliveries)
        if let parallel {
            // 2 and 3 on threads: there are no bias changes or samples (`ParallelWindows.refusal`).
            parallel.run(deliveries, windowEnd: end, network: network)
            for output in parallel.outputs {
                for k in 0..<output.spikes.count {
                    spikes.append(time: output.spikes.times[k], neuron: output.spikes.neurons[k])
                }
                output.spikes.removeAll()
                counters.recurrentEvents += output.recurrentEvents
                parallelDriveArrivals += output.driveArrivals
                output.recurrentEvents = 0
                output.driveArrivals = 0
            }
            for case .lifDelta(let pop) in network.dynamics { pop.rebase(to: end) }
            finishWindow(at: end, spikes: spikes, observer: observer, recordFrom: recordFrom)
            return
        }
        let sampleTimes = self.sampleTimes(from: time, before: end)
        var sampleIndex = 0
        for (n, d) in deliveries.enumerated() {
            // The stop flag every 2^16 deliveries: an interrupted window is dropped whole (issue 15).
            if n & 0xFFFF == 0xFFFF, interruption?() == true { windowAbandoned = true; return }
            catchUp(before: d.time, changesAtThatTime: true, samples: sampleTimes, index: &sampleIndex, observer: observer)
            deliver(d)
        }
        catchUp(before: end, changesAtThatTime: false, samples: sampleTimes, index: &sampleIndex, observer: observer)

        // 3. Every neuron to the window end; spikes of the window are recorded and queued.
        for dynamics in network.dynamics {
            switch dynamics {
            case .lifDelta(let pop):
                pop.advanceAll(before: end)
                pop.rebase(to: end)
            case .lifExp(let pop):
                for j in 0..<pop.count { pop.advance(j, to: end) }
            case .source:
                break
            }
        }
        finishWindow(at: end, spikes: spikes, observer: observer, recordFrom: recordFrom)
    }

    /// The window's spikes are queued, learned from and recorded; time moves to the window end.
    private func finishWindow(at end: Double, spikes: WindowSpikes, observer: SimulationObserver?, recordFrom: Double) {
        queueDeliveries(of: spikes)
        network.kernelCurrents?.endWindow(networkSpikes: spikes)
        for k in 0..<sourceSpikes.count { spikes.append(time: sourceSpikes.times[k], neuron: sourceSpikes.neurons[k]) }
        learn(from: spikes, windowEnd: end)
        record(spikes, observer: observer, recordFrom: recordFrom)
        time = end
    }

    /// Spike-based learning (MODEL.md §5) for the steps that end by the window end, once every
    /// neuron's spikes of the window are known; outside the delivery loop.
    private func learn(from spikes: WindowSpikes, windowEnd end: Double) {
        guard let plasticity = network.plasticity, failure == nil else { return }
        do {
            try plasticity.endWindow(at: end, spikes: spikes, populationOf: network.populationOfNeuron,
                                     offsets: network.populationOffsets)
        } catch let error as SimulationError {
            failure = error
        } catch {
            failure = SimulationError("\(error)", time: end)
        }
    }

    /// Constant-current changes and kernel-current changes (`KernelCurrentSchedule`) up to t, merged
    /// in time order; at equal times the constant ones first.
    /// Every sampler's sample times in [start, end), ascending and distinct.
    private func sampleTimes(from start: Double, before end: Double) -> [Double] {
        if membraneSamplers.isEmpty && posteriorSamplers.isEmpty { return [] }
        var times: [Double] = []
        for interval in membraneSamplers.map(\.interval) + posteriorSamplers.map(\.interval) {
            var k = (start / interval).rounded(.up)
            while k * interval < end { times.append(k * interval); k += 1 }
        }
        return Array(Set(times)).sorted()
    }

    /// Current changes (constant and kernel) and samples before t, merged in time order. At equal
    /// times a change precedes a sample; changes at exactly t are applied too when t is a delivery's
    /// time, since changes precede deliveries, which precede samples.
    private func catchUp(before t: Double, changesAtThatTime: Bool, samples: [Double], index: inout Int,
                         observer: SimulationObserver?) {
        while index < samples.count && samples[index] < t {
            applyBiasChanges(before: samples[index], inclusive: true)
            sample(at: samples[index], observer: observer)
            index += 1
        }
        applyBiasChanges(before: t, inclusive: changesAtThatTime)
    }

    private func applyBiasChanges(before t: Double, inclusive: Bool) {
        let changes = network.biasChanges
        while true {
            let kernelTime = network.kernelCurrents?.nextTime ?? .infinity
            guard nextBiasChange < changes.count, changes[nextBiasChange].time <= kernelTime else {
                guard inclusive ? kernelTime <= t : kernelTime < t else { return }
                network.kernelCurrents?.applyNext(to: network.dynamics)
                continue
            }
            let c = changes[nextBiasChange]
            guard inclusive ? c.time <= t : c.time < t else { return }
            switch network.dynamics[c.population] {
            case .lifDelta(let pop): pop.changeBias(c.range, by: c.deltaCurrent, at: c.time)
            case .lifExp(let pop): pop.changeBias(c.range, by: c.deltaCurrent, at: c.time)
            case .source: break
            }
            nextBiasChange += 1
        }
    }

    private func sample(at t: Double, observer: SimulationObserver?) {
        guard let observer, t >= network.spec.simulation.warmup else { return }
        for s in posteriorSamplers where isMultiple(t, of: s.interval) {
            let projection = network.projections[s.projection]
            guard let bayesian = projection.bayesian else { continue }
            bayesian.bringSynapses(below: s.limit, to: t, rowStart: projection.synapses.rowStart)
            for k in 0..<s.limit {
                let p = bayesian.table.posterior(k)
                observer.posterior(projection: s.projection, synapse: k, time: t, mu: p.mu, sigma2: p.sigma2)
            }
        }
        for s in membraneSamplers where isMultiple(t, of: s.interval) {
            for j in s.range {
                if let v = network.potential(population: s.population, neuron: j, at: t) {
                    observer.membrane(population: s.population, neuron: j, time: t, potential: v)
                }
            }
        }
    }

    private func isMultiple(_ t: Double, of interval: Double) -> Bool {
        (t / interval).rounded() * interval == t
    }

    /// Queues one delivery per spike and delay class, in (time, neuron) order.
    private func queueDeliveries(of spikes: WindowSpikes) {
        spikes.sort()
        counters.spikes += spikes.count
        for k in 0..<spikes.count {
            let g = Int(spikes.neurons[k])
            let p = Int(network.populationOfNeuron[g])
            for (c, cls) in network.delayClasses[p].enumerated() {
                queue.push(SpikeDelivery(time: spikes.times[k] + cls.delay, source: UInt32(g), delayClass: UInt32(c)))
            }
        }
    }

    /// Hands the window's recorded spikes to the observer, sorted by (time, global neuron index).
    private func record(_ spikes: WindowSpikes, observer: SimulationObserver?, recordFrom: Double) {
        defer { spikes.removeAll() }
        guard let observer else { return }
        spikes.sort()
        for k in 0..<spikes.count {
            let t = spikes.times[k]
            guard t >= recordFrom else { continue }
            let g = Int(spikes.neurons[k])
            let p = Int(network.populationOfNeuron[g])
            let local = g - network.populationOffsets[p]
            if recorded[p][local] { observer.spike(population: p, neuron: local, time: t) }
        }
    }

    /// Fans one delivery out to its targets.
    @inline(__always)
    private func deliver(_ d: SpikeDelivery) {
        let g = Int(d.source)
        let p = Int(network.populationOfNeuron[g])
        let local = g - network.populationOffsets[p]
        let t = d.time
        for member in network.delayClasses[p][Int(d.delayClass)].members {
            let projection = network.projections[member.projection]
            let table = projection.synapses
            let range = table.synapses(ofRow: local, for: member)
            if range.isEmpty { continue }
            counters.recurrentEvents += range.count
            if let bayesian = projection.bayesian {
                deliverReleases(bayesian, projection: member.projection, table: table, row: local, range: range, at: t)
                continue
            }
            switch network.dynamics[projection.targetPopulation] {
            case .lifDelta(let pop):
                deliverDelta(table, range, to: pop, at: t)
            case .lifExp(let pop):
                table.targets.withUnsafeBufferPointer { targets in
                    for k in range { pop.receive(Int(targets[k]), weight: table.weight(at: k), at: t) }
                }
            case .source:
                break
            }
        }
    }

    @inline(__always)
    private func deliverDelta(_ table: SynapseTable, _ range: Range<Int>, to pop: LIFDeltaPopulation, at t: Double) {
        table.targets.withUnsafeBufferPointer { targets in
            let slice = UnsafeBufferPointer(rebasing: targets[range])
            if let w = table.uniformWeight {
                pop.deliver(weight: w, at: t, to: slice)
            } else {
                table.weights.withUnsafeBufferPointer { weights in
                    pop.deliver(amplitudes: UnsafeBufferPointer(rebasing: weights[range]), at: t, to: slice)
                }
            }
        }
    }

    /// Bayesian synapses: every synapse releases a fresh sample from its posterior (MODEL.md §3),
    /// which then acts on the target exactly as a static weight would.
    private func deliverReleases(_ bayesian: BayesianProjection, projection q: Int, table: SynapseTable, row: Int,
                                 range: Range<Int>, at t: Double) {
        let amplitudes = bayesian.releaseAmplitudes(row: row, range: range, at: t)
        let target = network.projections[q].targetPopulation
        table.targets.withUnsafeBufferPointer { targets in
            let slice = UnsafeBufferPointer(rebasing: targets[range])
            switch network.dynamics[target] {
            case .lifDelta(let pop):
                pop.deliver(amplitudes: amplitudes, allOfSign: bayesian.releaseSign, at: t, to: slice)
            case .lifExp(let pop):
                for (j, a) in zip(slice, amplitudes) { pop.receive(Int(j), weight: a, at: t) }
            case .source:
                break
            }
        }
        if let limit = releaseLogLimit[q], let observer, range.lowerBound < limit {
            let pre = row
            for (offset, k) in range.enumerated() where k < limit {
                let p = bayesian.releasedPosterior(k, row: row, at: t)
                observer.release(projection: q, synapse: k, pre: pre, post: Int(table.targets[k]), time: t,
                                 amplitude: amplitudes[offset], mu: p.mu, sigma2: p.sigma2)
            }
        }
    }
}
