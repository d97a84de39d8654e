import VesicleModel
import VesicleRandom
import VesicleSynapses

/// The Bayesian synapses of one projection inside a spiking network (docs/MODEL.md §3): a posterior
/// (mu, sigma2) per synapse in Float32 rows by presynaptic neuron (8 bytes, 12 with the target
/// index), relaxed lazily toward the OU prior when the row's neuron spikes, and a release drawn from
/// it for every synapse at every delivery. One release stream per presynaptic row keeps the draws
/// independent of delivery order and, later, of thread count. Posterior release (the Bayesian Brunel
/// network's mode) draws a row's releases in one vectorised pass (`releaseRow`) from four
/// xoshiro256++ lanes per row (`RandomLanes`, 128 bytes per row), from the posteriors relaxed to the
/// spike's time on the fly and not stored back; the other modes bring the row up to date and draw
/// one synapse at a time from a scalar stream per row. Synapses with a spike-based rule
/// (`synaptic_filter`, `gradient`; docs/MODEL.md §5) are stepped by `SpikeBasedPlasticity` instead, and
/// release from the posterior it last stored, without relaxing it; feedback rules (§4) are refused here.
final class BayesianProjection {
    let spec: BayesianSynapseSpec
    /// +1 or -1: the connection's sign (Dale's law by construction, docs/MODEL.md §3).
    let sign: Double
    let table: CompactBayesianSynapseTable
    let streams: UnsafeMutablePointer<RandomStream>
    let lanes: UnsafeMutablePointer<RandomLanes>
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

    init(spec: BayesianSynapseSpec, synapses: SynapseTable, weight: Distribution, seed: UInt64, projection: Int,
         name: String) throws {
        switch spec.rule {
        case .none, .synapticFilter, .gradient:
            break
        default:
            throw NetworkError("projection '\(name)': the rule '\(spec.rule.name)' runs in feedback experiments (a linear_readout target with a feedback block, MODEL.md §4); in spiking networks Bayesian synapses learn only from spikes (synaptic_filter, gradient)")
        }
        self.spec = spec
        sign = Self.sign(of: weight)
        let prior: OrnsteinUhlenbeckPrior
        do {
            prior = try OrnsteinUhlenbeckPrior(mean: spec.priorMean, variance: spec.priorVariance, tau: spec.priorTau)
        } catch { throw NetworkError("projection '\(name)': \(error)") }
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
        } catch { throw NetworkError("projection '\(name)': \(error)") }
        rowCount = synapses.sourceCount
        // The batch relaxes the stored posteriors to the spike; a learner's are already current.
        batched = table.releasesInBatches && !learnsFromSpikes
        releaseSign = batched && spec.link == .log ? (sign < 0 ? .minus : .plus) : nil
        streams = .allocate(capacity: batched ? 1 : max(rowCount, 1))
        // 128 bytes per row, touched at a random row at every spike.
        lanes = HugePageMemory.allocate(bytes: (batched ? max(rowCount, 1) : 1) * MemoryLayout<RandomLanes>.stride)
            .bindMemory(to: RandomLanes.self, capacity: batched ? max(rowCount, 1) : 1)
        for row in 0..<rowCount {
            let index = UInt64(projection) << 32 | UInt64(row)
            if batched {
                (lanes + row).initialize(to: RandomLanes(seed: seed, purpose: .release, index: index))
            } else {
                (streams + row).initialize(to: RandomStream(seed: seed, purpose: .release, index: index))
            }
        }
        longestRow = (0..<rowCount).map { synapses.rowStart[$0 + 1] - synapses.rowStart[$0] }.max() ?? 0
        amplitudes = .allocate(capacity: max(longestRow, 1))
    }

    deinit {
        if batched {
            lanes.deinitialize(count: rowCount)
        } else {
            streams.deinitialize(count: rowCount)
        }
        streams.deallocate()
        HugePageMemory.release(lanes)
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

    /// The signed release at time t of every synapse in `range` (part of `row`); valid until the next
    /// call. Posterior release reads the row's posteriors relaxed to t without storing them
    /// (`releaseRow`); `releasedPosterior` gives the (mu, sigma2) each release used.
    @inline(__always)
    func releaseAmplitudes(row: Int, range: Range<Int>, at t: Double) -> UnsafeBufferPointer<Double> {
        releaseAmplitudes(row: row, range: range, at: t, into: amplitudes)
    }

    /// The same into `out[0 ..< range.count]`. Touches only row `row`'s posteriors and generator, so
    /// partitions release their own rows concurrently (`Partition`).
    @inline(__always)
    func releaseAmplitudes(row: Int, range: Range<Int>, at t: Double,
                           into out: UnsafeMutablePointer<Double>) -> UnsafeBufferPointer<Double> {
        if batched {
            table.releaseRow(row, range: range, at: t, sign: sign, lanes: &lanes[row], into: out)
        } else {
            if !learnsFromSpikes { table.bringRow(row, to: t) }
            var rng = streams[row]
            var offset = 0
            for k in range {
                out[offset] = sign * table.releaseAmplitude(k, rng: &rng)
                offset += 1
            }
            streams[row] = rng
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
        let released = releaseAmplitudes(row: row, range: range, at: t)
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: released)
    }

    /// Brings the rows holding synapses 0 ..< limit to time t (for posterior snapshots).
    func bringSynapses(below limit: Int, to t: Double, rowStart: [Int]) {
        bringSynapses(below: limit, rows: 0..<rowCount, to: t, rowStart: rowStart)
    }

    /// The same for the rows of `rows` only (one partition's).
    func bringSynapses(below limit: Int, rows: Range<Int>, to t: Double, rowStart: [Int]) {
        if learnsFromSpikes { return }
        var row = rows.lowerBound
        while row < min(rows.upperBound, rowCount) && rowStart[row] < limit {
            table.bringRow(row, to: t)
            row += 1
        }
    }
}
