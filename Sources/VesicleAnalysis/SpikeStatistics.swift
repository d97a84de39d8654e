/// Population statistics of spike trains, with the conventions of the NEST and Brian2 analyses that
/// docs/BENCHMARKS.md §1 quotes, so figures can be compared side by side.
///
/// Rules (all restricted to spikes with `from <= t < to`):
/// - rate: spikes / (neurons x window), in Hz, averaged over every neuron including silent ones;
/// - CV: standard deviation over mean of the inter-spike intervals (population s.d., numpy's
///   `ddof = 0`), averaged over the neurons with at least 2 intervals (3 spikes); NaN if none;
/// - Fano: variance over mean (ddof = 0) of one neuron's counts in consecutive bins of `fanoBin`
///   starting at `from` (a trailing partial bin is dropped), averaged over neurons with a non-zero
///   mean count; NaN if none, and NaN (undefined, not 0) when the window holds fewer than 2 whole
///   bins, since the variance of one count is no measurement;
/// - synchrony: the spike-count form of Golomb's chi (Golomb 2007, Scholarpedia 2(1):1347),
///   `chi^2 = Var(population count) / (N * mean_i Var(count_i))` in bins of `synchronyBin`;
///   about `1/sqrt(N)` for independent trains and 1 for identical ones; NaN if no neuron varies.
public struct SpikeTrainStatistics: Sendable, Equatable {
    /// Mean firing rate (Hz).
    public var rate: Double
    /// Mean coefficient of variation of the inter-spike intervals.
    public var cv: Double
    /// Mean Fano factor of single-neuron spike counts.
    public var fano: Double
    /// Golomb's chi computed from spike counts.
    public var synchrony: Double
    /// Number of neurons analysed.
    public var neurons: Int
    /// Neurons that entered the CV average (at least 2 intervals).
    public var neuronsWithCV: Int
    /// Spikes inside the window.
    public var spikes: Int
    /// Whole Fano bins in the window.
    public var fanoBins: Int = 0

    /// Why `cv` is undefined (NaN), in words for a table; nil when it is defined.
    public var cvUndefinedReason: String? {
        guard cv.isNaN else { return nil }
        if neurons == 0 { return "no neurons" }
        return "no neuron has 2 or more inter-spike intervals in the window"
    }

    /// Why `fano` is undefined (NaN), in words; nil when it is defined.
    public var fanoUndefinedReason: String? {
        guard fano.isNaN else { return nil }
        if neurons == 0 { return "no neurons" }
        if fanoBins < 2 {
            return "the window holds \(fanoBins) whole bin\(fanoBins == 1 ? "" : "s"); a count variance needs 2 or more (use a shorter --fano-bin or a longer window)"
        }
        return "no neuron fired in the window"
    }

    public init(
        rate: Double, cv: Double, fano: Double, synchrony: Double,
        neurons: Int, neuronsWithCV: Int, spikes: Int
    ) {
        self.rate = rate
        self.cv = cv
        self.fano = fano
        self.synchrony = synchrony
        self.neurons = neurons
        self.neuronsWithCV = neuronsWithCV
        self.spikes = spikes
    }

    /// Statistics of `times` (one array of spike times in ms per neuron, in any order) over
    /// `[from, to)` (ms). Bins are in ms. An empty or inverted window gives NaN everywhere but `spikes`.
    public static func compute(
        times: [[Double]], from: Double, to: Double,
        fanoBin: Double = 100, synchronyBin: Double = 1
    ) -> SpikeTrainStatistics {
        let window = to - from
        let neurons = times.count
        guard window > 0, neurons > 0 else {
            return SpikeTrainStatistics(
                rate: .nan, cv: .nan, fano: .nan, synchrony: .nan,
                neurons: neurons, neuronsWithCV: 0, spikes: 0)
        }
        let fanoBins = fanoBin > 0 ? Int((window / fanoBin).rounded(.down)) : 0
        let syncBins = synchronyBin > 0 ? Int((window / synchronyBin).rounded(.down)) : 0

        var totalSpikes = 0
        var cvSum = 0.0
        var cvCount = 0
        var fanoSum = 0.0
        var fanoCount = 0
        var populationCounts = [Double](repeating: 0, count: syncBins)
        var singleVarianceSum = 0.0
        var fanoCounts = [Int](repeating: 0, count: fanoBins)
        var syncCounts: [Int: Int] = [:]

        for train in times {
            let inWindow = train.filter { $0 >= from && $0 < to }.sorted()
            totalSpikes += inWindow.count
            if let cv = coefficientOfVariation(sortedTimes: inWindow) {
                cvSum += cv
                cvCount += 1
            }
            if fanoBins > 0 {
                for i in fanoCounts.indices { fanoCounts[i] = 0 }
                for t in inWindow {
                    let bin = Int(((t - from) / fanoBin).rounded(.down))
                    if bin < fanoBins { fanoCounts[bin] += 1 }
                }
                let (mean, variance) = meanAndVariance(fanoCounts.lazy.map(Double.init), count: fanoBins)
                if mean > 0 {
                    fanoSum += variance / mean
                    fanoCount += 1
                }
            }
            if syncBins > 0 {
                syncCounts.removeAll(keepingCapacity: true)
                for t in inWindow {
                    let bin = Int(((t - from) / synchronyBin).rounded(.down))
                    if bin < syncBins { syncCounts[bin, default: 0] += 1 }
                }
                // Only occupied bins are stored: Var = E[n^2] - E[n]^2 over all bins.
                var sum = 0.0
                var sumSquares = 0.0
                for (bin, count) in syncCounts {
                    populationCounts[bin] += Double(count)
                    sum += Double(count)
                    sumSquares += Double(count * count)
                }
                let mean = sum / Double(syncBins)
                singleVarianceSum += max(0, sumSquares / Double(syncBins) - mean * mean)
            }
        }

        let rate = Double(totalSpikes) / Double(neurons) / (window / 1000)
        let cv = cvCount > 0 ? cvSum / Double(cvCount) : .nan
        let fano = fanoCount > 0 && fanoBins >= 2 ? fanoSum / Double(fanoCount) : .nan
        var synchrony = Double.nan
        if syncBins > 0, singleVarianceSum > 0 {
            let (_, populationVariance) = meanAndVariance(populationCounts, count: syncBins)
            synchrony = (populationVariance / (Double(neurons) * singleVarianceSum)).squareRoot()
        }
        var statistics = SpikeTrainStatistics(
            rate: rate, cv: cv, fano: fano, synchrony: synchrony,
            neurons: neurons, neuronsWithCV: cvCount, spikes: totalSpikes)
        statistics.fanoBins = fanoBins
        return statistics
    }

    /// CV of the intervals of one sorted train; nil with fewer than 2 intervals or a zero mean.
    static func coefficientOfVariation(sortedTimes: [Double]) -> Double? {
        guard sortedTimes.count >= 3 else { return nil }
        let intervals = zip(sortedTimes.dropFirst(), sortedTimes).map { $0 - $1 }
        let (mean, variance) = meanAndVariance(intervals, count: intervals.count)
        guard mean > 0 else { return nil }
        return variance.squareRoot() / mean
    }

    /// Two-pass mean and population variance (ddof = 0): exact zero for identical values.
    static func meanAndVariance<S: Sequence>(_ values: S, count: Int) -> (Double, Double)
    where S.Element == Double {
        guard count > 0 else { return (.nan, .nan) }
        var sum = 0.0
        for v in values { sum += v }
        let mean = sum / Double(count)
        var squares = 0.0
        for v in values { squares += (v - mean) * (v - mean) }
        return (mean, squares / Double(count))
    }
}
