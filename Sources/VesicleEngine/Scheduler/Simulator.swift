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

/// Drives a built network through time (docs/DESIGN.md, One scheduler; The partition).
///
/// Time advances in windows no longer than the minimum delay D from any neuron whose spikes the
/// simulation computes. No spike emitted in a window can arrive inside it, so within a window every
/// neuron can be integrated independently and exactly; the window boundaries are where spikes are
/// queued and where the partitions synchronise (threads in one process now, ranks later).
///
/// The simulator drives partitions (`Partitions`): with `threads` = P, partition k owns neurons
/// n k / P ..< n (k + 1) / P of every population of n neurons, their share of every delivery,
/// drive, current change and membrane sampler, and the Bayesian rows of the source neurons it owns
/// (releases, release log, posterior samples). One thread is one partition; the path is the same.
///
/// Within a window, happenings are processed in this documented order:
/// 1. source spikes (Poisson and spike-time sources) with emission < window end are queued;
/// 2. queued deliveries with arrival < window end, together with bias changes and membrane samples,
///    in order of time; at equal times a bias change precedes a noise-current step
///    (`NoiseCurrents`, by input order), which precedes a kernel-current change
///    (`KernelCurrentSchedule`), which precedes deliveries, which precede samples;
///    deliveries are ordered by (time, source index, delay class) and within one by synapse order;
///    a Bayesian row releases at each delivery of it, in that order;
/// 3. before any input at time t, the target is brought forward through its own Poisson arrivals and
///    drift crossings strictly before t;
/// 4. at the window end every neuron is brought forward to it (an idle one only lazily: docs/DESIGN.md, Lazy state);
/// 5. inputs that reach a neuron at the same time are summed before its threshold is tested
///    (docs/MODEL.md §7, `Partitions+SimultaneousInputs.swift`).
/// What the observer receives is merged in that order whatever the partitioning: releases by
/// (delivery, member, synapse), posterior samples by (time, sampler, synapse), membrane samples by
/// (time, sampler, neuron), spikes by (time, global neuron index).
public final class Simulator {
    public let network: Network
    public internal(set) var counters = SimulationCounters()
    public internal(set) var time: Double = 0
    /// Why the run stopped before its end, if something in it failed (a posterior that left its
    /// domain, docs/MODEL.md §5); the run stops at the window boundary where it happened.
    public private(set) var failure: SimulationError?
    var queue: any EventQueue
    let window: Double
    var recorded: [[Bool]]
    /// Per projection: log releases of synapses below this index (nil: not logged).
    var releaseLogLimit: [Int?]
    weak var observer: SimulationObserver?
    var nextBiasChange = 0
    var deliveries: [SpikeDelivery] = []
    let sourceSpikes = WindowSpikes()
    /// The partitions the windows run on.
    let partitions: Partitions
    /// Why a run asked to use several threads uses one (nil otherwise).
    public private(set) var parallelRefusal: String?
    /// The number of threads (partitions) the windows run on in this process.
    public var threadCount: Int { partitions.local.count }
    /// The other ranks of a run on several (nil: one process; docs/DESIGN.md, Ranks).
    let exchange: (any SpikeExchange)?
    /// Some rank asked to stop at the end of the last window exchanged (`SpikeExchange.exchange`).
    public internal(set) var agreedStop = false
    /// Drive arrivals this rank counted before its partitions existed in populations that hold only
    /// its own neurons (`Simulator+Ranks.swift`): its own, added to the sum over ranks at the end of `run`.
    var ownArrivalsBeforePartitions = 0
    /// The event counts when the current `run` started (on ranks each rank's counts since then are
    /// its own: a checkpoint inside `run` sums them, `Simulator+Checkpoint.swift`).
    var runStartCounts = (recurrent: 0, external: 0)

    /// Window length when no simulated neuron has outgoing synapses, ms.
    static let defaultWindow = 1.0

    /// `threads` > 1 runs each window on that many partitions, one thread each, unless a population
    /// refuses (`NeuronPopulation.partitionRefusal`; then `parallelRefusal` says why); the results are
    /// the same either way.
    ///
    /// With an `exchange` of R > 1 ranks the network runs on R `threads` partitions, of which this
    /// rank walks its own T (docs/DESIGN.md, Ranks); `rankRefusal(network)` must be nil.
    public init(network: Network, queue kind: EventQueueKind = .binaryHeap, threads: Int = 1,
                exchange: (any SpikeExchange)? = nil) {
        self.network = network
        let ranks = exchange?.rankCount ?? 1
        self.exchange = ranks > 1 ? exchange : nil
        // Synaptic dynamics: STDP needs every post spike known 2d before it acts (`STDPProjection`).
        window = min(network.minimumDelay ?? Self.defaultWindow, network.synapticDynamics?.windowLimit ?? .infinity)
        switch kind {
        case .binaryHeap: queue = BinaryHeapQueue()
        case .collectionsHeap: queue = CollectionsHeapQueue()
        case .calendar: queue = CalendarQueue(origin: 0, width: network.minimumDelay ?? 1.0)
        }
        recorded = network.populationSizes.map { Array(repeating: false, count: $0) }
        var releaseLogLimit = [Int?](repeating: nil, count: network.projections.count)
        var posteriorSamplers: [(projection: Int, limit: Int, interval: Double)] = []
        var membraneSamplers: [(population: Int, range: Range<Int>, interval: Double)] = []
        var weightSamplers: [(projection: Int, limit: Int, interval: Double)] = []
        for rec in network.spec.recordings {
            switch rec.kind {
            case .releases(let name, let limit):
                if let q = network.projections.firstIndex(where: { $0.name == name }), network.projections[q].isBayesian {
                    releaseLogLimit[q] = limit ?? Int.max
                }
            case .posterior(let name, let interval, let limit):
                if let q = network.projections.firstIndex(where: { $0.name == name }), network.projections[q].isBayesian {
                    posteriorSamplers.append((q, min(limit ?? Int.max, network.projections[q].bayesian!.wholeSynapseCount), interval))
                }
            case .weights(let name, let interval, let limit):
                if let q = network.projections.firstIndex(where: { $0.name == name }),
                   case .stdp? = network.projections[q].plastic {
                    weightSamplers.append((q, min(limit ?? Int.max, network.projections[q].synapses.synapseCount), interval))
                }
            default:
                break
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
        self.releaseLogLimit = releaseLogLimit
        var count = max(threads, 1)
        precondition(ranks == 1 || Self.rankRefusal(network) == nil, "a network that cannot run on ranks")
        if count > 1, ranks == 1, let refusal = network.dynamics.lazy.compactMap({ $0.neurons?.partitionRefusal }).first {
            parallelRefusal = refusal
            count = 1
        }
        // Drive arrivals already counted where the populations put them before any partition
        // existed (a neuron that starts above threshold fires at time 0 and drops its refractory
        // arrivals).
        for case .neurons(let pop) in network.dynamics {
            for k in 0..<pop.route.partitionCount {
                let output = pop.route.outputs[k].takeUnretainedValue()
                if ranks > 1 && pop.holdsOnlyOwnedNeurons {
                    ownArrivalsBeforePartitions += output.driveArrivals
                } else {
                    counters.externalEvents += output.driveArrivals
                }
                output.driveArrivals = 0
            }
        }
        let rank = self.exchange?.rank ?? 0
        // A network built in part holds only its own partitions' incoming synapses (`NetworkPart`).
        precondition(network.part.map { $0.partitionCount == count * ranks && $0.partitions == rank * count..<(rank + 1) * count } ?? true,
                     "a network built in part runs only its own partitions")
        partitions = Partitions(network: network, count: count * ranks, local: rank * count..<(rank + 1) * count,
                                releaseLogLimit: releaseLogLimit,
                                membraneSamplers: membraneSamplers, posteriorSamplers: posteriorSamplers,
                                weightSamplers: weightSamplers)
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
        // On ranks the counts so far are the run's (every rank holds the same); each rank adds its own.
        runStartCounts = (counters.recurrentEvents, counters.externalEvents)
        let startCounts = runStartCounts
        // Invariant at the top of every iteration: every neuron of every partition has been brought
        // to `time` exactly (nothing before it is pending); every spike emitted before `time` is
        // recorded and its deliveries are queued; every delivery still queued arrives at or after
        // `time`; the posteriors, generators and learners are those of `time`. A window [time,
        // time + D) can then run on each partition independently.
        while time < stopTime {
            let windowEnd = min(time + window, stopTime)
            step(to: windowEnd, observer: observer, recordFrom: recordFrom, shouldStop: shouldStop)
            if windowAbandoned { break }  // `interruption` (issue 15)
            counters.windows += 1
            progress?(time)
            // On ranks the stop was agreed at the window's exchange, so all stop here together.
            if (exchange == nil ? shouldStop() : agreedStop) || failure != nil { break }
        }
        if let exchange {
            // Each rank counted its own neurons' events: the run's counts are their sums.
            // A population that every rank builds whole was counted alike by all before the
            // partitions; one that holds only each rank's own neurons, by each for its own.
            let sums = exchange.sum([counters.recurrentEvents - startCounts.0,
                                     counters.externalEvents - startCounts.1 + ownArrivalsBeforePartitions])
            ownArrivalsBeforePartitions = 0
            (counters.recurrentEvents, counters.externalEvents) = (startCounts.0 + sums[0], startCounts.1 + sums[1])
            runStartCounts = (counters.recurrentEvents, counters.externalEvents)
        }
        counters.simulatedTime = time
        counters.kernelEvents = network.kernelSynapticEvents
        network.kernelCurrents?.logReleases(limits: releaseLogLimit, observer: nil)
    }

    private func step(to end: Double, observer: SimulationObserver?, recordFrom: Double, shouldStop: () -> Bool) {
        let spikes = network.spikes
        // 1. Sources emit for the whole window; their deliveries are queued before any is popped.
        sourceSpikes.removeAll()
        for case .source(let source) in network.dynamics { source.emit(before: end, into: sourceSpikes) }
        queueDeliveries(of: sourceSpikes)
        network.kernelCurrents?.beginWindow(end: end, sourceSpikes: sourceSpikes)

        // 2-4 on the partitions: deliveries, current changes and samples in time order, then every
        // neuron to the window end.
        deliveries.removeAll(keepingCapacity: true)
        queue.popAll(before: end, into: &deliveries)
        let sampleTimes = self.sampleTimes(from: time, before: end)
        deliveries.withUnsafeBufferPointer { window in
            // On ranks every rank samples as if observed, so each does the same work on the rows all
            // of them release, and a stop is only taken at a window's end, agreed (`SpikeExchange`).
            partitions.run(WindowWork(deliveries: window, end: end, sampleTimes: sampleTimes,
                                      observed: observer != nil || exchange != nil,
                                      warmup: network.spec.simulation.warmup, biasStart: nextBiasChange,
                                      interruption: exchange == nil ? interruption : nil))
        }
        // A stop request inside the window (issue 15): the window is dropped whole, its spikes
        // are not recorded, and `run` ends at the window's start.
        if partitions.partitions.contains(where: \.abandoned) { windowAbandoned = true; return }
        nextBiasChange = partitions.partitions[partitions.local.lowerBound].biasCursor
        network.noiseCurrents?.endWindow(from: partitions.local.lowerBound)
        for partition in partitions.partitions {
            let output = partition.output
            for k in 0..<output.spikes.count {
                spikes.append(time: output.spikes.times[k], neuron: output.spikes.neurons[k])
            }
            output.spikes.removeAll()
            counters.recurrentEvents += output.recurrentEvents
            counters.externalEvents += output.driveArrivals
            output.recurrentEvents = 0
            output.driveArrivals = 0
        }
        if let exchange { exchangeWindow(exchange, spikes: spikes, sampleCount: sampleTimes.count, shouldStop: shouldStop) }
        for case .neurons(let pop) in network.dynamics { pop.endWindow(at: end) }
        if let observer { hand(sampleCount: sampleTimes.count, times: sampleTimes, to: observer) }
        finishWindow(at: end, spikes: spikes, observer: observer, recordFrom: recordFrom)
    }

    /// The window's spikes are queued, learned from and recorded; time moves to the window end.
    private func finishWindow(at end: Double, spikes: WindowSpikes, observer: SimulationObserver?, recordFrom: Double) {
        queueDeliveries(of: spikes)
        // Synaptic dynamics: the window's spikes become STDP post events.
        network.synapticDynamics?.endWindow(at: end, spikes: spikes, populationOf: network.populationOfNeuron,
                                            offsets: network.populationOffsets)
        network.kernelCurrents?.endWindow(networkSpikes: spikes)
        for k in 0..<sourceSpikes.count { spikes.append(time: sourceSpikes.times[k], neuron: sourceSpikes.neurons[k]) }
        learn(from: spikes, windowEnd: end)
        record(spikes, observer: observer, recordFrom: recordFrom)
        time = end
    }

    /// Spike-based learning (docs/MODEL.md §5) for the steps that end by the window end, once every
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

    /// Every sampler's sample times in [start, end), ascending and distinct.
    private func sampleTimes(from start: Double, before end: Double) -> [Double] {
        let intervals = partitions.membraneSamplers.map(\.interval) + partitions.posteriorSamplers.map(\.interval)
            + partitions.weightSamplers.map(\.interval)
        if intervals.isEmpty { return [] }
        var times: [Double] = []
        for interval in intervals {
            // Sample k is at exactly k * interval (no accumulated sum). The first k of a window is
            // chosen by the same product the previous window compared with its end: the quotient
            // start / interval can round across an integer (0.30000000000000004 / 0.1 > 3), which
            // dropped the sample where two windows meet.
            var k = (start / interval).rounded(.up)
            while k > 0, (k - 1) * interval >= start { k -= 1 }
            while k * interval < start { k += 1 }
            while k * interval < end { times.append(k * interval); k += 1 }
        }
        return Array(Set(times)).sorted()
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
}
