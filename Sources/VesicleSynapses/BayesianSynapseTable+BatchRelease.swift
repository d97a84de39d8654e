// Posterior sampling for a whole presynaptic row at once (docs/MODEL.md §3): in a recurrent network every
// synapse of a row releases at each of its neuron's spikes, hundreds of millions of releases per
// simulated second, so the relaxation, the normals and the exponentials run four synapses at a time.

import CVesicleVector
import VesicleModel
import VesicleRandom

extension BayesianSynapseTable where Scalar == Float {
    /// Whether `releaseRow` applies: `posterior` release (log-normal or, under the identity link, normal).
    public var releasesInBatches: Bool { release == .posterior }

    /// Writes the signed release at `time` (ms) of every synapse in `range` (a part of `row`) to
    /// `out[0 ..< range.count]`; only for `releasesInBatches`.
    ///
    /// Each release is drawn from the posterior relaxed from the row's stored state to `time` by the
    /// closed form (docs/MODEL.md §3), computed in Double and used as it is; the stored state and the row's
    /// time are left as they are. That is the same law as `bringRow` followed by `releaseAmplitude`,
    /// and the relaxation is one exact step from the last stored state instead of a chain of Float
    /// roundings, but the table is only read: a recurrent network's posteriors (8 bytes per synapse)
    /// stream through the cache without being written back at every spike. `relaxedPosterior` gives
    /// the (mu, sigma2) a release used, bit for bit. The normals come from
    /// `RandomLanes.zigguratBlocks` (exact ziggurat on the 52-bit uniform grid, its rare rejections
    /// finished after the row's fast draws), the exponential
    /// from `vectorExponential` (1 ulp); normals left over at the end of a row are discarded. Rows
    /// that share one posterior run the loop of `kernel` (the same bits from each).
    @inlinable
    public func releaseRow(_ row: Int, range: Range<Int>, at time: Double, sign: Double,
                           lanes: inout RandomLanes, into out: UnsafeMutablePointer<Double>,
                           kernel: ReleaseKernel = .selected) {
        let d = rowDecay(row, to: time)
        let d2 = d * d
        let relax = d != 1
        let logLink = link == .log
        let m0 = prior.mean, v0 = prior.variance
        let layers = NormalZiggurat.layers, densities = NormalZiggurat.densities
        do {
            do {
                let mu = storedMu + range.lowerBound
                let sigma2 = storedSigma2 + range.lowerBound
                let count = range.count
                if rowsShareOnePosterior {
                    // One posterior for the whole row, read from the per-row copy: relaxed and rooted
                    // once, with the same lane operations as below, so every release is bit for bit
                    // what the per-synapse path gives; the row's 8 bytes per synapse are not read.
                    guard count > 0 else { return }
                    let (mean, deviation, unchecked) = sharedPosterior(row, decay: d, sign: sign)
                    let negative = sign < 0, exponentials = ExponentialTable.values
                    if unchecked && kernel != .portable {
                        lanes.withWords { words in
                            vesicle_lognormal_row(Int32(kernel.rawValue), words, mean, deviation, negative ? 1 : 0,
                                                  count, out, layers, densities, exponentials)
                        }
                        return
                    }
                    // One loop per form, so that the common one carries nothing of the other.
                    @inline(__always)
                    func releases(_ amplitude: (SIMD4<Double>) -> SIMD4<Double>) {
                        lanes.zigguratBlocks((count + 3) / 4, layers: layers, densities: densities) { b, xi in
                            let w = amplitude(mean + deviation * xi)
                            let k = 4 * b
                            if k + 4 <= count {
                                UnsafeMutableRawPointer(out + k).storeBytes(of: w, as: SIMD4<Double>.self)
                            } else {
                                for j in 0..<(count - k) { out[k + j] = w[j] }
                            }
                        }
                    }
                    if unchecked {
                        releases { signedVectorExponential($0, negative: negative, table: exponentials) }
                    } else {
                        releases { (logLink ? vectorExponential($0) : $0) * sign }
                    }
                    return
                }
                // In a network without learning every sigma2 of a row is the same (one initial value,
                // one relaxation per row), so the square root of the last block is reused when the
                // next block's variances are equal to it: the same value, without the Newton steps.
                var lastVariance = SIMD4<Double>(repeating: -1), lastRoot = SIMD4<Double>.zero
                @inline(__always)
                func block(_ k: Int, _ xi: SIMD4<Double>, lanes width: Int) {
                    var m: SIMD4<Double>, v: SIMD4<Double>
                    if width == 4 {
                        m = SIMD4<Double>(UnsafeRawPointer(mu + k).loadUnaligned(as: SIMD4<Float>.self))
                        v = SIMD4<Double>(UnsafeRawPointer(sigma2 + k).loadUnaligned(as: SIMD4<Float>.self))
                    } else {
                        m = .zero
                        v = .zero
                        for j in 0..<width {
                            m[j] = Double(mu[k + j])
                            v[j] = Double(sigma2[k + j])
                        }
                    }
                    // The same operations as `relaxedPosterior`, lane by lane.
                    if relax {
                        m = m0 + (m - m0) * d
                        v = v0 + (v - v0) * d2
                    }
                    if any(v .!= lastVariance) {
                        lastVariance = v
                        lastRoot = VectorElementaryFunctions.squareRoot(v)
                    }
                    let x = m + lastRoot * xi
                    let w = (logLink ? vectorExponential(x) : x) * sign
                    if width == 4 {
                        UnsafeMutableRawPointer(out + k).storeBytes(of: w, as: SIMD4<Double>.self)
                    } else {
                        for j in 0..<width { out[k + j] = w[j] }
                    }
                }
                lanes.zigguratBlocks((count + 3) / 4, layers: layers, densities: densities) { b, xi in
                    block(4 * b, xi, lanes: min(4, count - 4 * b))
                }
            }
        }
    }

    /// Asks for the cache lines `releaseRow` reads first of `row` (its time and, where rows share one
    /// posterior, that posterior), ahead of the row's delivery: a hint that changes no value.
    @inlinable @inline(__always)
    public func prefetchRowState(_ row: Int) {
        vesicle_prefetch(storedRowTime + row)
        if storedRowsShareOnePosterior { vesicle_prefetch(storedRowPosterior + 2 * row) }
    }

    /// e^(-(time - row time)/tau): the relaxation factor of `row`'s means from its stored state to
    /// `time`; 1 for times not after the row's, or too close to it to relax (the stored values are then
    /// used as they are, as `bringRow` leaves such a row unchanged).
    @inlinable @inline(__always)
    public func rowDecay(_ row: Int, to time: Double) -> Double {
        let elapsed = time - storedRowTime[row]
        return elapsed > 0 ? prior.decay(over: elapsed) : 1
    }

    /// The posterior of synapse `i` (in `row`) at `time` as `releaseRow` computes it for a release,
    /// bit for bit: the release log reports these values.
    @inlinable
    public func relaxedPosterior(_ i: Int, row: Int, at time: Double) -> (mu: Double, sigma2: Double) {
        let d = rowDecay(row, to: time)
        if d == 1 { return posterior(i) }
        let m0 = prior.mean, v0 = prior.variance
        return (m0 + (Double(storedMu[i]) - m0) * d, v0 + (Double(storedSigma2[i]) - v0) * (d * d))
    }

    /// The one posterior a row shares (`rowsShareOnePosterior`), relaxed by the row's decay d from its
    /// stored state to the release time (docs/MODEL.md §3), as both release loops use it: the mean,
    /// the root of the variance, and whether every x = mean + deviation xi of the row lies inside
    /// exp's vector domain with a sign of +-1. The bound is |mean| + deviation * 13.708 (the largest
    /// normal the lanes give), so one check here replaces one per block, and the sign is set in the
    /// exponential's scale. Computed on four equal lanes, the operations the per-synapse loop uses,
    /// so every release is bit for bit that loop's.
    @inlinable @inline(__always)
    func sharedPosterior(_ row: Int, decay d: Double, sign: Double) -> (mean: Double, deviation: Double, unchecked: Bool) {
        let m0 = prior.mean, v0 = prior.variance
        var m = SIMD4<Double>(repeating: Double(storedRowPosterior[2 * row]))
        var v = SIMD4<Double>(repeating: Double(storedRowPosterior[2 * row + 1]))
        if d != 1 {
            m = m0 + (m - m0) * d
            v = v0 + (v - v0) * (d * d)
        }
        let root = VectorElementaryFunctions.squareRoot(v)
        let bound = abs(m[0]) + root[0] * RandomLanes.largestZigguratNormal
        return (m[0], root[0], link == .log && bound < 707 && abs(sign) == 1)
    }
}

extension BayesianSynapseTable where Scalar == Float {
    /// The releases at `time` of the synapses `range` of `row` when this table holds only some of a
    /// part's synapses (an MPI rank's own targets, docs/DESIGN.md, Ranks, Bayesian rows): the whole
    /// part has `wholeCount` synapses, of which `range` is positions `skip ..< skip + range.count`,
    /// and `lanes` are seeded for the whole part. Bit for bit what `releaseRow` gives those synapses
    /// in the whole table: the normals of the whole part are generated (the ziggurat's deferred
    /// rejections make a synapse's lane words depend on the part's earlier blocks), and each block
    /// of four that holds one of `range` is computed whole, from the row's one posterior, as
    /// `releaseRow` computes it, so that the exponential's lane-wise fallback sees the same four
    /// values. Only for tables whose rows share one posterior (`rowsShareOnePosterior`; the builder
    /// builds a rank's part only then, `NetworkSpec.wholeOnEveryRank`).
    /// Where the row's one posterior keeps every release inside exp's vector domain and `kernel` is
    /// an AVX2 or AVX-512 build, the whole part is released by that build's loop into a scratch
    /// buffer and the rank's synapses copied from it (the same bits as the portable loop): a rank's
    /// release work is then the whole part's, as when every rank drew every row whole.
    /// - Complexity: O(wholeCount) normals, O(range.count) exponentials (O(wholeCount) on the vector builds).
    @inlinable
    public func releasePartOfRow(_ row: Int, range: Range<Int>, skip: Int, wholeCount: Int, at time: Double,
                                 sign: Double, lanes: inout RandomLanes, into out: UnsafeMutablePointer<Double>,
                                 kernel: ReleaseKernel = .selected) {
        precondition(rowsShareOnePosterior, "a rank's part of a Bayesian row needs rows that share one posterior")
        let count = range.count
        guard count > 0 else { return }
        precondition(skip >= 0 && skip + count <= wholeCount, "a part's own synapses lie inside the whole part")
        let logLink = link == .log
        let (mean, deviation, unchecked) = sharedPosterior(row, decay: rowDecay(row, to: time), sign: sign)
        let negative = sign < 0, exponentials = ExponentialTable.values
        let first = skip, end = skip + count
        if unchecked && kernel != .portable {
            withUnsafeTemporaryAllocation(of: Double.self, capacity: wholeCount) { whole in
                lanes.withWords { words in
                    vesicle_lognormal_row(Int32(kernel.rawValue), words, mean, deviation, negative ? 1 : 0, wholeCount,
                                          whole.baseAddress!, NormalZiggurat.layers, NormalZiggurat.densities, exponentials)
                }
                out.update(from: whole.baseAddress! + first, count: count)
            }
            return
        }
        lanes.zigguratBlocks((wholeCount + 3) / 4, layers: NormalZiggurat.layers, densities: NormalZiggurat.densities) { b, xi in
            let k = 4 * b
            guard k + 4 > first && k < end else { return }
            let x = mean + deviation * xi
            let w = unchecked ? signedVectorExponential(x, negative: negative, table: exponentials)
                              : (logLink ? vectorExponential(x) : x) * sign
            for j in 0..<4 where k + j >= first && k + j < end { out[k + j - first] = w[j] }
        }
    }
}
