import Foundation
import VesicleKernels

/// The smoothing kernel of a population rate, in ms.
public enum RateSmoothing: Sendable, Equatable {
    /// Centred Gaussian of standard deviation sigma (acausal), cut at |s| <= sigma sqrt(2 ln 1e12)
    /// (tail below 1e-12 of its peak).
    case gaussian(sigma: Double)
    /// Causal exponential exp(-s/tau), s >= 0, cut where it falls below 1e-12.
    case exponential(tau: Double)
}

/// Smoothed population rate: spikes of `neuronCount` neurons are counted in bins
/// [k b, (k + 1) b), k < floor(duration / b), turned into a rate per neuron in Hz,
/// r_k = count_k / (neuronCount * b / 1000 ms), and convolved (`Convolution`, FFT or direct by
/// the measured crossover) with the kernel sampled at the bin spacing and normalised to unit
/// sum, so a constant rate is preserved away from the ends. Spikes outside [0, bins * b) are
/// not counted. Near the ends of the recording the
/// kernel runs off the data, which is treated as silent (no renormalisation).
public enum PopulationRate {
    public static func smoothed(
        spikeTimes: [Double], neuronCount: Int, binWidth: Double, duration: Double,
        smoothing: RateSmoothing, method: ConvolutionMethod = .automatic
    ) throws -> [Double] {
        guard neuronCount > 0 else { throw ConvolutionAnalysisError("population rate needs at least one neuron") }
        guard binWidth.isFinite, binWidth > 0, duration.isFinite, duration >= binWidth else {
            throw ConvolutionAnalysisError("need 0 < bin width (\(binWidth) ms) <= duration (\(duration) ms)")
        }
        let binCount = (duration / binWidth).rounded(.down)
        guard binCount <= Double(Correlogram.maximumBins) else {
            throw ConvolutionAnalysisError("\(duration) ms in \(binWidth) ms bins is too many bins; use wider bins")
        }
        let bins = Int(binCount)
        var rate = Array(repeating: 0.0, count: bins)
        let perSpike = 1000 / (Double(neuronCount) * binWidth)
        for t in spikeTimes where t.isFinite && t >= 0 && t / binWidth < Double(bins) {
            rate[Int(t / binWidth)] += perSpike
        }
        let (kernel, lead) = try sampledKernel(smoothing, binWidth: binWidth)
        // y[n] = sum_j g[j] r[n - j] with g centred at index `lead`; the smoothed rate at bin k is
        // y[k + lead], so the signal is padded by `lead` bins.
        let padded = try MultichannelSignal(channels: 1, length: bins + lead, samples: rate + Array(repeating: 0, count: lead))
        let smoothed = try Convolution.causal(padded, kernel: kernel, method: method)
        return Array(smoothed.samples[lead..<(lead + bins)])
    }

    /// Samples at the bin spacing with unit sum, and the index of s = 0.
    static func sampledKernel(_ smoothing: RateSmoothing, binWidth: Double) throws -> (values: [Double], lead: Int) {
        switch smoothing {
        case .gaussian(let sigma):
            guard sigma.isFinite, sigma > 0 else { throw ConvolutionAnalysisError("Gaussian sigma must be positive, got \(sigma)") }
            let half = Int((sigma * (2 * log(1e12)).squareRoot() / binWidth).rounded(.down))
            guard half <= SampledKernel.maximumLength / 2 else { throw ConvolutionAnalysisError("sigma too large for the bin width") }
            var values = (-half...half).map { j -> Double in
                let s = Double(j) * binWidth
                return exp(-s * s / (2 * sigma * sigma))
            }
            let total = values.reduce(0, +)
            values = values.map { $0 / total }
            return (values, half)
        case .exponential(let tau):
            guard tau.isFinite, tau > 0 else { throw ConvolutionAnalysisError("exponential tau must be positive, got \(tau)") }
            do {
                let kernel = try SampledKernel(.exponential(tau: tau), dt: binWidth)
                let total = kernel.values.reduce(0, +)
                return (kernel.values.map { $0 / total }, 0)
            } catch {
                throw ConvolutionAnalysisError("\(error)")
            }
        }
    }
}
