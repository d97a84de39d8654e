import CVesicleVector
import VesicleModel
import VesicleRandom
import VesicleSynapses

/// The Bayesian synapses of one projection inside a spiking network (docs/MODEL.md §3): a posterior
/// (mu, sigma2) per synapse in Float32 rows by presynaptic neuron (8 bytes, 12 with the target
/// index), relaxed lazily toward the OU prior when the row's neuron spikes, and a release drawn from
/// it for every synapse at every delivery. A release's draws are a function of counters only
/// (docs/DESIGN.md, Randomness, Bayesian releases): key (seed, bayesianRelease, projection, row),
/// event the row's spike ordinal n, and the offset of the delivered part (one delay's synapses) in
/// the row; the row's random state is its ordinal, 4 bytes per row and delay of the projection.
/// Posterior release (the Bayesian Brunel network's mode) draws a row's releases in one vectorised
/// pass (`releaseRow`) from four xoshiro256++ lanes seeded from eight Philox4x32-10 blocks of that
/// key (`RandomLanes(key:event:offset:)`), from the posteriors relaxed to the spike's time on the fly
/// and not stored back; the other modes bring the row up to date and draw one synapse at a time
/// from a scalar stream seeded the same way (two blocks). Normals left over when a part ends are
/// discarded. Synapses with a spike-based rule (`synaptic_filter`, `gradient`; docs/MODEL.md §5) are
/// stepped by `SpikeBasedPlasticity` instead, and release from the posterior it last stored,
/// without relaxing it; feedback rules (§4) are refused here.
final class BayesianProjection {
    let spec: BayesianSynapseSpec
    /// +1 or -1: the connection's sign (Dale's law by construction, docs/MODEL.md §3).
    let sign: Double
    let table: CompactBayesianSynapseTable
    /// The releases' counter key (seed, bayesianRelease, projection); its index is the row.
    let releaseKey: CounterKey
    /// Deliveries of each row through each of the projection's delays so far: row r's n-th spike
    /// arrives through every delay as its n-th delivery, so entry r * delaySlots + slot is the
    /// ordinal of the spike that delay's next delivery of r carries.
    let ordinals: UnsafeMutablePointer<UInt32>
    /// The projection's distinct delays (1 with a uniform delay); `slotOfStep[step]` is a delay
    /// step's slot.
    let delaySlots: Int
    private let slotOfStep: UnsafeMutablePointer<Int32>
    private let rowStart: UnsafeMutablePointer<Int>
    /// The build that seeds the lanes (the release loop's; every build gives the same lanes).
    private let laneKernel = ReleaseKernel.selected
    let rowCount: Int
    /// The synapses learn from spikes (docs/MODEL.md §5): `SpikeBasedPlasticity` steps their posteriors,
    /// prior drift included, and stores them here; releases read them as stored, without relaxing.
    let learnsFromSpikes: Bool
    /// The exact initial posteriors of learning synapses (the table holds them rounded to Float).
    private(set) var initialMeans: [Double] = []
    let initialVariance: Double
    let batched: Bool
    /// The sign of every release when it is the connection's (log-normal batches: e^x >= 0), so that
    /// delivery need not read it from each amplitude; nil when releases can take either sign.
    let releaseSign: FloatingPointSign?
    /// The releases of the last `releaseAmplitudes` call; room for the longest row.
    private let amplitudes: UnsafeMutablePointer<Double>
    private let longestRow: Int

    /// Where the held synapses sit in the whole build's rows, when this is an MPI rank's part
    /// (its own targets' synapses, `BayesianRowLayout`); nil: the table is the whole build's.
    let layout: BayesianRowLayout?

    /// The whole build's synapse count (the held table's unless this is a rank's part).
    var wholeSynapseCount: Int { layout?.wholeSynapseCount ?? table.synapseCount }

    /// A rank's part whose releases bring a row's stored posteriors up to date (not batched, not
    /// learning: `release = mean`) with per-synapse delays: it must relax a row also at deliveries
    /// of delays it holds none of the row's synapses of (`relaxWithoutHeldPart`).
    let relaxesAtWholeParts: Bool

    init(spec: BayesianSynapseSpec, synapses: SynapseTable, weight: Distribution, seed: UInt64, projection: Int,
         name: String, layout: BayesianRowLayout? = nil) throws {
        switch spec.rule {
        case .none, .synapticFilter, .gradient:
            break
        default:
            throw NetworkError.projection(name, .feedbackRuleInSpikingNetwork(rule: spec.rule.name))
        }
        self.spec = spec
        self.layout = layout
        sign = Self.sign(of: weight)
        let prior: OrnsteinUhlenbeckPrior
        do {
            prior = try OrnsteinUhlenbeckPrior(mean: spec.priorMean, variance: spec.priorVariance, tau: spec.priorTau)
        } catch { throw NetworkError.projection(name, .synapseTypeInvalid(reason: "\(error)")) }
        var means = [Double](repeating: spec.priorMean, count: synapses.synapseCount)
        if let initialMean = spec.initialMean {
            // The n-th synapse onto target t (in row order, which a partial build keeps for its own
            // targets) draws from key (seed, posteriorInit, projection, t), event n: docs/DESIGN.md,
            // Random keys.
            var ordinal = [UInt32](repeating: 0, count: Int(synapses.targets.max() ?? 0) + 1)
            for k in 0..<synapses.synapseCount {
                let t = synapses.targets[k]
                var draws = CounterKey(seed: seed, purpose: .posteriorInit, entity: UInt32(projection), index: t)
                    .stream(event: ordinal[Int(t)])
                ordinal[Int(t)] += 1
                means[k] = try ConnectivityBuilder.draw(initialMean, &draws, what: "initial mean", projection: name)
            }
        }
        learnsFromSpikes = spec.rule != .none
        initialVariance = spec.initialVariance ?? spec.priorVariance
        if learnsFromSpikes { initialMeans = means }
        do {
            table = try CompactBayesianSynapseTable(rowOffsets: synapses.rowStart, prior: prior, link: spec.link,
                                                    release: spec.release, initialMean: means,
                                                    initialVariance: spec.initialVariance ?? spec.priorVariance)
        } catch { throw NetworkError.projection(name, .synapseTypeInvalid(reason: "\(error)")) }
        rowCount = synapses.sourceCount
        // The batch relaxes the stored posteriors to the spike; a learner's are already current.
        batched = table.releasesInBatches && !learnsFromSpikes
        releaseSign = batched && spec.link == .log ? (sign < 0 ? .minus : .plus) : nil
        relaxesAtWholeParts = !batched && !learnsFromSpikes && (layout?.knowsWholeRowDelays ?? false)
        releaseKey = CounterKey(seed: seed, purpose: .bayesianRelease, entity: UInt32(projection))
        let steps = synapses.uniformDelay == nil ? Array(Set(synapses.delaySteps)).sorted() : []
        delaySlots = max(steps.count, 1)
        slotOfStep = .allocate(capacity: Int(steps.last ?? 0) + 1)
        slotOfStep.initialize(repeating: 0, count: Int(steps.last ?? 0) + 1)
        for (slot, step) in steps.enumerated() { slotOfStep[Int(step)] = Int32(slot) }
        ordinals = .allocate(capacity: max(rowCount * delaySlots, 1))
        ordinals.initialize(repeating: 0, count: max(rowCount * delaySlots, 1))
        rowStart = .allocate(capacity: synapses.rowStart.count)
        rowStart.initialize(from: synapses.rowStart, count: synapses.rowStart.count)
        longestRow = (0..<rowCount).map { synapses.rowStart[$0 + 1] - synapses.rowStart[$0] }.max() ?? 0
        amplitudes = .allocate(capacity: max(longestRow, 1))
    }

    deinit {
        ordinals.deallocate()
        slotOfStep.deallocate()
        rowStart.deallocate()
        amplitudes.deallocate()
    }

    /// The stored posteriors, by synapse, for a spike-based learner to write all at once.
    func withMutablePosteriors<R>(_ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try table.withMutablePosteriors(body)
    }

    /// The sign of a projection's weight distribution; only the sign matters for Bayesian synapses.
    static func sign(of weight: Distribution) -> Double {
        switch weight {
        case .constant(let w): return w < 0 ? -1 : 1
        case .uniform(let lo, let hi): return lo + hi < 0 ? -1 : 1
        case .normal(let mean, _, let clip): return clip.map { $0.value } ?? (mean < 0 ? -1 : 1)
        case .lognormal(_, _, let sign): return sign.value
        case .boundedNormal(let mean, _, let lower, let upper):
            return upper <= 0 ? -1 : (lower >= 0 ? 1 : (mean < 0 ? -1 : 1))
        }
    }

    /// The signed release at time t of every synapse in `range` (part of `row`: the synapses of delay
    /// step `delaySteps`, nil for a uniform delay or a whole row); valid until the next call. Counts
    /// the delivery in the row's ordinal for that delay. Posterior release reads the row's
    /// posteriors relaxed to t without storing them (`releaseRow`); `releasedPosterior` gives the
    /// (mu, sigma2) each release used.
    @inline(__always)
    func releaseAmplitudes(row: Int, range: Range<Int>, delaySteps: UInt16?, at t: Double) -> UnsafeBufferPointer<Double> {
        releaseAmplitudes(row: row, range: range, delaySteps: delaySteps, at: t, into: amplitudes)
    }

    /// The same into `out[0 ..< range.count]`. Touches only row `row`'s posteriors and ordinals, so
    /// partitions release their own rows concurrently (`Partition`).
    @inline(__always)
    func releaseAmplitudes(row: Int, range: Range<Int>, delaySteps: UInt16?, at t: Double,
                           into out: UnsafeMutablePointer<Double>) -> UnsafeBufferPointer<Double> {
        let slot = delaySteps.map { Int(slotOfStep[Int($0)]) } ?? 0
        let ordinal = ordinals + (row * delaySlots + slot)
        let event = ordinal.pointee
        precondition(event != .max, "a Bayesian row's spike ordinal reached 2^32 - 1 (its counter space is used up)")
        ordinal.pointee = event &+ 1
        return releaseAmplitudes(row: row, range: range, ordinal: event, slot: slot, at: t, into: out)
    }

    /// A delivery of `row` through delay step `delaySteps` holding none of this rank's synapses (a
    /// part with `relaxesAtWholeParts`): brings the row's stored posteriors to t when the whole
    /// build's row has synapses of that delay, as one process's release of them does
    /// (`releaseAmplitudes`), so that every rank relaxes each row at the one process's times and its
    /// Float posteriors round alike (docs/DESIGN.md, Ranks, Bayesian rows). Touches row `row` only.
    /// - Complexity: O(held synapses of the row).
    @inline(never)
    func relaxWithoutHeldPart(row: Int, delaySteps: UInt16?, at t: Double) {
        guard let delaySteps, let layout, layout.wholeRowHasSynapses(row, delaySteps: delaySteps) else { return }
        table.bringRow(row, to: t)
    }

    /// Asks for the cache lines a release of `row` reads first (its ordinals, its state in the table),
    /// ahead of the delivery that releases it (`Partitions.walk`); changes no value.
    @inline(__always)
    func prefetch(row: Int) {
        vesicle_prefetch(ordinals + row * delaySlots)
        vesicle_prefetch(rowStart + row)
        if batched { table.prefetchRowState(row) }
    }

    /// The delay slot of a part of delay step `delaySteps` (nil: a uniform delay).
    @inline(__always)
    func slot(of delaySteps: UInt16?) -> Int { delaySteps.map { Int(slotOfStep[Int($0)]) } ?? 0 }

    /// The whole build's index of held synapse `s` of `row`'s part `range` (delay slot `slot`):
    /// `s` itself unless this is a rank's part (`layout`).
    @inline(__always)
    func wholeSynapse(_ s: Int, row: Int, part range: Range<Int>, slot: Int) -> Int {
        guard let layout else { return s }
        let e = row * delaySlots + slot
        return layout.wholeRowStart[row] + Int(layout.partOffset[e]) + Int(layout.partSkip[e]) + (s - range.lowerBound)
    }

    /// Calls `body(held, whole)` for every held synapse of `row`, in row order (which is the whole
    /// build's order of the same synapses), with its whole build's index; `synapses` is the held table.
    func forEachSynapse(ofRow row: Int, in synapses: SynapseTable, _ body: (Int, Int) -> Void) {
        let lo = rowStart[row], hi = rowStart[row + 1]
        guard layout != nil else {
            for s in lo..<hi { body(s, s) }
            return
        }
        var partStart = lo, slot = -1
        for s in lo..<hi {
            let own = synapses.uniformDelay == nil && !synapses.delaySteps.isEmpty ? Int(slotOfStep[Int(synapses.delaySteps[s])]) : 0
            if own != slot { slot = own; partStart = s }
            body(s, wholeSynapse(s, row: row, part: partStart..<hi, slot: slot))
        }
    }

    /// The releases of row `row`'s part `range` at its spike with ordinal `ordinal` at time t, a
    /// function of (key, row, ordinal, offset of `range` in the row) and the posteriors; the row's
    /// ordinals are left as they are (for tests that redraw a logged release).
    @inline(__always)
    func releaseAmplitudes(row: Int, range: Range<Int>, ordinal event: UInt32, slot: Int = 0, at t: Double,
                           into out: UnsafeMutablePointer<Double>) -> UnsafeBufferPointer<Double> {
        let key = releaseKey.with(index: UInt32(truncatingIfNeeded: row))
        var offset = range.lowerBound - rowStart[row]
        if let layout {
            // A rank's part (docs/DESIGN.md, Ranks, Bayesian rows): the whole part's key and
            // normals, this rank's synapses' releases.
            let e = row * delaySlots + slot
            offset = Int(layout.partOffset[e])
            if batched {
                var lanes = laneKernel.lanes(key: key, event: event, offset: offset)
                table.releasePartOfRow(row, range: range, skip: Int(layout.partSkip[e]), wholeCount: Int(layout.partLength[e]),
                                       at: t, sign: sign, lanes: &lanes, into: out)
                return UnsafeBufferPointer(start: out, count: range.count)
            }
        }
        if batched {
            var lanes = laneKernel.lanes(key: key, event: event, offset: offset)
            table.releaseRow(row, range: range, at: t, sign: sign, lanes: &lanes, into: out)
        } else {
            if !learnsFromSpikes { table.bringRow(row, to: t) }
            var rng = RandomStream(key: key, event: event, offset: offset)
            var k = 0
            for i in range {
                out[k] = sign * table.releaseAmplitude(i, rng: &rng)
                k += 1
            }
        }
        return UnsafeBufferPointer(start: out, count: range.count)
    }

    /// The longest row: room a caller's release buffer needs.
    var longestRowCount: Int { longestRow }

    /// The posterior (mu, sigma2) synapse k of `row` released from at time t (after `releaseAmplitudes`).
    @inline(__always)
    func releasedPosterior(_ k: Int, row: Int, at t: Double) -> (mu: Double, sigma2: Double) {
        batched ? table.relaxedPosterior(k, row: row, at: t) : table.posterior(k)
    }

    /// Brings `row` to time t, so that `table.posterior` is the posterior released from, and copies
    /// the releases into `out`.
    func release(row: Int, range: Range<Int>, at t: Double, into out: inout [Double]) {
        if !learnsFromSpikes { table.bringRow(row, to: t) }
        let released = releaseAmplitudes(row: row, range: range, delaySteps: nil, at: t)
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: released)
    }

    /// Brings the rows holding synapses 0 ..< limit to time t (for posterior snapshots).
    func bringSynapses(below limit: Int, to t: Double, rowStart: [Int]) {
        bringSynapses(below: limit, rows: 0..<rowCount, to: t, rowStart: rowStart)
    }

    /// The same for the rows of `rows` only (one partition's); `limit` counts the whole build's
    /// synapses (a rank's part: its rows whose whole start is below it).
    func bringSynapses(below limit: Int, rows: Range<Int>, to t: Double, rowStart: [Int]) {
        if learnsFromSpikes { return }
        let rowStart = layout?.wholeRowStart ?? rowStart
        var row = rows.lowerBound
        while row < min(rows.upperBound, rowCount) && rowStart[row] < limit {
            table.bringRow(row, to: t)
            row += 1
        }
    }
}
