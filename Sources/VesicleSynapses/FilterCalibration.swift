// Calibration of a Gaussian weight posterior by its normalised squared error (docs/MODEL.md §5).

/// Running mean of z^2 = (mu - w)^T Sigma^-1 (mu - w) / d over sample times: 1 for a calibrated
/// posterior (the error is then a draw from the posterior itself), above 1 when it is overconfident,
/// below when it is underconfident. Reported beside the fraction within ±2 sd (TrackingMetrics).
public struct FilterCalibration: Sendable, Equatable {
    public internal(set) var sampleCount = 0
    public internal(set) var sum = 0.0
    /// Samples at which the posterior's covariance was not positive definite (z^2 undefined).
    public internal(set) var undefinedCount = 0

    public init() {}

    /// Mean z^2; NaN before any sample.
    public var meanNormalizedSquaredError: Double { sum / Double(sampleCount) }

    mutating func add(_ z2: Double?) {
        guard let z2, z2.isFinite else { undefinedCount += 1; return }
        sampleCount += 1
        sum += z2
    }
}
