import VesicleKernels

/// Spike-train correlogram: counts of spike pairs by lag, in bins of width `binWidth` (ms).
///
/// Spikes are binned on [k b, (k + 1) b), k = floor(t / b) (times >= 0). A pair (reference spike
/// i, target spike j) has lag l = k_j - k_i bins; `counts[l + maxLag]` is the number of pairs with
/// lag l, for l = -maxLag ... maxLag. The counts are a cross-correlation of the two binned count
/// sequences, computed by FFT (`FFTCorrelation`) and rounded to integers: the transform's rounding
/// error is far below 1/2 at these magnitudes (about 1e-16 times the largest count times log N).
public struct Correlogram: Sendable, Equatable {
    public let binWidth: Double
    public let maxLag: Int
    public let counts: [Int]

    /// Pairs at lag `lag` bins (|lag| <= maxLag).
    public func count(atLag lag: Int) -> Int { counts[lag + maxLag] }

    /// Lags in ms, bin-centred on the bin-index difference: l * binWidth.
    public var lagTimes: [Double] { (-maxLag...maxLag).map { Double($0) * binWidth } }

    /// Pairs (i in reference, j in target) counted by target lag relative to the reference.
    public static func cross(
        reference: [Double], target: [Double], binWidth: Double, maxLag: Int
    ) throws -> Correlogram {
        guard maxLag >= 0, maxLag <= maximumBins else {
            throw ConvolutionAnalysisError("maximum lag must lie in 0...\(maximumBins) bins, got \(maxLag)")
        }
        let a = try binnedCounts(reference, binWidth: binWidth)
        let b = try binnedCounts(target, binWidth: binWidth)
        let correlation = try FFTCorrelation.crossCorrelation(a, b, maxLag: maxLag)
        return Correlogram(binWidth: binWidth, maxLag: maxLag, counts: correlation.map { Int($0.rounded()) })
    }

    /// Auto-correlogram; each spike's pair with itself is not counted (it would add the spike
    /// count at lag 0), but distinct spikes in the same bin are.
    public static func auto(_ spikes: [Double], binWidth: Double, maxLag: Int) throws -> Correlogram {
        let full = try cross(reference: spikes, target: spikes, binWidth: binWidth, maxLag: maxLag)
        var counts = full.counts
        counts[maxLag] -= spikes.count
        return Correlogram(binWidth: binWidth, maxLag: maxLag, counts: counts)
    }

    /// Largest number of bins a correlogram will allocate (2^27 bins, 1 GiB of doubles).
    public static let maximumBins = 1 << 27

    static func binnedCounts(_ spikes: [Double], binWidth: Double) throws -> [Double] {
        guard binWidth.isFinite, binWidth > 0 else {
            throw ConvolutionAnalysisError("correlogram bin width must be positive, got \(binWidth)")
        }
        guard spikes.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw ConvolutionAnalysisError("spike times must be finite and >= 0 ms")
        }
        let last = spikes.max() ?? 0
        guard last / binWidth < Double(maximumBins) else {
            throw ConvolutionAnalysisError(
                "spikes up to \(last) ms in \(binWidth) ms bins need more than \(maximumBins) bins; use wider bins")
        }
        var counts = Array(repeating: 0.0, count: Int(last / binWidth) + 1)
        for t in spikes { counts[Int(t / binWidth)] += 1 }
        return counts
    }
}

/// Bad input to a correlogram or rate estimate, with what was expected.
public struct ConvolutionAnalysisError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
