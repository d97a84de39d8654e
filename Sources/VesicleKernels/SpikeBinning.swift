import Foundation

/// How spikes become a signal on the grid t_n = n dt (ms).
///
/// A spike at time t is assigned to grid point m = ceil(t / dt): the first grid point at or after
/// it (t within 1e-9 relative of a grid point counts as on it, to absorb rounding of t = n dt).
/// It therefore contributes to the kernel signal s_n = sum_k w_k h[n - m_k] from grid point m_k on,
/// never before it occurred, which is what makes block-wise simulation exactly causal. A spike on
/// a grid point contributes w h(t_n - t) exactly. An off-grid spike is late by less than dt,
/// except for pure exponential kernels, where its weight is multiplied by exp(-(t_m - t)/tau): by
/// the semigroup property exp(-(t_n - t)/tau) = exp(-(t_m - t)/tau) exp(-(t_n - t_m)/tau), so the
/// grid values equal the continuous-time sum exactly for every spike time.
public enum SpikeBinning {
    /// Grid index of a spike at `time` (ceil with a 1e-9 relative snap to the nearest point).
    public static func gridIndex(of time: Double, dt: Double) -> Int {
        let position = time / dt
        let nearest = position.rounded()
        if abs(position - nearest) <= 1e-9 * max(1, nearest) { return Int(nearest) }
        return Int(position.rounded(.up))
    }

    /// The weight the binned spike carries at its grid point (see the type's comment).
    public static func binnedWeight(time: Double, weight: Double, index: Int, dt: Double, exponentialTau: Double?) -> Double {
        guard let tau = exponentialTau else { return weight }
        let lag = Double(index) * dt - time
        return lag > 0 ? weight * exp(-lag / tau) : weight
    }

    /// Binned weights of `trains` (one channel each) on grid points firstStep ..< firstStep + steps.
    /// `cursors[c]` is the index of the first spike of train c not yet binned; it is advanced, so
    /// consecutive calls over consecutive ranges bin every spike once.
    public static func bin(
        _ trains: [WeightedSpikeTrain], dt: Double, firstStep: Int, steps: Int,
        exponentialTau: Double?, cursors: inout [Int]
    ) -> MultichannelSignal {
        var signal = MultichannelSignal(zeros: trains.count, length: steps)
        let end = firstStep + steps
        for (c, train) in trains.enumerated() {
            var k = cursors[c]
            while k < train.count {
                // Spikes at or beyond the range's end stay for a later call; comparing in Double
                // first keeps absurdly late times from overflowing Int.
                if train.times[k] / dt > Double(end) + 1 { break }
                let index = gridIndex(of: train.times[k], dt: dt)
                if index >= end { break }
                if index >= firstStep {
                    signal[c, index - firstStep] += binnedWeight(
                        time: train.times[k], weight: train.weights[k], index: index, dt: dt,
                        exponentialTau: exponentialTau)
                }
                k += 1
            }
            cursors[c] = k
        }
        return signal
    }
}
