import Foundation

/// What one synapse released over a run: the statistics docs/MODEL.md §1 uses as the readout of
/// synaptic uncertainty.
public struct SynapseReleaseSummary: Sendable, Equatable {
    public var synapse: UInt64
    public var presynaptic: UInt64
    public var releases: Int
    /// Mean released PSP amplitude.
    public var meanAmplitude: Double
    /// Unbiased (n - 1) variance of the released amplitudes.
    public var amplitudeVariance: Double
    /// PSP variance over PSP mean (docs/MODEL.md §1, "normalized variability").
    public var normalizedVariability: Double
    /// Presynaptic rate (Hz): releases over the analysed window, since every presynaptic spike
    /// releases once at each of its synapses (docs/MODEL.md §3).
    public var presynapticRate: Double
    /// Time average, over this synapse's releases, of the posterior's weight-space `s2 / m`
    /// (docs/MODEL.md §3 moments; the quantity of docs/MODEL.md §6, Fig. 5); NaN when no posterior was logged.
    public var posteriorNormalizedVariability: Double = .nan
}

/// How the posterior variable maps to the weight (docs/MODEL.md §3).
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

/// The fit of `y = (a/nu)(sqrt(1 + nu/nu0) - 1)` (docs/MODEL.md §6, Fig. 5) to normalized variability
/// against presynaptic rate, by least squares on log y.
public struct VariabilityFit: Sendable, Equatable {
    public var a: Double
    public var nu0: Double
    /// Root-mean-square residual of log y (natural log).
    public var logResidual: Double
    public var points: Int
    /// The 95 % profile-likelihood interval of nu0 (Hz): the nu0 whose best fit has
    /// `n ln(SSE / SSE_min) <= 3.84` (chi-square, 1 degree of freedom, for Gaussian residuals of
    /// log y). A side is nil when the interval reaches the searched range (10^-3 min nu or
    /// 10^3 max nu): the data do not bound nu0 on that side.
    public var nu0Lower: Double? = nil
    public var nu0Upper: Double? = nil

    /// Whether nu0 (and so the shape of the curve) is determined by the data: at least 3 points
    /// (the model has 2 parameters) and a 95 % interval of nu0 bounded on both sides. When not,
    /// only a combination of a and nu0 is: a/(2 nu0) for a flat curve (every rate << nu0, no rate
    /// dependence), a/sqrt(nu0) for a nu^(-1/2) law (every rate >> nu0).
    public var isIdentifiable: Bool { points >= 3 && nu0Lower != nil && nu0Upper != nil }

    /// Why the fitted nu0 should not be read as a rate, or nil when it can be.
    public var caveat: String? {
        if points < 3 { return "\(points) synapses for 2 parameters: the fit is not meaningful" }
        switch (nu0Lower, nu0Upper) {
        case (_, nil):
            return "nu0 is not determined: the data fit any nu0 above \(Self.format(nu0Lower ?? 0)) Hz equally (95 % profile interval unbounded above), i.e. no rate dependence resolved; only a/(2 nu0) = \(Self.format(a / (2 * nu0))) is"
        case (nil, _):
            return "nu0 is not determined: the data fit any nu0 below \(Self.format(nu0Upper ?? 0)) Hz equally (95 % profile interval unbounded below), a pure nu^(-1/2) law; only a/sqrt(nu0) = \(Self.format(a / nu0.squareRoot())) is"
        default:
            return nil
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.3g", value) }

    public func value(at nu: Double) -> Double { ReleaseStatistics.variabilityModel(nu: nu, a: a, nu0: nu0) }
}

public enum ReleaseStatistics {
    /// `(a/nu)(sqrt(1 + nu/nu0) - 1)`, written as `a / (nu0 (sqrt(1 + nu/nu0) + 1))` so it stays
    /// accurate for nu << nu0 (no cancellation); it tends to `a/(2 nu0)` there and to
    /// `a/sqrt(nu nu0)` for nu >> nu0, the nu^(-1/2) law of docs/MODEL.md §1.
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
    /// changes shape), then golden-section refinement around the best grid point. The same grid
    /// gives the profile-likelihood interval of nu0 (`VariabilityFit.nu0Lower`, `nu0Upper`).
    /// Returns nil with fewer than 2 usable points.
    /// - Complexity: O(n) per grid point, 600 grid points and 80 refinement steps.
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
        var profile = [Double](repeating: 0, count: steps + 1)
        for i in 0...steps {
            let sse = solve(logNu0: lower + Double(i) * spacing).sse
            profile[i] = sse
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
        // Profile likelihood of Gaussian log-residuals: -2 ln L = n ln SSE + const, so the 95 %
        // interval is where n ln(SSE / SSE_min) <= 3.84. The floor keeps an exact fit's interval
        // finite (a relative SSE change of 1e-12 is rounding, not information).
        let n = Double(points.count)
        let floor = max(min(sse, bestSSE), 1e-300)
        let limit = floor * exp(3.841_458_820_694_124 / n) * (1 + 1e-12)
        var first = bestIndex, last = bestIndex
        while first > 0, profile[first - 1] <= limit { first -= 1 }
        while last < steps, profile[last + 1] <= limit { last += 1 }
        var fit = VariabilityFit(
            a: exp(logA), nu0: exp(logNu0), logResidual: (sse / n).squareRoot(), points: points.count)
        fit.nu0Lower = first > 0 ? exp(lower + Double(first) * spacing) : nil
        fit.nu0Upper = last < steps ? exp(lower + Double(last) * spacing) : nil
        return fit
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
