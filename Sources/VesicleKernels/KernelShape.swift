import Foundation

/// A postsynaptic kernel eps(s), s >= 0 in ms, before sampling (docs/DESIGN.md, "FFT where it pays").
///
/// The analytic shapes are dimensionless with these conventions:
/// - `exponential`: eps(s) = exp(-s/tau), eps(0) = 1 (the `lif_exp` current of docs/MODEL.md §2 and the
///   trace kernel of docs/MODEL.md §5).
/// - `alpha`: eps(s) = (s/tau) exp(1 - s/tau), peak 1 at s = tau.
/// - `differenceOfExponentials`: eps(s) = exp(-s/tauDecay) - exp(-s/tauRise), tauRise < tauDecay.
/// - `sampled`: values at s = 0, step, 2 step, ... (from a kernel file); `source` names the file.
public enum KernelShape: Sendable, Equatable {
    case exponential(tau: Double)
    case alpha(tau: Double)
    case differenceOfExponentials(tauRise: Double, tauDecay: Double)
    case sampled(values: [Double], step: Double, source: String)

    /// Checks the parameters a user could get wrong.
    public func validate() throws {
        func positive(_ value: Double, _ name: String) throws {
            guard value.isFinite, value > 0 else {
                throw KernelError.invalidParameter("\(name) must be a positive finite time in ms, got \(value)")
            }
        }
        switch self {
        case .exponential(let tau), .alpha(let tau):
            try positive(tau, "tau")
        case .differenceOfExponentials(let tauRise, let tauDecay):
            try positive(tauRise, "tau_rise")
            try positive(tauDecay, "tau_decay")
            guard tauRise < tauDecay else {
                throw KernelError.invalidParameter(
                    "difference of exponentials needs tau_rise < tau_decay, got \(tauRise) and \(tauDecay)"
                        + (tauRise == tauDecay ? "; equal time constants are the alpha kernel" : ""))
            }
        case .sampled(let values, let step, let source):
            try positive(step, "kernel step of \(source)")
            guard !values.isEmpty else { throw KernelError.fileEmpty(path: source) }
        }
    }

    /// eps(s) for the analytic shapes; nil for `sampled`.
    public func value(at s: Double) -> Double? {
        guard s >= 0 else { return 0 }
        switch self {
        case .exponential(let tau):
            return exp(-s / tau)
        case .alpha(let tau):
            return (s / tau) * exp(1 - s / tau)
        case .differenceOfExponentials(let tauRise, let tauDecay):
            return exp(-s / tauDecay) - exp(-s / tauRise)
        case .sampled:
            return nil
        }
    }

    /// Time of the analytic peak; every analytic shape decreases monotonically after it, which is
    /// what makes the tail truncation rule of `KernelTruncation.relativeTail` safe.
    var peakTime: Double {
        switch self {
        case .exponential, .sampled:
            return 0
        case .alpha(let tau):
            return tau
        case .differenceOfExponentials(let tauRise, let tauDecay):
            return tauRise * tauDecay / (tauDecay - tauRise) * log(tauDecay / tauRise)
        }
    }
}

/// How a sampled kernel is scaled. Both are applied to the samples on the simulation grid, so the
/// simulated (piecewise-constant) system has exactly unit peak or unit charge: `peak` makes
/// max_j |h_j| = 1; `integral` makes dt * sum_j h_j = 1 (ms), i.e. a spike of weight w delivers a
/// charge of w pA ms.
public enum KernelNormalisation: Sendable, Equatable {
    case none
    case peak
    case integral
}

/// Where the sampled kernel stops.
public enum KernelTruncation: Sendable, Equatable {
    /// Analytic shapes: stop at the first grid point after the peak where |eps| < epsilon * peak
    /// (the shapes are monotone after the peak, so every later sample is smaller still).
    /// Sampled file kernels keep all their values.
    case relativeTail(Double)
    /// Exactly this many samples (padded with the shape's values, or zeros for file kernels).
    case length(Int)

    /// The default rule: tail below 1e-12 of the peak.
    public static let standard = KernelTruncation.relativeTail(1e-12)
}
