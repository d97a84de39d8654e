// Posterior sampling for a whole presynaptic row at once (MODEL.md §3): in a recurrent network every
// synapse of a row releases at each of its neuron's spikes, hundreds of millions of releases per
// simulated second, so the relaxation, the normals and the exponentials run four synapses at a time.

import VesicleModel
import VesicleRandom

extension BayesianSynapseTable where Scalar == Float {
    /// Whether `releaseRow` applies: `posterior` release (log-normal or, under the identity link, normal).
    public var releasesInBatches: Bool { release == .posterior }

    /// Brings `row` to `time` (ms) and writes the signed release of every synapse in `range` (a part of
    /// the row) to `out[0 ..< range.count]`; only for `releasesInBatches`.
    ///
    /// Identical in law to `bringRow` followed by `releaseAmplitude` per synapse: the relaxation is
    /// the same closed form, computed in Double and stored as Float, and each release uses the stored
    /// (mu, sigma2), which is what the release log reports. The normals come from
    /// `RandomLanes.nextNormals` (Box-Muller, truncated at 8.49 sd), the exponential from
    /// `vectorExponential` (1 ulp); normals left over at the end of a row are discarded.
    @inlinable
    public mutating func releaseRow(_ row: Int, range: Range<Int>, at time: Double, sign: Double,
                                    lanes: inout RandomLanes, into out: UnsafeMutablePointer<Double>) {
        let rowRange = rowOffsets[row]..<rowOffsets[row + 1]
        let elapsed = time - storedRowTime[row]
        var decay = 1.0
        if elapsed > 0 {
            if range == rowRange {
                decay = prior.decay(over: elapsed)
                storedRowTime[row] = time
            } else {
                bringRow(row, to: time)
            }
        }
        let relax = decay != 1
        let logLink = link == .log
        let m0 = prior.mean, v0 = prior.variance
        let d = decay, d2 = decay * decay
        storedMu.withUnsafeMutableBufferPointer { muBuffer in
            storedSigma2.withUnsafeMutableBufferPointer { sigma2Buffer in
                let mu = muBuffer.baseAddress! + range.lowerBound
                let sigma2 = sigma2Buffer.baseAddress! + range.lowerBound
                let count = range.count
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
                    if relax {
                        let mf = SIMD4<Float>(m0 + (m - m0) * d)
                        let vf = SIMD4<Float>(v0 + (v - v0) * d2)
                        if width == 4 {
                            UnsafeMutableRawPointer(mu + k).storeBytes(of: mf, as: SIMD4<Float>.self)
                            UnsafeMutableRawPointer(sigma2 + k).storeBytes(of: vf, as: SIMD4<Float>.self)
                        } else {
                            for j in 0..<width {
                                mu[k + j] = mf[j]
                                sigma2[k + j] = vf[j]
                            }
                        }
                        m = SIMD4<Double>(mf)
                        v = SIMD4<Double>(vf)
                    }
                    let x = m + VectorElementaryFunctions.squareRoot(v) * xi
                    let w = (logLink ? vectorExponential(x) : x) * sign
                    if width == 4 {
                        UnsafeMutableRawPointer(out + k).storeBytes(of: w, as: SIMD4<Double>.self)
                    } else {
                        for j in 0..<width { out[k + j] = w[j] }
                    }
                }
                var k = 0
                while k + 8 <= count {
                    let (a, b) = lanes.nextNormals()
                    block(k, a, lanes: 4)
                    block(k + 4, b, lanes: 4)
                    k += 8
                }
                if k < count {
                    let (a, b) = lanes.nextNormals()
                    let first = min(4, count - k)
                    block(k, a, lanes: first)
                    if count - k > 4 { block(k + 4, b, lanes: count - k - 4) }
                }
            }
        }
    }
}
