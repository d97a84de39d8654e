// Posterior storage for the spiking engine (docs/DESIGN.md, Memory; docs/MODEL.md §3, lazy state).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleRandom

/// Structure-of-arrays posteriors (mu, sigma2) of Bayesian synapses, grouped in presynaptic rows.
///
/// All synapses of a row are touched together, at the row's presynaptic spikes, so the time of the
/// last update is stored per row, not per synapse, and a row is relaxed toward the prior lazily with
/// one exponential (docs/MODEL.md §3). With `Scalar = Float` a synapse costs 8 bytes here; with the
/// engine's 4-byte target index, 12 bytes per Bayesian synapse (BENCHMARKS.md §1).
///
/// Exactness of Float storage: arithmetic is done in Double and every store rounds to Float, a
/// relative error of at most 2^-24 ~ 6e-8 per store. The relaxation is a contraction toward the
/// prior, so these errors do not grow: after any number of updates the stored value is within a few
/// 1e-7 (relative) of the Double computation (checked in `BayesianSynapseTableTests`). That is far
/// below the posterior's own spread, but it is not exact; the feedback learner and any test against
/// an independent computation should use `Scalar = Double`.
///
/// Raw memory, a reference type (docs/DESIGN.md, The partition): partitions release and relax their
/// own rows of one table on their own threads at the same time. Swift arrays cannot be shared that
/// way: a reader's retain of the buffer makes a concurrent writer's uniqueness check fail, and the
/// writer's copy-on-write then races with the reader (seen as an array freed while retained, 2
/// threads). Each row's values are written only by the thread that owns the row; `copy()` gives an
/// independent table where a value copy is wanted.
public final class BayesianSynapseTable<Scalar: BinaryFloatingPoint & Sendable>: @unchecked Sendable {
    public let prior: OrnsteinUhlenbeckPrior
    public let link: PosteriorLink
    public let release: ReleaseMode
    /// Row r owns synapses `rowOffsets[r] ..< rowOffsets[r + 1]`.
    public let rowOffsets: [Int]
    /// Posterior means and variances, one per synapse, `synapseCount` each.
    @usableFromInline let storedMu: UnsafeMutablePointer<Scalar>
    @usableFromInline let storedSigma2: UnsafeMutablePointer<Scalar>
    /// One time per row, `rowCount`.
    @usableFromInline let storedRowTime: UnsafeMutablePointer<Double>
    @usableFromInline let storedSynapseCount: Int
    @usableFromInline let storedRowCount: Int
    /// Every row's synapses hold one and the same posterior: true from a start with one initial mean
    /// per row (one initial variance always), kept by `bringRow` (the same closed form on equal
    /// values), and false for good after any per-synapse write. Releases then read a row's posterior
    /// once instead of once per synapse (`releaseRow`). Written only by the learner, which runs
    /// on one partition (`Partitions`).
    @usableFromInline var storedRowsShareOnePosterior: Bool
    /// While rows share one posterior, row r's (mu, sigma2) at 2 r and 2 r + 1, the same values as its
    /// synapses': 8 bytes per row in an array that stays in cache, where a row's first synapse is a
    /// cache and TLB miss in a table of tens of megabytes at every spike. Unused otherwise.
    @usableFromInline let storedRowPosterior: UnsafeMutablePointer<Scalar>

    /// Posterior means, one per synapse (valid at their row's time); a copy.
    public var mu: [Scalar] { Array(UnsafeBufferPointer(start: storedMu, count: storedSynapseCount)) }
    /// Posterior variances, one per synapse (valid at their row's time); a copy.
    public var sigma2: [Scalar] { Array(UnsafeBufferPointer(start: storedSigma2, count: storedSynapseCount)) }
    /// Time (ms) to which each row's posteriors have been relaxed; a copy.
    public var rowTime: [Double] { Array(UnsafeBufferPointer(start: storedRowTime, count: storedRowCount)) }

    /// Takes ownership of filled memory (see the public initialiser).
    @usableFromInline
    init(prior: OrnsteinUhlenbeckPrior, link: PosteriorLink, release: ReleaseMode, rowOffsets: [Int],
         mu: UnsafeMutablePointer<Scalar>, sigma2: UnsafeMutablePointer<Scalar>, rowTime: UnsafeMutablePointer<Double>,
         rowPosterior: UnsafeMutablePointer<Scalar>, synapseCount: Int, shareOnePosterior: Bool) {
        self.prior = prior
        self.link = link
        self.release = release
        self.rowOffsets = rowOffsets
        storedMu = mu
        storedSigma2 = sigma2
        storedRowTime = rowTime
        storedRowPosterior = rowPosterior
        storedSynapseCount = synapseCount
        storedRowCount = rowOffsets.count - 1
        storedRowsShareOnePosterior = shareOnePosterior
    }

    deinit {
        storedMu.deallocate()
        storedSigma2.deallocate()
        storedRowTime.deallocate()
        storedRowPosterior.deallocate()
    }

    /// A table whose synapse `i` starts at (`initialMean[i]`, `initialVariance`) at time 0.
    /// Inlinable so that it is specialised for the caller's `Scalar`: run generically it cost about
    /// 1 100 instructions per synapse, most of a Bayesian network's build.
    /// - Complexity: O(synapses).
    @inlinable
    public convenience init(rowOffsets: [Int], prior: OrnsteinUhlenbeckPrior, link: PosteriorLink, release: ReleaseMode,
                            initialMean: [Double], initialVariance: Double) throws {
        try release.validate()
        try SynapseError.require(initialVariance > 0 && initialVariance.isFinite, "initial sigma2",
                                 initialVariance, "> 0")
        guard let first = rowOffsets.first, first == 0, rowOffsets.last == initialMean.count,
              zip(rowOffsets, rowOffsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw SynapseError.unsupportedNetwork(
                "row offsets must rise from 0 to the synapse count (\(initialMean.count))")
        }
        for (i, m) in initialMean.enumerated() where !m.isFinite {
            throw SynapseError.invalidParameter(name: "initial mean of synapse \(i)", value: m, expected: "finite")
        }
        let count = initialMean.count, rows = rowOffsets.count - 1
        let mu = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
        let sigma2 = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
        let rowTime = UnsafeMutablePointer<Double>.allocate(capacity: max(rows, 1))
        for i in 0..<count { (mu + i).initialize(to: Scalar(initialMean[i])) }
        sigma2.initialize(repeating: Scalar(initialVariance), count: count)
        rowTime.initialize(repeating: 0, count: rows)
        let share = zip(rowOffsets, rowOffsets.dropFirst()).allSatisfy { start, end in
            (start..<end).allSatisfy { mu[$0] == mu[start] }
        }
        let rowPosterior = UnsafeMutablePointer<Scalar>.allocate(capacity: share ? max(2 * rows, 1) : 1)
        if share {
            for r in 0..<rows {
                let start = rowOffsets[r]
                (rowPosterior + 2 * r).initialize(to: start < count ? mu[start] : Scalar(prior.mean))
                (rowPosterior + 2 * r + 1).initialize(to: Scalar(initialVariance))
            }
        }
        self.init(prior: prior, link: link, release: release, rowOffsets: rowOffsets, mu: mu, sigma2: sigma2,
                  rowTime: rowTime, rowPosterior: rowPosterior, synapseCount: count, shareOnePosterior: share)
    }

    /// An independent table with the same state.
    /// - Complexity: O(synapses).
    public func copy() -> BayesianSynapseTable {
        let count = storedSynapseCount, rows = storedRowCount
        let mu = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
        let sigma2 = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
        let rowTime = UnsafeMutablePointer<Double>.allocate(capacity: max(rows, 1))
        mu.initialize(from: storedMu, count: count)
        sigma2.initialize(from: storedSigma2, count: count)
        rowTime.initialize(from: storedRowTime, count: rows)
        let share = storedRowsShareOnePosterior
        let rowPosterior = UnsafeMutablePointer<Scalar>.allocate(capacity: share ? max(2 * rows, 1) : 1)
        if share { rowPosterior.initialize(from: storedRowPosterior, count: 2 * rows) }
        return BayesianSynapseTable(prior: prior, link: link, release: release, rowOffsets: rowOffsets, mu: mu,
                                    sigma2: sigma2, rowTime: rowTime, rowPosterior: rowPosterior,
                                    synapseCount: count, shareOnePosterior: share)
    }

    /// Whether every row's synapses hold one and the same posterior (see `storedRowsShareOnePosterior`).
    public var rowsShareOnePosterior: Bool { storedRowsShareOnePosterior }

    public var rowCount: Int { storedRowCount }
    public var synapseCount: Int { storedSynapseCount }
    /// Bytes of posterior state per synapse (8 for Float, 16 for Double), excluding per-row times.
    public static var bytesPerSynapse: Int { 2 * MemoryLayout<Scalar>.stride }

    /// Relaxes every posterior of `row` to `time` (ms) with the closed form, one exponential per row.
    /// Times earlier than the row's are a caller error and leave the row unchanged. Touches only
    /// `row`'s memory, so that threads bring their own rows at the same time.
    @inlinable
    public func bringRow(_ row: Int, to time: Double) {
        let elapsed = time - storedRowTime[row]
        if !(elapsed > 0) { return }
        let d = prior.decay(over: elapsed)
        let d2 = d * d
        let m0 = prior.mean, v0 = prior.variance
        let mu = storedMu, sigma2 = storedSigma2
        for i in rowOffsets[row]..<rowOffsets[row + 1] {
            mu[i] = Scalar(m0 + (Double(mu[i]) - m0) * d)
            sigma2[i] = Scalar(v0 + (Double(sigma2[i]) - v0) * d2)
        }
        if storedRowsShareOnePosterior {
            // The same closed form on the same values as the synapses'.
            let p = storedRowPosterior
            p[2 * row] = Scalar(m0 + (Double(p[2 * row]) - m0) * d)
            p[2 * row + 1] = Scalar(v0 + (Double(p[2 * row + 1]) - v0) * d2)
        }
        storedRowTime[row] = time
    }

    /// Posterior of synapse `i` as stored (valid at its row's time).
    @inlinable
    public func posterior(_ i: Int) -> (mu: Double, sigma2: Double) {
        (Double(storedMu[i]), Double(storedSigma2[i]))
    }

    /// The PSP magnitude synapse `i` releases (docs/MODEL.md §3), from its stored posterior; bring its row
    /// up to date first. The caller applies the connection's sign.
    @inlinable
    public func releaseAmplitude(_ i: Int, rng: inout RandomStream) -> Double {
        VesicleSynapses.releaseAmplitude(mu: Double(storedMu[i]), sigma2: Double(storedSigma2[i]), mode: release,
                                         link: link, rng: &rng)
    }

    /// Adds a learning increment to synapse `i`, at `time` (ms, for the error message). A posterior
    /// that would become non-finite or non-positive stops with an error naming the synapse; it is not clamped.
    @inlinable
    public func apply(_ increment: PosteriorIncrement, to i: Int, at time: Double) throws {
        let newMu = Double(storedMu[i]) + increment.mu
        let newSigma2 = Double(storedSigma2[i]) + increment.sigma2
        guard newMu.isFinite, newSigma2.isFinite, newSigma2 > 0,
              Scalar(newSigma2) > 0, Scalar(newMu).isFinite else {
            throw SynapseError.posteriorLeftDomain(synapse: i, time: time, mu: newMu, sigma2: newSigma2)
        }
        storedMu[i] = Scalar(newMu)
        storedSigma2[i] = Scalar(newSigma2)
        storedRowsShareOnePosterior = false
    }
}

extension BayesianSynapseTable {
    /// The stored means and variances, by synapse, for a learner that owns the exact state, steps it
    /// itself and checks its domain (the engine's Synaptic Filter, docs/MODEL.md §5): each store rounds to
    /// `Scalar` once.
    @inlinable
    public func withMutablePosteriors<R>(
        _ body: (UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        storedRowsShareOnePosterior = false
        return try body(UnsafeMutableBufferPointer(start: storedMu, count: storedSynapseCount),
                        UnsafeMutableBufferPointer(start: storedSigma2, count: storedSynapseCount))
    }
}

/// The engine's compact table: Float32 posteriors, 8 bytes per synapse.
public typealias CompactBayesianSynapseTable = BayesianSynapseTable<Float>
