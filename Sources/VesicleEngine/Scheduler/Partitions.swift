import CVesicleVector
import Dispatch

/// What every partition reads of one window (read-only while they run).
struct WindowWork {
    let deliveries: UnsafeBufferPointer<SpikeDelivery>
    let end: Double
    /// Every sampler's sample times in [start, end), ascending and distinct.
    let sampleTimes: [Double]
    /// An observer takes samples and release logs (without one, nothing is sampled, as before).
    let observed: Bool
    let warmup: Double
    /// The first constant-current change not yet applied.
    let biasStart: Int
    /// Polled every 2^16 deliveries by each partition; true abandons the window (issue 15).
    let interruption: (() -> Bool)?
}

/// The partitions of a run and the one walk each makes through a window (docs/DESIGN.md, The
/// partition). There is one delivery path: one partition walks the window releasing and delivering
/// at once; P partitions walk it twice, first each releasing its own source rows (Bayesian
/// synapses: a row's draws depend only on that row's own spikes in time order, so whichever
/// partition owns it draws the same values), then, after a barrier, each delivering the part of every
/// delivery that targets its own neurons. Either way every neuron receives its inputs, current
/// changes and samples in the one documented order (`Simulator`), through the same arithmetic, so a
/// run is bit for bit the same for any number of partitions.
final class Partitions {
    struct Mode: OptionSet {
        let rawValue: Int
        /// Draw the releases of owned Bayesian rows, log them, take posterior samples.
        static let releases = Mode(rawValue: 1)
        /// Deliver to owned neurons, apply their current changes, sample their membranes, bring them
        /// to the window end.
        static let deliveries = Mode(rawValue: 2)
    }

    let network: Network
    let plan: DeliveryPlan
    let partitions: [Partition]
    let routes: PartitionRouteStorage
    let membraneSamplers: [(population: Int, range: Range<Int>, interval: Double)]
    let posteriorSamplers: [(projection: Int, limit: Int, interval: Double)]
    /// `record weights` of STDP projections: each partition samples the synapses onto its own
    /// neurons, merged by synapse (`Simulator.hand`).
    let weightSamplers: [(projection: Int, limit: Int, interval: Double)]
    /// STDP and short-term plasticity (Plasticity/SynapticDynamics.swift), and per projection its
    /// plastic synapses (empty when the network has none), held unretained (`network` holds them) so
    /// that the delivery loop's read of a member's entry retains and releases nothing.
    let synapticDynamics: SynapticDynamics?
    let plastic: UnsafeMutableBufferPointer<UnownedPlasticSynapses>
    /// Release slot s (delivery i, member m: i * plan.maximumMembers + m) starts at this offset of
    /// its owning partition's `releases`, when the window releases before it delivers.
    private var releaseSlots: UnsafeMutablePointer<Int>
    private var slotCapacity = 0

    /// On rank 0, this window's release-log records and posterior samples of the other ranks' own
    /// synapses of Bayesian projections built in part (`Simulator.exchangeWindow`): one list per
    /// (rank, partition), each in its partition's order; `Simulator.hand` merges them.
    var remoteReleaseLogs: [[ReleaseRecord]] = []
    var remotePosteriorSamples: [[PosteriorSample]] = []

    /// The partitions whose neurons this process walks (all but on ranks: docs/DESIGN.md, Ranks);
    /// every partition releases its Bayesian rows on every rank.
    let local: Range<Int>

    var count: Int { partitions.count }

    init(network: Network, count: Int, local: Range<Int>? = nil, releaseLogLimit: [Int?],
         membraneSamplers: [(population: Int, range: Range<Int>, interval: Double)],
         posteriorSamplers: [(projection: Int, limit: Int, interval: Double)],
         weightSamplers: [(projection: Int, limit: Int, interval: Double)] = []) {
        self.network = network
        self.local = local ?? 0..<count
        self.weightSamplers = weightSamplers
        synapticDynamics = network.synapticDynamics
        let plasticCount = network.synapticDynamics == nil ? 0 : network.projections.count
        plastic = .allocate(capacity: plasticCount)
        for q in 0..<plasticCount { (plastic.baseAddress! + q).initialize(to: UnownedPlasticSynapses(network.projections[q].plastic)) }
        let plan = DeliveryPlan(network: network, partitions: count, local: self.local, releaseLogLimit: releaseLogLimit)
        self.plan = plan
        network.synapticDynamics?.partition(count: count, bounds: DeliveryPlan.bounds(network.populationSizes, partitions: count),
                                            local: self.local, projections: network.projections)
        let longestRow = network.projections.map { t in
            (0..<t.synapses.sourceCount).map { t.synapses.rowStart[$0 + 1] - t.synapses.rowStart[$0] }.max() ?? 0
        }.max() ?? 0
        partitions = (0..<count).map {
            Partition(index: $0, longestRow: longestRow, longestBayesianRow: plan.longestBayesianRow)
        }
        routes = PartitionRouteStorage(outputs: partitions.map(\.output),
                                       bounds: DeliveryPlan.bounds(network.populationSizes, partitions: count))
        self.membraneSamplers = membraneSamplers
        self.posteriorSamplers = posteriorSamplers
        releaseSlots = .allocate(capacity: 1)
        for (p, dynamics) in network.dynamics.enumerated() {
            dynamics.neurons?.install(routes.route(population: p), keeping: routes)
        }
        network.noiseCurrents?.partition(count: count)
    }

    deinit {
        threads?.stop()
        releaseSlots.deallocate()
        plastic.deallocate()
    }

    /// The threads of the local partitions when there are several (`WindowThreads`), made at the
    /// first window.
    private var threads: WindowThreads?

    /// Runs one window on every partition: on the calling thread when there is one, else on one
    /// thread per local partition (`WindowThreads`), or with one local partition of several (an MPI
    /// rank on one thread) its release walks by `concurrentPerform`; it returns when all have
    /// finished (the window's barrier).
    func run(_ work: WindowWork) {
        for partition in partitions { partition.beginWindow() }
        remoteReleaseLogs.removeAll(keepingCapacity: true)
        remotePosteriorSamples.removeAll(keepingCapacity: true)
        if partitions.count == 1 {
            walk(0, work, [.releases, .deliveries])
            return
        }
        if plan.hasBayesian {
            let slots = work.deliveries.count * plan.maximumMembers
            if slots > slotCapacity {
                releaseSlots.deallocate()
                slotCapacity = max(slots, 2 * slotCapacity)
                releaseSlots = .allocate(capacity: slotCapacity)
            }
        }
        if local.count > 1 {
            runOnThreads(work)
            return
        }
        if plan.hasBayesian {
            // The release walks run at once, each partition drawing and relaxing its own rows: a
            // row's draws depend only on its own spikes, and the Bayesian tables are raw memory
            // (`BayesianSynapseTable`), each row written by its owner only. The barrier between the
            // walks makes every release visible to every delivering partition.
            let releasing = Job(partitions: self, work: work)
            DispatchQueue.concurrentPerform(iterations: partitions.count) { k in releasing.run(k, .releases) }
            // An abandoned release walk left release slots unwritten: deliver nothing.
            if partitions.contains(where: \.abandoned) { return }
        }
        let job = Job(partitions: self, work: work)
        let first = local.lowerBound
        DispatchQueue.concurrentPerform(iterations: local.count) { k in job.run(first + k, .deliveries) }
    }

    /// The window on one thread per local partition: thread j releases the rows of partitions j, j + T,
    /// ... (all partitions' on an MPI rank), then, after a barrier that makes every release visible to
    /// every thread, delivers to local partition j's neurons; the same walks as `concurrentPerform`
    /// ran, in one job.
    private func runOnThreads(_ work: WindowWork) {
        if threads == nil { threads = WindowThreads(count: local.count) }
        let threads = self.threads!
        let job = Job(partitions: self, work: work)
        let count = partitions.count, first = local.lowerBound, releases = plan.hasBayesian
        threads.run { j in
            if releases {
                for k in stride(from: j, to: count, by: threads.count) { job.run(k, .releases) }
                threads.barrier.arriveAndWait()
                // An abandoned release walk left release slots unwritten: deliver nothing.
                if job.partitions.partitions.contains(where: \.abandoned) { return }
            }
            job.run(first + j, .deliveries)
        }
    }

    /// One window's walk as the threads share it. @unchecked: they read the network's structure, the
    /// window's work and (after the release barrier) each other's releases, and write only their own
    /// partition, neurons and rows; the simulator touches nothing until `concurrentPerform` returns.
    private struct Job: @unchecked Sendable {
        let partitions: Partitions
        let work: WindowWork
        func run(_ k: Int, _ mode: Mode) { partitions.walk(k, work, mode) }
    }

    /// Partition k's walk through the window in `mode` (the order is `Simulator`'s).
    func walk(_ k: Int, _ work: WindowWork, _ mode: Mode) {
        let partition = partitions[k]
        let plan = self.plan
        let output = partition.output
        let delivers = mode.contains(.deliveries), releases = mode.contains(.releases)
        let biasChanges = network.biasChanges
        let kernel = network.kernelCurrents
        let kernelGroups = delivers ? kernel?.groupCount ?? 0 : 0
        var sample = 0, bias = work.biasStart, group = 0
        let noise = delivers ? network.noiseCurrents : nil
        noise?.beginWindow(partition: k)

        /// Constant-current changes, noise-current steps (Inputs/NoiseCurrents.swift) and
        /// kernel-current changes up to t, merged in time order; at equal times in that order.
        func applyChanges(before t: Double, inclusive: Bool) {
            while true {
                let kernelTime = group < kernelGroups ? kernel!.groupHeader(group).time : .infinity
                if let noise, let step = noise.next(partition: k), step.time <= kernelTime,
                   bias == biasChanges.count || step.time < biasChanges[bias].time {
                    guard inclusive ? step.time <= t : step.time < t else { return }
                    noise.applyNext(input: step.input, partition: k, dynamics: network.dynamics) { plan.partition(k, of: $0) }
                    continue
                }
                guard bias < biasChanges.count, biasChanges[bias].time <= kernelTime else {
                    guard inclusive ? kernelTime <= t : kernelTime < t else { return }
                    let (time, p) = kernel!.groupHeader(group)
                    if let pop = network.dynamics[p].neurons {
                        let owned = plan.partition(k, of: p)
                        kernel!.withGroup(group) { pop.changeInput(neurons: $0, deltas: $1, owned: owned, at: time) }
                    }
                    group += 1
                    continue
                }
                let c = biasChanges[bias]
                guard inclusive ? c.time <= t : c.time < t else { return }
                let owned = plan.partition(k, of: c.population)
                let lo = max(c.range.lowerBound, owned.lowerBound), hi = min(c.range.upperBound, owned.upperBound)
                if lo < hi, let pop = network.dynamics[c.population].neurons {
                    pop.changeInput(lo..<hi, by: c.deltaCurrent, at: c.time)
                }
                bias += 1
            }
        }

        /// Samples before t (each after the changes at its time), then the changes before t (at t too
        /// when t is a delivery's time: changes precede deliveries, which precede samples).
        func catchUp(before t: Double, inclusive: Bool) {
            while sample < work.sampleTimes.count && work.sampleTimes[sample] < t {
                if delivers { applyChanges(before: work.sampleTimes[sample], inclusive: true) }
                takeSamples(sample, partition: partition, work: work, mode: mode)
                sample += 1
            }
            if delivers { applyChanges(before: t, inclusive: inclusive) }
        }

        for i in 0..<work.deliveries.count {
            if i & 0xFFFF == 0xFFFF, let interruption = work.interruption, interruption() {
                partition.abandoned = true
                return
            }
            let d = work.deliveries[i]
            if i + 2 < work.deliveries.count { prefetch(work.deliveries[i + 2], releases: releases, partition: k) }
            if i + 1 < work.deliveries.count { prefetchSynapses(work.deliveries[i + 1], releases: releases, partition: k) }
            catchUp(before: d.time, inclusive: true)
            // Synaptic dynamics: STDP post events due by this delivery go first.
            if delivers { synapticDynamics?.applyPostEvents(through: d.time, partition: k) }
            let (p, row, ownsRow, members) = rows(of: d, releases: releases, partition: k)
            for m in 0..<members.count {
                let member = members.baseAddress! + m
                let synapses = member.pointee.synapses(ofRow: row)
                if synapses.isEmpty {
                    // A rank's part of a row may lack a delay the whole row has; one process's release
                    // of it brings the row up to date, so this rank's does too.
                    if _slowPath(ownsRow && member.pointee.bayesian != nil) { relaxWithoutHeldPart(member, row: row, at: d.time) }
                    continue
                }
                if !plastic.isEmpty, case let dynamics = plastic[member.pointee.projection], dynamics.isPlastic {
                    // Synaptic dynamics: STDP or short-term plasticity (Partitions+SynapticDynamics.swift).
                    if delivers { deliverPlastic(dynamics, member, row: row, synapses, at: d.time, partition: partition, output: output) }
                    continue
                }
                var released: UnsafePointer<Double>?
                if let bayesian = member.pointee.bayesian {
                    if ownsRow {
                        let slot = i * plan.maximumMembers + m
                        let out: UnsafeMutablePointer<Double>
                        if delivers {
                            out = partition.rowReleases
                        } else {
                            let offset = partition.reserveReleases(synapses.count)
                            releaseSlots[slot] = offset
                            out = partition.releases + offset
                        }
                        bayesian._withUnsafeGuaranteedRef { b in
                            _ = b.releaseAmplitudes(row: row, range: synapses, delaySteps: member.pointee.steps, at: d.time, into: out)
                            // The log names the whole build's synapses (a rank's part: `BayesianRowLayout`).
                            let base = b.layout == nil ? 0
                                : b.wholeSynapse(synapses.lowerBound, row: row, part: synapses, slot: b.slot(of: member.pointee.steps))
                                    - synapses.lowerBound
                            if work.observed, let limit = member.pointee.releaseLogLimit, synapses.lowerBound + base < limit {
                                for s in synapses where s + base < limit {
                                    let posterior = b.releasedPosterior(s, row: row, at: d.time)
                                    partition.releaseLog.append(ReleaseRecord(
                                        slot: slot, projection: member.pointee.projection, synapse: s + base, pre: row,
                                        post: Int(member.pointee.targets[s]), time: d.time,
                                        amplitude: out[s - synapses.lowerBound], mu: posterior.mu, sigma2: posterior.sigma2))
                                }
                            }
                        }
                        released = UnsafePointer(out)
                    }
                    guard delivers else { continue }
                    if released == nil {
                        let owner = partitions[plan.owner(of: row, population: p)]
                        released = UnsafePointer(owner.releases + releaseSlots[i * plan.maximumMembers + m])
                    }
                } else if !delivers {
                    continue
                }
                deliver(member, synapses, row: row, released: released, at: d.time, partition: partition, output: output)
            }
            // Simultaneous inputs are summed before the threshold test (docs/MODEL.md §7).
            if !output.heldCrossings.isEmpty && (i + 1 == work.deliveries.count || work.deliveries[i + 1].time != d.time) {
                settleHeldCrossings(at: d.time, output: output)
            }
        }
        catchUp(before: work.end, inclusive: false)
        guard delivers else { return }
        partition.biasCursor = bias
        for (p, dynamics) in network.dynamics.enumerated() {
            dynamics.neurons?.advance(plan.partition(k, of: p), before: work.end, into: output)
        }
    }

    /// A delivery of `row` through Bayesian `member` that holds none of this process's synapses of
    /// the row: a rank's part with `relaxesAtWholeParts` relaxes the row where one process's release
    /// relaxes it (`BayesianProjection.relaxWithoutHeldPart`). Out of line: static members never
    /// call it, and Bayesian ones only for rows without synapses of the delay.
    @inline(never)
    private func relaxWithoutHeldPart(_ member: UnsafeMutablePointer<DeliveryPlan.Member>, row: Int, at t: Double) {
        let bayesian = member.pointee.bayesian!.takeUnretainedValue()
        guard bayesian.relaxesAtWholeParts else { return }
        bayesian.relaxWithoutHeldPart(row: row, delaySteps: member.pointee.steps, at: t)
    }

    /// Where delivery `d`'s synapses are: its source's population and row, whether this walk releases
    /// that row (it releases, and its partition owns the row), and the plan's members of its delay
    /// class. One definition for the walk and its prefetch.
    /// - Complexity: O(1).
    @inline(__always)
    private func rows(of d: SpikeDelivery, releases: Bool, partition k: Int)
        -> (population: Int, row: Int, ownsRow: Bool, members: UnsafeMutableBufferPointer<DeliveryPlan.Member>) {
        let g = Int(d.source)
        let p = Int(plan.populationOfNeuron[g])
        let row = g - plan.populationOffsets[p]
        let owns = releases && (plan.partitionCount == 1 || plan.owner(of: row, population: p) == k)
        return (p, row, owns, plan.members(population: p, delayClass: Int(d.delayClass)))
    }

    /// Asks for the cache lines delivery `d` reads first, two deliveries ahead: its rows' starts and
    /// delay runs and, where this walk releases them, their Bayesian row state. The current
    /// delivery's stream of targets evicts them (row state alone missed at 64 % of `releaseRow`'s
    /// samples, 2026-12-03); a prefetch is a hint and changes no value.
    @inline(__always)
    private func prefetch(_ d: SpikeDelivery, releases: Bool, partition k: Int) {
        let (_, row, owns, members) = rows(of: d, releases: releases, partition: k)
        for m in 0..<members.count {
            let member = members.baseAddress! + m
            vesicle_prefetch(member.pointee.rowStart + row)
            if let runs = member.pointee.runs { vesicle_prefetch(runs + row * member.pointee.runWidth + member.pointee.runIndex) }
            if owns, let bayesian = member.pointee.bayesian {
                bayesian._withUnsafeGuaranteedRef { $0.prefetch(row: row) }
            }
        }
    }

    /// Asks for the first lines of the targets and weights delivery `d` reads, one delivery ahead; its
    /// rows' starts and delay runs were asked for one delivery earlier (`prefetch`), so reading them
    /// here mostly hits. A member's part of a row lies anywhere in its table, so its first target and
    /// weight loads were misses (at full scale a fifth of `lif_exp`'s `receive` samples, perf
    /// 2026-12-07). A hint: no value changes.
    @inline(__always)
    private func prefetchSynapses(_ d: SpikeDelivery, releases: Bool, partition k: Int) {
        let (_, row, _, members) = rows(of: d, releases: releases, partition: k)
        for m in 0..<members.count {
            let member = members.baseAddress! + m
            let first = member.pointee.synapses(ofRow: row).lowerBound
            vesicle_prefetch(member.pointee.targets + first)
            if let weights = member.pointee.weights { vesicle_prefetch(weights + first) }
        }
    }

    /// The part of one member's synapses `synapses` (of one row, at time t) that targets partition k's
    /// neurons; `released`: their Bayesian releases, aligned with `synapses`.
    @inline(__always)
    private func deliver(_ member: UnsafeMutablePointer<DeliveryPlan.Member>, _ synapses: Range<Int>, row: Int,
                         released: UnsafePointer<Double>?, at t: Double, partition: Partition, output: PartitionOutput) {
        let k = partition.index
        guard let pop = member.pointee.population else {
            if k == 0 { output.recurrentEvents &+= synapses.count }
            return
        }
        let targets = member.pointee.targets
        let owned = plan.partition(k, of: member.pointee.targetPopulation)
        if let own = ownedSynapses(member, synapses, ofRow: row, partition: k, owned: owned) {
            let lo = own.lowerBound, hi = own.upperBound
            if lo >= hi { return }
            output.recurrentEvents &+= hi - lo
            let slice = UnsafeBufferPointer(start: targets + lo, count: hi - lo)
            if let released {
                pop.receive(releases: UnsafeBufferPointer(start: released + (lo - synapses.lowerBound), count: hi - lo),
                            allOfSign: member.pointee.releaseSign, at: t, to: slice, into: output)
            } else if let weights = member.pointee.weights {
                pop.receive(weights: UnsafeBufferPointer(start: weights + lo, count: hi - lo), at: t, to: slice, into: output)
            } else {
                pop.receive(weight: member.pointee.uniformWeight, at: t, to: slice, into: output)
            }
            return
        }
        // Rows not sorted by target (fixed_outdegree): this partition's targets gathered in synapse order.
        var n = 0
        let weights = member.pointee.weights
        for s in synapses where owned.contains(Int(targets[s])) {
            partition.gatheredTargets[n] = targets[s]
            if let released { partition.gatheredReleases[n] = released[s - synapses.lowerBound] }
            else if let weights { partition.gatheredWeights[n] = weights[s] }
            n += 1
        }
        if n == 0 { return }
        output.recurrentEvents &+= n
        let slice = UnsafeBufferPointer(start: UnsafePointer(partition.gatheredTargets), count: n)
        if released != nil {
            pop.receive(releases: UnsafeBufferPointer(start: partition.gatheredReleases, count: n),
                        allOfSign: member.pointee.releaseSign, at: t, to: slice, into: output)
        } else if weights != nil {
            pop.receive(weights: UnsafeBufferPointer(start: partition.gatheredWeights, count: n), at: t, to: slice, into: output)
        } else {
            pop.receive(weight: member.pointee.uniformWeight, at: t, to: slice, into: output)
        }
    }

    /// The same for `row`'s synapses `synapses`, read from the member's split table when it has one
    /// (`DeliveryPlan.PartitionSplits`: no bisection, whose probes miss the cache once per row on
    /// several threads), else by bisection; the same range either way.
    @inline(__always)
    func ownedSynapses(_ member: UnsafeMutablePointer<DeliveryPlan.Member>, _ synapses: Range<Int>, ofRow row: Int,
                       partition k: Int, owned: Range<Int>) -> Range<Int>? {
        guard let splits = member.pointee.splits else {
            return ownedSynapses(member, synapses, partition: k, owned: owned)
        }
        let last = plan.partitionCount - 1
        let lo = k == 0 ? synapses.lowerBound : synapses.lowerBound + splits.start(row: row, boundary: k)
        let hi = k == last ? synapses.upperBound : synapses.lowerBound + splits.start(row: row, boundary: k + 1)
        return lo..<max(lo, hi)
    }

    /// The synapses of `synapses` (one member's, one row's) whose targets partition k owns (`owned`),
    /// when they are one contiguous sub-range: rows sorted by target, found by bisection, or every
    /// synapse on one partition. Nil: they must be gathered one by one (`fixed_outdegree`).
    @inline(__always)
    func ownedSynapses(_ member: UnsafeMutablePointer<DeliveryPlan.Member>, _ synapses: Range<Int>, partition k: Int,
                       owned: Range<Int>) -> Range<Int>? {
        let last = plan.partitionCount - 1
        guard member.pointee.sortedByTarget || last == 0 else { return nil }
        let targets = member.pointee.targets
        let lo = k == 0 ? synapses.lowerBound : Self.firstIndex(in: targets, synapses, notBelow: owned.lowerBound)
        let hi = k == last ? synapses.upperBound : Self.firstIndex(in: targets, synapses, notBelow: owned.upperBound)
        return lo..<max(lo, hi)
    }

    /// Partition k's part of sample time `sample`: posterior snapshots of its own rows (releasing
    /// walk), membrane potentials of its own neurons (delivering walk), kept for the simulator to
    /// hand to the observer in (time, sampler, synapse or neuron) order.
    private func takeSamples(_ sample: Int, partition: Partition, work: WindowWork, mode: Mode) {
        let t = work.sampleTimes[sample]
        guard work.observed, t >= work.warmup else { return }
        let k = partition.index
        if mode.contains(.releases) {
            for (s, sampler) in posteriorSamplers.enumerated() where Self.isMultiple(t, of: sampler.interval) {
                let projection = network.projections[sampler.projection]
                guard let bayesian = projection.bayesian else { continue }
                let rowStart = projection.synapses.rowStart
                let rows = plan.partition(k, of: projection.sourcePopulation)
                bayesian.bringSynapses(below: sampler.limit, rows: rows, to: t, rowStart: rowStart)
                if let layout = bayesian.layout {
                    // A rank's part: its own synapses of each row, named by their whole build's index.
                    var row = rows.lowerBound
                    while row < min(rows.upperBound, bayesian.rowCount) && layout.wholeRowStart[row] < sampler.limit {
                        bayesian.forEachSynapse(ofRow: row, in: projection.synapses) { held, whole in
                            guard whole < sampler.limit else { return }
                            let p = bayesian.table.posterior(held)
                            partition.posteriorSamples.append(PosteriorSample(sample: sample, sampler: s, synapse: whole,
                                                                              mu: p.mu, sigma2: p.sigma2))
                        }
                        row += 1
                    }
                    continue
                }
                let first = rowStart[min(rows.lowerBound, rowStart.count - 1)]
                let end = min(sampler.limit, rowStart[min(rows.upperBound, rowStart.count - 1)])
                if first >= end { continue }
                for synapse in first..<end {
                    let p = bayesian.table.posterior(synapse)
                    partition.posteriorSamples.append(PosteriorSample(sample: sample, sampler: s, synapse: synapse,
                                                                      mu: p.mu, sigma2: p.sigma2))
                }
            }
        }
        if mode.contains(.deliveries) {
            for (s, sampler) in weightSamplers.enumerated() where Self.isMultiple(t, of: sampler.interval) {
                // Synaptic dynamics: post events due by t first, then each synapse brought up to date.
                synapticDynamics?.applyPostEvents(through: t, partition: k)
                let owned = plan.partition(k, of: network.projections[sampler.projection].targetPopulation)
                let table = network.projections[sampler.projection].synapses
                for synapse in 0..<sampler.limit where owned.contains(Int(table.targets[synapse])) {
                    if let w = network.stdpWeight(projection: sampler.projection, synapse: synapse) {
                        partition.weightSamples.append(WeightSample(sample: sample, sampler: s, synapse: synapse, weight: w))
                    }
                }
            }
            for (s, sampler) in membraneSamplers.enumerated() where Self.isMultiple(t, of: sampler.interval) {
                guard let pop = network.dynamics[sampler.population].neurons else { continue }
                let owned = plan.partition(k, of: sampler.population)
                let lo = max(sampler.range.lowerBound, owned.lowerBound), hi = min(sampler.range.upperBound, owned.upperBound)
                if lo >= hi { continue }
                for j in lo..<hi {
                    partition.membraneSamples.append(MembraneSample(sample: sample, sampler: s, neuron: j,
                                                                    potential: pop.membranePotential(j, at: t)))
                }
            }
        }
    }

    static func isMultiple(_ t: Double, of interval: Double) -> Bool {
        (t / interval).rounded() * interval == t
    }

    /// The first index of `range` (targets ascending in it) whose target is at least `bound`.
    @inline(__always)
    static func firstIndex(in targets: UnsafePointer<UInt32>, _ range: Range<Int>, notBelow bound: Int) -> Int {
        var a = range.lowerBound, b = range.upperBound
        while a < b {
            let m = (a + b) >> 1
            if Int(targets[m]) < bound { a = m + 1 } else { b = m }
        }
        return a
    }
}
