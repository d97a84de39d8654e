// The feedback learning rules of docs/MODEL.md §4, as increments of one synapse in one bin.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel

/// What every synapse that spiked in a bin sees of the feedback (docs/MODEL.md §4): the error `delta`,
/// the variance `sigma_delta^2` the synapses assume for it, and the per-rule quantities derived from
/// it once per bin.
public struct FeedbackBinSignal: Sendable, Equatable {
    /// delta = V_target - V + sigma_0 xi, mV.
    public var delta: Double
    /// sigma_delta^2, mV^2.
    public var sigmaDelta2: Double
    /// Cerebellar bit f = sign(delta - theta_f) (+1 or -1).
    public var climbingFibre: Double
    /// Cerebellar `R(z)` with `z = -f theta_f / sigma_delta` (Bayesian) or `z = -f theta_f / sigma_0` (classical).
    public var millsRatio: Double
    public var z: Double
    /// Reinforcement surprise g = delta^2 / sigma_delta^2 - 1.
    public var surprise: Double
    /// Reward r = -|delta|.
    public var reward: Double

    /// Derives the per-bin quantities. `threshold` is theta_f in mV (-2.1 sigma_0 in the paper).
    public init(rule: LearningRule, delta: Double, sigmaDelta2: Double, sigma0: Double, threshold: Double) {
        self.delta = delta
        self.sigmaDelta2 = sigmaDelta2
        climbingFibre = delta - threshold >= 0 ? 1 : -1
        reward = -abs(delta)
        surprise = delta * delta / sigmaDelta2 - 1
        switch rule {
        case .cerebellar:
            z = -climbingFibre * threshold / sigmaDelta2.squareRoot()
            millsRatio = inverseMillsRatio(z)
        case .classicalCerebellar:
            z = -climbingFibre * threshold / sigma0
            millsRatio = inverseMillsRatio(z)
        default:
            z = 0
            millsRatio = 0
        }
    }
}

/// Change of one synapse's posterior (mu, sigma2) in one bin.
public struct PosteriorIncrement: Sendable, Equatable {
    public var mu: Double
    public var sigma2: Double

    @inlinable
    public init(mu: Double, sigma2: Double) {
        self.mu = mu
        self.sigma2 = sigma2
    }
}

extension LearningRule {
    /// The rule's increment for a synapse with posterior (mu, sigma2), weight moments `moments`,
    /// presynaptic activity `x` and released amplitude `w` (docs/MODEL.md §4). `slope` is dm/dmu
    /// (`m` under the log link, 1 under the identity link). The prior relaxation is not included.
    ///
    /// Bayesian, with `a = sigma2 slope x / sigma_delta^2`:
    /// supervised `d mu = a delta`, `d sigma2 = -a^2 sigma_delta^2`;
    /// cerebellar, with `b = sigma2 slope x / sigma_delta`, `d mu = b f R(z)`, `d sigma2 = -b^2 R (R + z)`;
    /// reinforcement `d mu = a (m - w) g`, `d sigma2 = a^2 sigma_delta^2 g`.
    /// Classical (fixed eta, on the log-weight, no variance): supervised `eta x delta`;
    /// cerebellar `eta x f R(-f theta_f / sigma_0)`; reinforcement `eta x (r tanh(r x (m - w)) - (m - w))`.
    @inlinable
    public func increment(sigma2: Double, moments: WeightMoments, slope: Double, x: Double, released w: Double,
                          signal s: FeedbackBinSignal) -> PosteriorIncrement {
        switch self {
        case .supervised:
            let a = sigma2 * slope * x / s.sigmaDelta2
            return PosteriorIncrement(mu: a * s.delta, sigma2: -a * a * s.sigmaDelta2)
        case .cerebellar:
            let b = sigma2 * slope * x / s.sigmaDelta2.squareRoot()
            let r = s.millsRatio
            return PosteriorIncrement(mu: b * s.climbingFibre * r, sigma2: -b * b * r * (r + s.z))
        case .reinforcement:
            let a = sigma2 * slope * x / s.sigmaDelta2
            return PosteriorIncrement(mu: a * (moments.mean - w) * s.surprise,
                                      sigma2: a * a * s.sigmaDelta2 * s.surprise)
        case .classicalSupervised(let eta):
            return PosteriorIncrement(mu: eta * x * s.delta, sigma2: 0)
        case .classicalCerebellar(let eta):
            return PosteriorIncrement(mu: eta * x * s.climbingFibre * s.millsRatio, sigma2: 0)
        case .classicalReinforcement(let eta):
            let deviation = moments.mean - w
            return PosteriorIncrement(mu: eta * x * (s.reward * tanh(s.reward * x * deviation) - deviation),
                                      sigma2: 0)
        case .none, .synapticFilter, .gradient:
            return PosteriorIncrement(mu: 0, sigma2: 0)
        }
    }

    /// Bayesian rules carry a variance and relax toward the prior; classical ones do neither (docs/MODEL.md §4).
    public var isBayesianFeedbackRule: Bool {
        switch self {
        case .supervised, .cerebellar, .reinforcement: return true
        default: return false
        }
    }

    /// The classical baseline with learning rate `eta` that a Bayesian feedback rule is compared against.
    public func classicalBaseline(eta: Double) -> LearningRule? {
        switch self {
        case .supervised: return .classicalSupervised(eta: eta)
        case .cerebellar: return .classicalCerebellar(eta: eta)
        case .reinforcement: return .classicalReinforcement(eta: eta)
        default: return nil
        }
    }
}
