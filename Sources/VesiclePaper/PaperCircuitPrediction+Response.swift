// Why the means drift in the circuit (issue 18 item 5; docs/MODEL.md §5): the rate of a learning neuron
// after one of its plastic inputs released, against the rate the filter's model expects. The model says
// an input at trace x multiplies the rate by e^(beta mu x + beta^2 s2 x^2 / 2), x = e^(-s/tau_eps); if
// the neuron answers less (reset, refractoriness, the inhibition the same spike recruits), the filter's
// error y - gbar h is negative after each input, and every posterior mean falls in proportion to
// s2 x, as its variance does.

import Foundation

extension PaperCircuitPrediction {
    /// Lag bins (ms, from a release at the postsynaptic neuron) of the response table.
    public static let responseBins: [(Double, Double)] = [(-10, -5), (-5, 0), (0, 2), (2, 5), (5, 10), (10, 20)]

    /// Per bin of `responseBins`: the learning neuron's spike count in [t + lo, t + hi) after each release
    /// at t, summed over releases, over its expected count at its mean rate (rate x width); 1 = no
    /// response. `releases` are (time ms, postsynaptic neuron), `spikes` each neuron's ascending spike
    /// times (ms), `from`/`to` the measured window (releases whose bins leave it are skipped).
    /// - Complexity: O(releases x (log spikes + spikes per bin)).
    public static func responseGain(releases: [(time: Double, post: Int)], spikes: [[Double]], from: Double, to: Double)
        -> [Double] {
        let seconds = (to - from) / 1000
        var observed = [Double](repeating: 0, count: responseBins.count)
        var expected = [Double](repeating: 0, count: responseBins.count)
        let reach = responseBins.map(\.1).max() ?? 0, back = responseBins.map(\.0).min() ?? 0
        for r in releases where r.time + back >= from && r.time + reach < to && r.post < spikes.count {
            let train = spikes[r.post]
            let rate = Double(train.count) / seconds / 1000  // per ms
            guard rate > 0 else { continue }
            // First spike at or after t + back (bisection), then walk.
            var lo = 0, hi = train.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if train[mid] < r.time + back { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            while k < train.count && train[k] < r.time + reach {
                let lag = train[k] - r.time
                for (b, bin) in responseBins.enumerated() where lag >= bin.0 && lag < bin.1 { observed[b] += 1 }
                k += 1
            }
            for (b, bin) in responseBins.enumerated() { expected[b] += rate * (bin.1 - bin.0) }
        }
        return zip(observed, expected).map { $1 > 0 ? $0 / $1 : .nan }
    }

    /// The model's gain over a bin, the mean over lags s in [lo, hi) ms of e^(beta mu_pr x + beta^2 s2_pr x^2 / 2),
    /// x = e^(-s/tau_eps) (1 for negative lags: an input does not act before it arrives), by the midpoint
    /// rule on 1000 points.
    /// - Complexity: O(1).
    public static func modelGain(from lo: Double, to hi: Double, filter s: FilterSettings) -> Double {
        let (a, b) = s.selfTerm
        let n = 1000
        var sum = 0.0
        for k in 0..<n {
            let lag = lo + (Double(k) + 0.5) / Double(n) * (hi - lo)
            let x = lag < 0 ? 0 : exp(-lag / (s.tauEpsilon * 1000))
            sum += exp(a * x + b * x * x)
        }
        return sum / Double(n)
    }
}
