import VesicleModel
import VesicleRandom
import VesicleSynapses

/// The Bayesian synapses of one projection inside a spiking network (MODEL.md §3): a posterior
/// (mu, sigma2) per synapse in Float32 rows by presynaptic neuron (8 bytes, 12 with the target
/// index), relaxed lazily toward the OU prior when the row's neuron spikes, and a release drawn from
/// it for every synapse at every delivery. One release stream per presynaptic row keeps the draws
/// independent of delivery order and, later, of thread count. Synapses with a spike-based rule
/// (`synaptic_filter`, `gradient`; MODEL.md §5) are stepped by `SpikeBasedPlasticity` instead, and
/// release from the posterior it last stored; feedback rules (§4) are refused here.
final class BayesianProjection {
    let spec: BayesianSynapseSpec
    /// +1 or -1: the connection's sign (Dale's law by construction, MODEL.md §3).
    let sign: Double
    var table: CompactBayesianSynapseTable
    private let streams: UnsafeMutablePointer<RandomStream>
    private let rowCount: Int
    /// The synapses learn from spikes (MODEL.md §5): `SpikeBasedPlasticity` steps their posteriors,
    /// prior drift included, and stores them here; releases read them as stored, without relaxing.
    let learnsFromSpikes: Bool
    /// The exact initial posteriors of learning synapses (the table holds them rounded to Float).
    private(set) var initialMeans: [Double] = []
    let initialVariance: Double

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
        var initRNG = RandomStream(seed: seed, purpose: .posteriorInit, index: UInt64(projection))
        var means: [Double] = []
        means.reserveCapacity(synapses.synapseCount)
        for _ in 0..<synapses.synapseCount {
            let m = try spec.initialMean.map { try ConnectivityBuilder.draw($0, &initRNG, what: "initial mean", projection: name) }
            means.append(m ?? spec.priorMean)
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
        streams = .allocate(capacity: max(rowCount, 1))
        for row in 0..<rowCount {
            (streams + row).initialize(to: RandomStream(seed: seed, purpose: .release,
                                                        index: UInt64(projection) << 32 | UInt64(row)))
        }
    }

    deinit {
        streams.deinitialize(count: rowCount)
        streams.deallocate()
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
        }
    }

    /// Brings `row` to time t and draws the signed release of every synapse in `range` into `out`.
    @inline(__always)
    func release(row: Int, range: Range<Int>, at t: Double, into out: inout [Double]) {
        if !learnsFromSpikes { table.bringRow(row, to: t) }
        let snapshot = table
        var rng = streams[row]
        out.removeAll(keepingCapacity: true)
        for k in range { out.append(sign * snapshot.releaseAmplitude(k, rng: &rng)) }
        streams[row] = rng
    }

    /// Brings the rows holding synapses 0 ..< limit to time t (for posterior snapshots).
    func bringSynapses(below limit: Int, to t: Double, rowStart: [Int]) {
        if learnsFromSpikes { return }
        var row = 0
        while row < rowCount && rowStart[row] < limit {
            table.bringRow(row, to: t)
            row += 1
        }
    }
}
