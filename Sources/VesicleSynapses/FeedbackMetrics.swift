// What a feedback experiment measures (docs/MODEL.md §4 Metrics, §6 variability vs rate).

/// Log-weight error and calibration, accumulated over (sample time, synapse) pairs after the burn-in.
public struct TrackingMetrics: Sendable, Equatable {
    public var pairCount = 0
    public var squaredErrorSum = 0.0
    public var withinTwoSDCount = 0
    /// Sum of (prior mean - lambda_i)^2 over the same pairs: the error of a learner that knows only the
    /// prior, on the same target path (a paired baseline: the path's own variability cancels).
    public var priorSquaredErrorSum = 0.0

    public init() {}

    /// Mean of (mu_pr - lambda_i)^2 over the same pairs; NaN before any sample.
    public var priorMeanSquaredError: Double { priorSquaredErrorSum / Double(pairCount) }

    /// Mean of (mu_i - lambda_i)^2; NaN before any sample.
    public var meanSquaredError: Double { squaredErrorSum / Double(pairCount) }
    /// Fraction of pairs with |mu - lambda| < 2 sqrt(sigma2) (0.954 for a calibrated Gaussian posterior);
    /// 0 for classical rules, which carry no variance.
    public var calibration: Double { Double(withinTwoSDCount) / Double(pairCount) }

    mutating func add(mu: Double, sigma2: Double, target: Double, priorMean: Double) {
        let e = mu - target
        pairCount += 1
        squaredErrorSum += e * e
        priorSquaredErrorSum += (priorMean - target) * (priorMean - target)
        if e * e < 4 * sigma2 { withinTwoSDCount += 1 }
    }
}

/// Per-synapse statistics for the variability-versus-rate experiment (docs/MODEL.md §6).
public struct SynapseVariability: Sendable, Equatable {
    /// Presynaptic rate, Hz.
    public var rate: Double
    /// Sum of s2/m over metric sample times after the burn-in, and their count.
    public var normalizedVariabilitySum = 0.0
    public var sampleCount = 0
    /// Sum of |m_after - m_before| / m_before over this synapse's spikes after the burn-in, and their count.
    public var relativeChangeSum = 0.0
    public var spikeCount = 0

    public init(rate: Double) { self.rate = rate }

    /// Time-averaged s2/m (mV).
    public var normalizedVariability: Double { normalizedVariabilitySum / Double(sampleCount) }
    /// Mean per-spike relative change of m.
    public var relativeChangePerSpike: Double { relativeChangeSum / Double(spikeCount) }
}

/// One traced sample of a synapse: posterior and teacher at `time` (end of a bin, after relaxation).
public struct SynapseTraceSample: Sendable, Equatable {
    public var time: Double
    public var synapse: Int
    public var mu: Double
    public var sigma2: Double
    /// Target log-weight lambda.
    public var target: Double
    /// Weight-space posterior mean m and s.d. s.
    public var weightMean: Double
    public var weightSD: Double
}

/// What the feedback of one bin was, for observers (e.g. an independent Kalman filter in the tests).
public struct FeedbackBinRecord: Sendable, Equatable {
    /// End of the bin, ms.
    public var time: Double
    public var delta: Double
    public var sigmaDelta2: Double
    /// Inputs that spiked in the bin, in the order they were processed.
    public var spikingInputs: [Int]
    /// Their released amplitudes, in the same order.
    public var released: [Double]
    /// The posterior (mu, sigma2) each release was drawn from, in the same order.
    public var releasedMu: [Double] = []
    public var releasedSigma2: [Double] = []
}
