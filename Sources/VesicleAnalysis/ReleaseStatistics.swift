import Foundation

/// What one synapse released over a run: the statistics MODEL.md §1 uses as the readout of
/// synaptic uncertainty.
public struct SynapseReleaseSummary: Sendable, Equatable {
    public var synapse: UInt64
    public var presynaptic: UInt64
    public var releases: Int
    /// Mean released PSP amplitude.
    public var meanAmplitude: Double
    /// Unbiased (n - 1) variance of the released amplitudes.
    public var amplitudeVariance: Double
    /// PSP variance over PSP mean (MODEL.md §1, "normalized variability").
    public var normalizedVariability: Double
    /// Presynaptic rate (Hz): releases over the analysed window, since every presynaptic spike
    /// releases once at each of its synapses (MODEL.md §3).
    public var presynapticRate: Double
    /// Time average, over this synapse's releases, of the posterior's weight-space `s2 / m`
    /// (MODEL.md §3 moments; the quantity of MODEL.md §6, Fig. 5); NaN when no posterior was logged.
    public var posteriorNormalizedVariability: Double = .nan
}

/// How the posterior variable maps to the weight (MODEL.md §3).
public enum WeightLink: String, Sendable, CaseIterable {
    /// Gaussian over the log-weight: `m = exp(mu + sigma2/2)`, `s2 = m^2 (exp(sigma2) - 1)`.
    case log
    /// Gaussian over the weight itself: `m = mu`, `s2 = sigma2`.
    case identity

    /// Weight-space mean and variance of the posterior (mu, sigma2).
    public func weightMoments(mu: Double, sigma2: Double) -> (mean: Double, variance: Double) {
        switch self {
        case .log:
            let m = exp(mu + sigma2 / 2)
            return (m, m * m * expm1(sigma2))
        case .identity:
            return (mu, sigma2)
        }
    }
}

/// The fit of `y = (a/nu)(sqrt(1 + nu/nu0) - 1)` (MODEL.md §6, Fig. 5) to normalized variability
/// against presynaptic rate, by least squares on log y.
public struct VariabilityFit: Sendable, Equatable {
    public var a: Double
    public var nu0: Double
    /// Root-mean-square residual of log y (natural log).
    public var logResidual: Double
    public var points: Int

    public func value(at nu: Double) -> Double { ReleaseStatistics.variabilityModel(nu: nu, a: a, nu0: nu0) }
}

public enum ReleaseStatistics {
    /// `(a/nu)(sqrt(1 + nu/nu0) - 1)`, written as `a / (nu0 (sqrt(1 + nu/nu0) + 1))` so it stays
    /// accurate for nu << nu0 (no cancellation); it tends to `a/(2 nu0)` there and to
    /// `a/sqrt(nu nu0)` for nu >> nu0, the nu^(-1/2) law of MODEL.md §1.
    public static func variabilityModel(nu: Double, a: Double, nu0: Double) -> Double {
        a / (nu0 * ((1 + nu / nu0).squareRoot() + 1))
    }

    /// Per-synapse summaries of a release log over a window of `duration` ms. Synapses with fewer
    /// than `minimumReleases` releases (at least 2, for a variance) are left out. Sorted by synapse.
    /// When `mu` and `sigma2` (the posterior logged with each release) are given, each summary
    /// also carries the time-averaged posterior `s2 / m` under `link`.
    public static func summarize(
        synapse: [UInt64], presynaptic: [UInt64], amplitude: [Double], duration: Double, minimumReleases: Int = 2,
        mu: [Double]? = nil, sigma2: [Double]? = nil, link: WeightLink = .log
    ) -> [SynapseReleaseSummary] {
        guard duration > 0 else { return [] }
        var groups: [UInt64: (pre: UInt64, amplitudes: [Double], posteriorRatios: [Double])] = [:]
        for k in synapse.indices where k < presynaptic.count && k < amplitude.count {
            groups[synapse[k], default: (presynaptic[k], [], [])].amplitudes.append(amplitude[k])
            if let mu, let sigma2, k < mu.count, k < sigma2.count {
                let (m, s2) = link.weightMoments(mu: mu[k], sigma2: sigma2[k])
                groups[synapse[k]]?.posteriorRatios.append(s2 / m)
            }
        }
        var summaries: [SynapseReleaseSummary] = []
        for (id, group) in groups where group.amplitudes.count >= max(2, minimumReleases) {
            let n = Double(group.amplitudes.count)
            let mean = group.amplitudes.reduce(0, +) / n
            let variance = group.amplitudes.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            let ratios = group.posteriorRatios
            summaries.append(SynapseReleaseSummary(
                synapse: id, presynaptic: group.pre, releases: group.amplitudes.count,
                meanAmplitude: mean, amplitudeVariance: variance, normalizedVariability: variance / mean,
                presynapticRate: n / (duration / 1000),
                posteriorNormalizedVariability: ratios.isEmpty ? .nan : ratios.reduce(0, +) / Double(ratios.count)))
        }
        return summaries.sorted { $0.synapse < $1.synapse }
    }

    /// Least-squares fit of `log y = log a + log g(nu; nu0)` over the points with positive finite
    /// nu and y. For a fixed nu0 the best log a is the mean of `log y - log g`, so only nu0 is
    /// searched: a log-spaced grid spanning 10^-3 min(nu) to 10^3 max(nu) (where the curve
    /// changes shape), then golden-section refinement around the best grid point. Returns nil
    /// with fewer than 2 usable points.
    public static func fitVariability(rates: [Double], variability: [Double]) -> VariabilityFit? {
        let points = zip(rates, variability).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
        guard points.count >= 2 else { return nil }
        let logY = points.map { log($0.1) }
        let nus = points.map(\.0)
        func solve(logNu0: Double) -> (logA: Double, sse: Double) {
            let nu0 = exp(logNu0)
            let logG = nus.map { log(variabilityModel(nu: $0, a: 1, nu0: nu0)) }
            let logA = zip(logY, logG).reduce(0) { $0 + $1.0 - $1.1 } / Double(nus.count)
            let sse = zip(logY, logG).reduce(0) { $0 + pow($1.0 - logA - $1.1, 2) }
            return (logA, sse)
        }
        let lower = log(nus.min()!) - 3 * log(10.0)
        let upper = log(nus.max()!) + 3 * log(10.0)
        let steps = 600
        let spacing = (upper - lower) / Double(steps)
        var bestIndex = 0
        var bestSSE = Double.infinity
        for i in 0...steps {
            let sse = solve(logNu0: lower + Double(i) * spacing).sse
            if sse < bestSSE {
                bestSSE = sse
                bestIndex = i
            }
        }
        var left = lower + Double(max(0, bestIndex - 1)) * spacing
        var right = lower + Double(min(steps, bestIndex + 1)) * spacing
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<80 {
            let x1 = right - ratio * (right - left)
            let x2 = left + ratio * (right - left)
            if solve(logNu0: x1).sse <= solve(logNu0: x2).sse { right = x2 } else { left = x1 }
        }
        let logNu0 = (left + right) / 2
        let (logA, sse) = solve(logNu0: logNu0)
        return VariabilityFit(
            a: exp(logA), nu0: exp(logNu0), logResidual: (sse / Double(points.count)).squareRoot(), points: points.count)
    }

    /// Ordinary least-squares slope of log y against log x over positive finite points; NaN with
    /// fewer than 2 points or no spread in x.
    public static func logLogSlope(x: [Double], y: [Double]) -> Double {
        let points = zip(x, y).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
            .map { (log($0.0), log($0.1)) }
        guard points.count >= 2 else { return .nan }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n
        let meanY = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        let sxy = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        return sxx > 0 ? sxy / sxx : .nan
    }
}
