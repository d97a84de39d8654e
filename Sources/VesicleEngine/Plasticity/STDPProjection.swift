import Foundation
import VesicleModel

/// The postsynaptic side of one STDP projection for one target neuron: its trace K- and its recent
/// spikes as the projection's synapses see them (`STDPProjection`).
struct STDPPostState {
    /// K- on the scaled clock, sum over post events S of e^((S - epoch)/tau_minus) (all-to-all), or
    /// that of the last one alone (nearest), including the last post event.
    var trace: Double = 0
    /// The same before the last post event: what a presynaptic spike at exactly that synapse time
    /// sees (NEST's "strictly before").
    var traceBefore: Double = 0
    /// Queue time (S + d) of the last post event, -infinity before any.
    var lastEvent: Double = -.infinity
    /// Post events so far (wrapping), and the index of the oldest one the history still holds.
    var count: UInt32 = 0
    var base: UInt32 = 0
    /// The last four history entries again (entry i at slot i mod 4), so that a delivery whose synapse
    /// has at most four post events pending reads them from this line rather than from the ring:
    /// one cache line per target instead of two.
    var recent: (Double, Double, Double, Double) = (0, 0, 0, 0)

    static let recentCount: UInt32 = 4
}

extension UnsafeMutablePointer where Pointee == STDPPostState {
    /// Slot i mod 4 of `recent`.
    @inline(__always)
    func recentEntry(_ i: UInt32) -> UnsafeMutablePointer<Double> {
        (UnsafeMutableRawPointer(self) + MemoryLayout<STDPPostState>.offset(of: \STDPPostState.recent)!)
            .assumingMemoryBound(to: Double.self) + Int(i & 3)
    }
}

/// Pair-based STDP on one projection (`STDPSynapseSpec`, NEST's `stdp_synapse` and
/// `stdp_nn_symm_synapse`), evaluated at the engine's exact spike times.
///
/// Timing (NEST's convention: the whole delay d is dendritic): a presynaptic spike emitted at t_pre is
/// at the synapse at t_pre and its PSP reaches the soma at t_pre + d; a postsynaptic spike at t_post is
/// at the synapse at S = t_post + d. At each synapse the events are applied in synapse-time order:
/// a post event facilitates with K+(S-) (presynaptic spikes strictly before S), a pre event first
/// takes every post event up to t_pre (ties: facilitation first), then depresses with K-(t_pre-)
/// (post events strictly before t_pre), and transmits the new weight.
///
/// How it is scheduled without reading the future: everything a delivery at T = t_pre + d needs is
/// at synapse times <= t_pre = T - d, i.e. post spikes at or before T - 2d, older than the window
/// (windows are at most the minimum delay long). Post spikes are queued here at the end of their
/// window and applied at queue time S + d, merged with the deliveries in time order (post events
/// first at equal times), so when a delivery runs, each target's trace and history hold exactly the
/// post events with S <= t_pre.
///
/// Per synapse the facilitation is lazy, as in NEST: each synapse keeps a cursor into its target's
/// recent post events and applies the ones it has not seen at its next presynaptic spike, one by
/// one in order (the multiplicative rule is not additive in w). The history per target is a ring of
/// `capacity` entries; when it fills, every synapse onto that target is brought up to date first
/// (`sweep`), which is exact: a synapse with pending entries has had no presynaptic spike since
/// them, and any later one comes after them in synapse time.
///
/// Both traces are kept on a scaled clock, so that no exponential is taken per synapse: the row's
/// K+ is P e^(-(t - epoch)/tau_plus) with P = sum e^((t_i - epoch)/tau_plus), a history entry keeps
/// e^(-(S - epoch)/tau_plus), and K+(S) is their product; K- likewise. The epoch moves forward every
/// `rebaseSpan` so that the factors stay within range.
///
/// Cost: per delivered synapse O(1 + post events since the row's last spike); per post spike and
/// projection O(1) plus an amortised in-degree / `capacity` for the sweeps.
final class STDPProjection {
    let name: String
    /// Index in `Network.projections`.
    let projection: Int
    let sourcePopulation: Int
    let targetPopulation: Int
    let spec: STDPSynapseSpec
    let delay: Double
    let synapseCount: Int
    let targetCount: Int
    let sourceCount: Int
    /// The exact weights (mV or pA), by synapse id (the projection's `SynapseTable` order).
    let weights: UnsafeMutablePointer<Double>
    /// Post events of the synapse's target already applied to it, modulo 256: a synapse is never
    /// more than `capacity` (64) behind (the sweeps), so the low byte of the count determines how
    /// many are pending, and one byte per synapse is what the delivery loop reads and writes.
    let cursor: UnsafeMutablePointer<UInt8>
    /// Per partition and presynaptic neuron: P, the scaled K+ (see the type's comment), partition k's
    /// copy at `preTrace + k * sourceCount` (`partition(count:targetBounds:)`).
    /// (Set only by `partition`, outside any walk: no dynamic exclusivity check on the hot reads.)
    @exclusivity(unchecked) private(set) var preTrace: UnsafeMutablePointer<Double>
    let post: UnsafeMutablePointer<STDPPostState>
    /// Per target neuron, `capacity` entries e^(-(S - epoch)/tau_plus).
    let history: UnsafeMutablePointer<Double>
    static let capacity = 64
    private let mask = UInt32(STDPProjection.capacity - 1)
    let targets: UnsafeMutablePointer<UInt32>
    /// Synapses of row r are rowStart[r] ..< rowStart[r + 1] (the table's).
    let rowStart: [Int]
    let incoming: IncomingSynapseIndex
    /// Internal setters: `STDPProjection+Checkpoint.swift` restores them.
    var epoch = 0.0
    let inverseTauPlus: Double
    let inverseTauMinus: Double
    let allToAll: Bool
    let rebaseSpan: Double
    /// Per partition: the post events of its targets waiting for their queue time S + d.
    /// (Each partition touches only its own queue, from its own walk: no dynamic exclusivity check.)
    @exclusivity(unchecked) private(set) var pending: [PostEventQueue] = [PostEventQueue()]
    /// Partition k owns targets targetBounds[k] ..< targetBounds[k + 1] (one partition until
    /// `partition(count:targetBounds:)`).
    @exclusivity(unchecked) private(set) var targetBounds: [Int]
    var partitionCount: Int { pending.count }
    /// The partitions this process runs (all but on ranks); post events of others are not kept.
    @exclusivity(unchecked) private(set) var localPartitions = 0..<1
    /// Synapses swept (brought up to date for a full history ring), for the cost figures: the count
    /// before the partitioning (or a restored checkpoint's, `sweptAtRestore`, which on an MPI rank
    /// other than 0 is left out of its share) and each partition's since; on a rank, its own
    /// targets' sweeps. Partitions sweep concurrently, so each counts in its own cache line
    /// (`sweptByPartition`, entry k * 8): one shared count lost increments on several threads.
    var sweptSynapses: Int {
        var total = sweptBefore
        for k in 0..<partitionCount { total += sweptByPartition[k * 8] }
        return total
    }
    private var sweptBefore = 0
    @exclusivity(unchecked) private var sweptByPartition: UnsafeMutablePointer<Int>
    private(set) var sweptAtRestore = 0

    /// Sets the sweep count to a checkpoint's.
    func restoreSweptCount(_ count: Int) {
        for k in 0..<partitionCount { sweptByPartition[k * 8] = 0 }
        sweptBefore = count
        sweptAtRestore = count
    }

    init(name: String, projection: Int, sourcePopulation: Int, targetPopulation: Int, spec: STDPSynapseSpec,
         synapses table: SynapseTable, delay: Double, targetCount: Int, initialWeights: [Double]) {
        self.name = name
        self.projection = projection
        self.sourcePopulation = sourcePopulation
        self.targetPopulation = targetPopulation
        self.spec = spec
        self.delay = delay
        synapseCount = table.synapseCount
        self.targetCount = targetCount
        sourceCount = table.sourceCount
        inverseTauPlus = 1 / spec.tauPlus
        inverseTauMinus = 1 / spec.tauMinus
        allToAll = spec.pairing == .allToAll
        rebaseSpan = 16 * min(spec.tauPlus, spec.tauMinus)
        constants = Constants(wMax: spec.wMax, inverseWMax: 1 / spec.wMax, lambda: spec.lambda,
                              alphaLambda: spec.alpha * spec.lambda, muPlus: spec.muPlus, muMinus: spec.muMinus)
        weights = .allocate(capacity: max(synapseCount, 1))
        weights.initialize(from: initialWeights, count: synapseCount)
        cursor = .allocate(capacity: max(synapseCount, 1))
        cursor.initialize(repeating: 0, count: max(synapseCount, 1))
        targets = .allocate(capacity: max(synapseCount, 1))
        targets.initialize(from: table.targets, count: synapseCount)
        rowStart = table.rowStart
        preTrace = .allocate(capacity: max(sourceCount, 1))
        preTrace.initialize(repeating: 0, count: max(sourceCount, 1))
        targetBounds = [0, targetCount]
        // One 64-byte line per target.
        post = UnsafeMutableRawPointer.allocate(byteCount: max(targetCount, 1) * MemoryLayout<STDPPostState>.stride, alignment: 64)
            .bindMemory(to: STDPPostState.self, capacity: max(targetCount, 1))
        post.initialize(repeating: STDPPostState(), count: max(targetCount, 1))
        history = .allocate(capacity: max(targetCount, 1) * Self.capacity)
        history.initialize(repeating: 0, count: max(targetCount, 1) * Self.capacity)
        incoming = IncomingSynapseIndex(table, targetCount: targetCount)
        sweptByPartition = .allocate(capacity: 8)
        sweptByPartition.initialize(repeating: 0, count: 8)
    }

    deinit {
        weights.deallocate()
        cursor.deallocate()
        targets.deallocate()
        preTrace.deallocate()
        post.deinitialize(count: max(targetCount, 1))
        UnsafeMutableRawPointer(post).deallocate()
        history.deallocate()
        sweptByPartition.deallocate()
    }

    /// Bytes per plastic synapse: weight, cursor, and the transpose index used by the sweeps.
    static let bytesPerSynapse = 8 + 1 + IncomingSynapseIndex.bytesPerSynapse

    // MARK: The rule (NEST's facilitate and depress, on w / Wmax)

    let constants: Constants

    @inline(__always)
    func facilitate(_ w: Double, _ kPlus: Double) -> Double { constants.facilitate(w, kPlus) }

    // MARK: Presynaptic spikes

    /// The rule's constants as plain values: the delivery loop writes through pointers, which the
    /// compiler must assume may alias the object's stored properties, so they are read once here.
    struct Constants {
        let wMax: Double
        let inverseWMax: Double
        let lambda: Double
        let alphaLambda: Double
        let muPlus: Double
        let muMinus: Double

        @inline(__always)
        func power(_ x: Double, _ mu: Double) -> Double {
            if mu == 1 { return x }
            if mu == 0 { return 1 }
            return pow(x, mu)
        }

        @inline(__always)
        func facilitate(_ w: Double, _ kPlus: Double) -> Double {
            let v = w * inverseWMax
            let next = v + lambda * power(1 - v, muPlus) * kPlus
            return next < 1 ? next * wMax : wMax
        }

        @inline(__always)
        func depress(_ w: Double, _ kMinus: Double) -> Double {
            let v = w * inverseWMax
            let next = v - alphaLambda * power(v, muMinus) * kMinus
            return next > 0 ? next * wMax : 0
        }

        /// The same with the exponents fixed by type (`STDPExponent`), for the delivery loop: the
        /// same operations on the same values as `facilitate` and `depress`, without the tests of mu.
        /// The bound is taken before the scaling, min(next, 1) * Wmax (a minimum and a product, not
        /// a product, a comparison and a blend): the same bits, since next < 1 gives next * Wmax
        /// either way and otherwise 1 * Wmax is Wmax exactly (a NaN next, which finite traces never
        /// give, also gives Wmax both ways: the comparison fails).
        @inline(__always)
        func facilitate<Plus: STDPExponent>(_ w: Double, _ kPlus: Double, _: Plus.Type) -> Double {
            let v = w * inverseWMax
            let next = v + lambda * Plus.power(1 - v, muPlus) * kPlus
            return (next < 1 ? next : 1) * wMax
        }

        @inline(__always)
        func depress<Minus: STDPExponent>(_ w: Double, _ kMinus: Double, _: Minus.Type) -> Double {
            let v = w * inverseWMax
            let next = v - alphaLambda * Minus.power(v, muMinus) * kMinus
            return next > 0 ? next * wMax : 0
        }
    }

    /// The delivery at time T of row `row`'s spike (emitted at T - d) to partition `partition`'s
    /// part of it, `range` (synapses whose targets it owns): each synapse takes its pending post
    /// events, then the depression, and the new weights are returned for the PSPs.
    ///
    /// Each partition keeps its own copy of the row's K+ (P): every partition holding a synapse of the
    /// row takes every spike of the row (one delay per projection), so the copies are updated by the
    /// same operations in the same order and are equal; a partition without one never reads it.
    /// - Complexity: O(range.count + post events the synapses had not yet seen).
    @inline(__always)
    func deliver(row: Int, range: Range<Int>, at T: Double, partition: Int) -> UnsafeBufferPointer<Double> {
        let tPre = T - delay
        let traces = preTrace + partition &* sourceCount
        let p = traces[row]
        let delivery = self.delivery(at: T, p: p, tPre: tPre)
        delivery.update(range)
        let own = exp((tPre - epoch) * inverseTauPlus)
        traces[row] = allToAll ? p + own : own
        return UnsafeBufferPointer(start: weights + range.lowerBound, count: range.count)
    }

    /// The same with the synapses' updates left to `transmit`, which updates each synapse of
    /// `range` in order (`Delivery.update`) as it delivers its PSP (`NeuronPopulation.receive(stdp:)`):
    /// one pass over the row instead of an update pass and a delivery pass. The row's K+ moves after.
    /// - Complexity: O(1) plus `transmit`'s.
    @inline(__always)
    func deliver(row: Int, at T: Double, partition: Int, transmit: (Delivery) -> Void) {
        let tPre = T - delay
        let traces = preTrace + partition &* sourceCount
        let p = traces[row]
        transmit(self.delivery(at: T, p: p, tPre: tPre))
        let own = exp((tPre - epoch) * inverseTauPlus)
        traces[row] = allToAll ? p + own : own
    }

    /// The same for rows whose targets do not ascend (`fixed_outdegree`): the synapses of `range`
    /// whose targets lie in `owned`, their targets and new weights written to `targetsOut` and
    /// `weightsOut` in synapse order. Returns how many.
    /// - Complexity: O(range.count + post events the owned synapses had not yet seen).
    func deliver(row: Int, range: Range<Int>, owned: Range<Int>, at T: Double, partition: Int,
                 targetsOut: UnsafeMutablePointer<UInt32>, weightsOut: UnsafeMutablePointer<Double>) -> Int {
        let tPre = T - delay
        let traces = preTrace + partition &* sourceCount
        let p = traces[row]
        let delivery = self.delivery(at: T, p: p, tPre: tPre)
        var n = 0
        for k in range where owned.contains(Int(targets[k])) {
            targetsOut[n] = targets[k]
            weightsOut[n] = delivery.update(k, STDPAnyExponent.self, STDPAnyExponent.self)
            n += 1
        }
        if n > 0 {
            let own = exp((tPre - epoch) * inverseTauPlus)
            traces[row] = allToAll ? p + own : own
        }
        return n
    }

    /// What the delivery loop reads, as plain values: the loop writes through pointers, which the
    /// compiler must assume may alias the object's stored properties, so they are read once per row.
    struct Delivery {
        let weights: UnsafeMutablePointer<Double>
        let cursor: UnsafeMutablePointer<UInt8>
        let post: UnsafeMutablePointer<STDPPostState>
        let targets: UnsafeMutablePointer<UInt32>
        let history: UnsafeMutablePointer<Double>
        let mask: UInt32
        let rule: Constants
        let T: Double
        /// The row's P.
        let p: Double
        /// e^(-(t_pre - epoch)/tau_minus).
        let depressionScale: Double
        /// `STDPPendingMasks.values`, read once per row.
        let pendingMasks: UnsafePointer<UInt64>

        /// Synapses `range` updated in order, the loop specialised for the rule's exponents.
        @inline(__always)
        func update(_ range: Range<Int>) {
            switch (rule.muPlus, rule.muMinus) {
            case (1, 1): for k in range { _ = update(k, STDPExponentOne.self, STDPExponentOne.self) }
            case (0, 0): for k in range { _ = update(k, STDPExponentZero.self, STDPExponentZero.self) }
            default: for k in range { _ = update(k, STDPAnyExponent.self, STDPAnyExponent.self) }
            }
        }

        /// Synapse k: its pending facilitations in order, then the depression by K-(t_pre-); returns
        /// (and stores) the new weight. `Plus` and `Minus` are mu_plus's and mu_minus's `STDPExponent`.
        @inline(__always)
        func update<Plus: STDPExponent, Minus: STDPExponent>(_ k: Int, _ plus: Plus.Type, _ minus: Minus.Type) -> Double {
            update(k, target: Int(targets[k]), plus, minus)
        }

        /// The same with the synapse's target j given (the caller's copy of `targets[k]`, so that a
        /// loop reading the row's targets for the PSPs does not read them a second time here).
        ///
        /// Without a branch on how many post events are pending when there are at most two (about
        /// 7 in 8 deliveries when pre and post rates are equal; the count is as likely 0 as not, so a
        /// branch on it mispredicts at random, and it waits on the target's post-state line): both
        /// candidate facilitations, by the entries n - 2 and n - 1, are computed and each is kept or
        /// dropped by a mask (`STDPPendingMasks`). The kept values are those of the loop, the same
        /// operations in the same order, so the weights are the same bits; a dropped one may be
        /// computed from a stale `recent` slot and is never stored.
        @inline(__always)
        func update<Plus: STDPExponent, Minus: STDPExponent>(_ k: Int, target j: Int, _ plus: Plus.Type,
                                                            _ minus: Minus.Type) -> Double {
            var w = weights[k]
            let state = post + j
            let n = state.pointee.count
            let pending = UInt32(UInt8(truncatingIfNeeded: n) &- cursor[k])
            if _fastPath(pending <= 2) {
                let keep = pendingMasks + Int(pending &* 2)
                let first = rule.facilitate(w, p * state.recentEntry(n &- 2).pointee, plus)
                w = Double(bitPattern: (first.bitPattern & keep[0]) | (w.bitPattern & ~keep[0]))
                let second = rule.facilitate(w, p * state.recentEntry(n &- 1).pointee, plus)
                w = Double(bitPattern: (second.bitPattern & keep[1]) | (w.bitPattern & ~keep[1]))
            } else {
                var c = n &- pending
                if pending <= STDPPostState.recentCount {
                    repeat {
                        w = rule.facilitate(w, p * state.recentEntry(c).pointee, plus)
                        c &+= 1
                    } while c != n
                } else {
                    let ring = history + j &* STDPProjection.capacity
                    repeat {
                        w = rule.facilitate(w, p * ring[Int(c & mask)], plus)
                        c &+= 1
                    } while c != n
                }
            }
            cursor[k] = UInt8(truncatingIfNeeded: n)
            let trace = state.pointee.lastEvent == T ? state.pointee.traceBefore : state.pointee.trace
            let next = rule.depress(w, trace * depressionScale, minus)
            weights[k] = next
            return next
        }
    }

    @inline(__always)
    private func delivery(at T: Double, p: Double, tPre: Double) -> Delivery {
        Delivery(weights: weights, cursor: cursor, post: post, targets: targets, history: history, mask: mask,
                 rule: constants, T: T, p: p, depressionScale: exp(-(tPre - epoch) * inverseTauMinus),
                 pendingMasks: STDPPendingMasks.values)
    }

    // MARK: Partitions

    /// Gives each of `count` partitions its own K+ copies and post-event queue; partition k owns
    /// targets `targetBounds[k] ..< targetBounds[k + 1]`. Before the run or at a resume: the copies
    /// all take the row's value (that of the partition owning the row's first synapse's target), and
    /// pending post events move to their targets' partitions in their order.
    /// - Complexity: O(count x sourceCount + pending events).
    func partition(count: Int, targetBounds bounds: [Int], local: Range<Int>? = nil) {
        precondition(bounds.count == count + 1 && bounds.first == 0 && bounds.last == targetCount)
        let canonical = canonicalPreTraces()
        let events = pendingEvents
        let swept = sweptSynapses
        preTrace.deallocate()
        preTrace = .allocate(capacity: max(count * sourceCount, 1))
        for k in 0..<count { (preTrace + k * sourceCount).initialize(from: canonical, count: sourceCount) }
        targetBounds = bounds
        localPartitions = local ?? 0..<count
        pending = Array(repeating: PostEventQueue(), count: count)
        for e in events { schedule(synapseTime: e.s, neuron: e.neuron) }
        sweptBefore = swept
        sweptByPartition.deallocate()
        sweptByPartition = .allocate(capacity: 8 * count)
        sweptByPartition.initialize(repeating: 0, count: 8 * count)
    }

    /// Each row's K+: the copy of the partition that owns the target of the row's first synapse
    /// (every partition holding a synapse of the row has the same value; a row without synapses keeps
    /// partition 0's, never read).
    /// - Complexity: O(sourceCount).
    func canonicalPreTraces() -> [Double] {
        (0..<sourceCount).map { r in
            let k = rowStart[r] < rowStart[r + 1] ? owner(ofTarget: Int(targets[rowStart[r]])) : 0
            return preTrace[k * sourceCount + r]
        }
    }

    /// Every partition's pending post events, in synapse-time order (to schedule them again).
    var pendingEvents: [(s: Double, neuron: UInt32)] {
        var events: [(s: Double, neuron: UInt32)] = []
        for queue in pending { events += queue.remaining }
        events.sort { ($0.s, $0.neuron) < ($1.s, $1.neuron) }
        return events
    }

    /// The same by target, then synapse time: a checkpoint's order, in which the ranks' events
    /// (each rank its own block of targets) follow one another in rank order. Events of different
    /// targets at one synapse time act on different targets' state only, so the order they are
    /// applied in does not matter, and a restore schedules them by time again.
    var pendingEventsByTarget: [(s: Double, neuron: UInt32)] {
        var events: [(s: Double, neuron: UInt32)] = []
        for queue in pending { events += queue.remaining }
        events.sort { ($0.neuron, $0.s) < ($1.neuron, $1.s) }
        return events
    }

    /// A checkpoint's K+ per row into every partition's copy, and its pending post events (in any
    /// order) into their targets' partitions (those this process runs), by synapse time.
    /// - Complexity: O(partitions x sourceCount + events log events).
    func restore(preTraces: [Double], pending events: [(s: Double, neuron: UInt32)]) {
        precondition(preTraces.count == sourceCount)
        for k in 0..<partitionCount { (preTrace + k * sourceCount).update(from: preTraces, count: sourceCount) }
        pending = Array(repeating: PostEventQueue(), count: partitionCount)
        for e in events.sorted(by: { ($0.s, $0.neuron) < ($1.s, $1.neuron) }) { schedule(synapseTime: e.s, neuron: e.neuron) }
    }

    /// The targets this process's partitions own (all but on an MPI rank: its block).
    var heldTargets: Range<Int> { targetBounds[localPartitions.lowerBound]..<targetBounds[localPartitions.upperBound] }

    /// The synapses onto `heldTargets`, as runs of consecutive synapse ids (ascending).
    /// - Complexity: O(synapses).
    func heldSynapseRuns() -> [(start: Int, length: Int)] {
        let held = heldTargets
        var runs: [(start: Int, length: Int)] = []
        for k in 0..<synapseCount where held.contains(Int(targets[k])) {
            if let last = runs.last, last.start + last.length == k { runs[runs.count - 1].length += 1 } else { runs.append((k, 1)) }
        }
        return runs
    }

    /// The rows whose K+ this process holds as the row's value (`canonicalPreTraces`: the row's first
    /// synapse's target is one of `heldTargets`; a row without synapses is partition 0's), as runs.
    /// - Complexity: O(sourceCount).
    func heldRowRuns() -> [(start: Int, length: Int)] {
        var runs: [(start: Int, length: Int)] = []
        for r in 0..<sourceCount {
            let k = rowStart[r] < rowStart[r + 1] ? owner(ofTarget: Int(targets[rowStart[r]])) : 0
            guard localPartitions.contains(k) else { continue }
            if let last = runs.last, last.start + last.length == r { runs[runs.count - 1].length += 1 } else { runs.append((r, 1)) }
        }
        return runs
    }

    /// The partition that owns target j.
    @inline(__always)
    func owner(ofTarget j: Int) -> Int {
        var k = 0
        while k + 2 < targetBounds.count && j >= targetBounds[k + 1] { k += 1 }
        return k
    }

    // MARK: Postsynaptic spikes

    /// Queues the spike of target neuron j at time t (spikes come in time order); it acts at the
    /// synapses at S = t + d and is applied at queue time S + d by j's partition.
    func schedule(postSpike t: Double, neuron j: UInt32) { schedule(synapseTime: t + delay, neuron: j) }

    /// Queues a post event at synapse time s for j's partition, if this process runs it.
    private func schedule(synapseTime s: Double, neuron j: UInt32) {
        let k = owner(ofTarget: Int(j))
        if localPartitions.contains(k) { pending[k].append(s: s, neuron: j) }
    }

    /// The queue time of partition k's next post event (infinity if none).
    func nextEventTime(partition k: Int) -> Double { pending[k].nextS.map { $0 + delay } ?? .infinity }

    /// Applies every post event of partition k's targets whose queue time is <= t.
    func applyPostEvents(through t: Double, partition k: Int) {
        while let s = pending[k].nextS {
            let queueTime = s + delay
            guard queueTime <= t else { break }
            let neuron = pending[k].popFirst()
            applyPostEvent(synapseTime: s, queueTime: queueTime, neuron: Int(neuron), partition: k)
        }
        pending[k].compact()
    }

    private func applyPostEvent(synapseTime s: Double, queueTime: Double, neuron j: Int, partition: Int) {
        let state = post + j
        let value = exp((s - epoch) * inverseTauMinus)
        state.pointee.traceBefore = state.pointee.trace
        state.pointee.trace = allToAll ? state.pointee.trace + value : value
        state.pointee.lastEvent = queueTime
        if state.pointee.count &- state.pointee.base == UInt32(Self.capacity) { sweep(j, partition: partition) }
        let entry = exp(-(s - epoch) * inverseTauPlus)
        history[j * Self.capacity + Int(state.pointee.count & mask)] = entry
        state.recentEntry(state.pointee.count).pointee = entry
        state.pointee.count &+= 1
    }

    /// Brings every synapse onto target j up to date with j's post events, freeing its history;
    /// `partition` owns j (its K+ copies are current for every row with a synapse onto j).
    private func sweep(_ j: Int, partition: Int) {
        let n = post[j].count
        let ring = history + j * Self.capacity
        let traces = preTrace + partition * sourceCount
        for e in incoming.postStart[j]..<incoming.postStart[j + 1] {
            let k = Int(incoming.synapse[e])
            let pending = UInt32(UInt8(truncatingIfNeeded: n) &- cursor[k])
            guard pending != 0 else { continue }
            var c = n &- pending
            let p = traces[Int(incoming.presynaptic[e])]
            var w = weights[k]
            repeat {
                w = facilitate(w, p * ring[Int(c & mask)])
                c &+= 1
            } while c != n
            weights[k] = w
            cursor[k] = UInt8(truncatingIfNeeded: n)
            sweptByPartition[partition &* 8] &+= 1
        }
        post[j].base = n
    }

    /// Synapse k brought up to date (its pending post events applied), for a weight snapshot: exact,
    /// by the argument for `sweep`.
    func bringUpToDate(_ k: Int) {
        let j = Int(targets[k])
        let n = post[j].count
        let pending = UInt32(UInt8(truncatingIfNeeded: n) &- cursor[k])
        guard pending != 0 else { return }
        var c = n &- pending
        let row = incoming.presynaptic[Int(incoming.entryOfSynapse[k])]
        let p = preTrace[owner(ofTarget: j) * sourceCount + Int(row)]
        let ring = history + j * Self.capacity
        var w = weights[k]
        repeat {
            w = facilitate(w, p * ring[Int(c & mask)])
            c &+= 1
        } while c != n
        weights[k] = w
        cursor[k] = UInt8(truncatingIfNeeded: n)
    }

    /// At a window end: moves the epoch when the scaled values have grown by e^16, rescaling every
    /// trace and history entry exactly; a history entry that would leave the range of Double is
    /// swept first.
    func endWindow(at end: Double) {
        guard end - epoch > rebaseSpan else { return }
        let shift = end - epoch
        let plus = exp(-shift * inverseTauPlus), minus = exp(-shift * inverseTauMinus)
        let grow = 1 / plus
        for r in 0..<partitionCount * sourceCount { preTrace[r] *= plus }
        for j in 0..<targetCount {
            let state = post + j
            state.pointee.trace *= minus
            state.pointee.traceBefore *= minus
            if state.pointee.count != state.pointee.base {
                let oldest = history[j * Self.capacity + Int(state.pointee.base & mask)]
                if oldest * grow > 1e200 { sweep(j, partition: owner(ofTarget: j)) }
            }
            let ring = history + j * Self.capacity
            var i = state.pointee.base
            while i != state.pointee.count {
                ring[Int(i & mask)] *= grow
                i &+= 1
            }
            // The recent copies of the entries still held (the others are never read: a cursor
            // more than four behind reads the ring).
            var r = state.pointee.count &- min(state.pointee.count &- state.pointee.base, STDPPostState.recentCount)
            while r != state.pointee.count {
                state.recentEntry(r).pointee = ring[Int(r & mask)]
                r &+= 1
            }
        }
        epoch = end
    }
}

/// The exponent mu of the rule's (1 - w)^mu_plus or w^mu_minus as a type, so that the delivery loop
/// is compiled once per common rule without testing mu per synapse: `STDPExponentZero` (additive),
/// `STDPExponentOne` (multiplicative), `STDPAnyExponent` (any mu, `STDPProjection.Constants.power`).
/// Each returns exactly what `power` returns for its mu.
protocol STDPExponent {
    static func power(_ x: Double, _ mu: Double) -> Double
}

enum STDPExponentZero: STDPExponent {
    @inline(__always) static func power(_ x: Double, _ mu: Double) -> Double { 1 }
}

enum STDPExponentOne: STDPExponent {
    @inline(__always) static func power(_ x: Double, _ mu: Double) -> Double { x }
}

enum STDPAnyExponent: STDPExponent {
    @inline(__always)
    static func power(_ x: Double, _ mu: Double) -> Double {
        if mu == 1 { return x }
        if mu == 0 { return 1 }
        return pow(x, mu)
    }
}

/// The masks `STDPProjection.Delivery.update` keeps its two candidate facilitations by, two per
/// pending count 0, 1, 2: (keep the one by entry n - 2, keep the one by entry n - 1), all ones to
/// keep. A table rather than masks computed from the count, which the compiler turns back into a
/// branch (as `DeliveryMasks`).
enum STDPPendingMasks {
    // Written once by the lazy initialiser, read-only afterwards, so sharing across threads is safe.
    nonisolated(unsafe) static let values: UnsafePointer<UInt64> = {
        let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: 6)
        masks.initialize(from: [0, 0, 0, ~0, ~0, ~0], count: 6)
        return UnsafePointer(masks)
    }()
}

/// One partition's post events of an STDP projection waiting for their queue time S + d, in the
/// order they were scheduled (ascending S).
struct PostEventQueue {
    private var s: [Double] = []
    private var neuron: [UInt32] = []
    private var head = 0

    var nextS: Double? { head < s.count ? s[head] : nil }

    /// The events not yet applied, in order.
    var remaining: [(s: Double, neuron: UInt32)] { (head..<s.count).map { (s[$0], neuron[$0]) } }

    mutating func append(s value: Double, neuron j: UInt32) {
        s.append(value)
        neuron.append(j)
    }

    /// Removes the next event and returns its neuron.
    mutating func popFirst() -> UInt32 {
        head += 1
        return neuron[head - 1]
    }

    /// Drops the applied events once they are most of the storage.
    mutating func compact() {
        if head > 4096 && head * 2 > s.count {
            s.removeFirst(head)
            neuron.removeFirst(head)
            head = 0
        }
    }
}
