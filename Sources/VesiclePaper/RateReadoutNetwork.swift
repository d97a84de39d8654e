// The Nature paper's Fig. 4 setting (Aitchison et al. 2021; docs/MODEL.md §4): a recurrent rate network
// whose linear readout learns periodic targets online, by the delta rule or by the Bayesian rule with
// per-weight learning rates eta_i = sigma_i^2 / sigma_delta^2. A rate network, not a spiking one: this is
// a separate experiment kind of the paper library, read from a `.rates` file (RateReadoutSettings).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleRandom

/// Every setting of the experiment; the published ones from the issue, the others chosen and stated in
/// Networks/paper/rate_readout.rates.
public struct RateReadoutSettings: Sendable, Equatable {
    public var units = 500
    public var connectionProbability = 0.1
    public var gain = 1.5
    /// Unit time constant, in steps.
    public var tau = 10.0
    /// Target period, steps; harmonics of the target; steps per trial; steps of washout per trial (no
    /// learning, no error); the s.d. of the initial state of every trial.
    public var period = 50
    public var harmonics = 3
    public var trialSteps = 100
    public var washout = 20
    public var initialStateSD = 1.0
    /// Feedback noise s.d. sigma_0 (delta = target - z + sigma_0 xi).
    public var noiseSD = 0.1
    /// The Bayesian rule's prior variance, which is also its initial variance (its initial learning
    /// rate is sigma2(0) / sigma_delta^2).
    public var priorVariance = 0.01
    public var trials = 1000
    public var testEvery = 100
    public var networks = 20
    public var targets = 20
    /// Delta-rule learning rates.
    public var deltaRates: [Double] = (0..<9).map { 1e-5 * pow(1e4, Double($0) / 8) }
    /// Gains of the g sweep, and the networks x targets per gain there.
    public var gainSweep: [Double] = [1.0, 1.25, 1.5, 1.75, 2.0]
    public var gainSweepNetworks = 5
    public var gainSweepTargets = 5
    /// Multiples of `priorVariance` for the Bayesian rule's initial-rate sensitivity.
    public var initialVarianceFactors: [Double] = [0.01, 0.1, 1, 10, 100]
    public var seed: UInt64 = 1

    public init() {}
}

/// One network (recurrent weights J, feedback weights u) and one target, and the readouts learning on
/// the same trials: every learner sees the same states, because the readout does not feed back (the
/// feedback carries the target: teacher forcing, in training and test).
public struct RateReadoutRun {
    public let settings: RateReadoutSettings
    /// CSR rows of J.
    private var rowStart: [Int] = [0]
    private var column: [Int] = []
    private var weight: [Double] = []
    private var feedback: [Double]
    private var target: [Double]
    private var trialStream: RandomStream
    private var noiseStream: RandomStream

    /// Test MSE of each learner after every `testEvery` trials: index [learner][test].
    public private(set) var testErrors: [[Double]]

    /// The learners: delta rule at each of `deltaRates`, then the Bayesian rule at each initial variance.
    public struct Learners: Sendable {
        public var deltaRates: [Double]
        public var bayesianInitialVariances: [Double]
        public init(deltaRates: [Double], bayesianInitialVariances: [Double]) {
            self.deltaRates = deltaRates
            self.bayesianInitialVariances = bayesianInitialVariances
        }
        public var count: Int { deltaRates.count + bayesianInitialVariances.count }
    }
    public let learners: Learners

    /// Network `network` and target `targetIndex` of `settings.seed`, with gain `gain`.
    public init(settings s: RateReadoutSettings, gain: Double, network: Int, targetIndex: Int, learners: Learners) {
        settings = s
        self.learners = learners
        let n = s.units
        var rng = RandomStream(seed: s.seed, purpose: .connectivity, index: UInt64(network))
        let sd = gain / (s.connectionProbability * Double(n)).squareRoot()
        for _ in 0..<n {
            for j in 0..<n where rng.uniform() < s.connectionProbability {
                column.append(j)
                weight.append(sd * rng.normal())
            }
            rowStart.append(column.count)
        }
        feedback = (0..<n).map { _ in 2 * rng.uniform() - 1 }
        var targetRng = RandomStream(seed: s.seed, purpose: .teacher, index: UInt64(targetIndex))
        let amplitudes = (1...s.harmonics).map { k in targetRng.normal() / Double(k) }
        let phases = (1...s.harmonics).map { _ in 2 * Double.pi * targetRng.uniform() }
        var f = [Double](repeating: 0, count: s.period)
        for t in 0..<s.period {
            for k in 1...s.harmonics {
                let angle = 2 * Double.pi * Double(k * t) / Double(s.period) + phases[k - 1]
                f[t] += amplitudes[k - 1] * sin(angle)
            }
        }
        // Unit variance over a period.
        let mean = f.reduce(0, +) / Double(f.count)
        let sdF = (f.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(f.count)).squareRoot()
        f = f.map { ($0 - mean) / sdF }
        target = f
        let key = UInt64(network) << 32 | UInt64(targetIndex)
        trialStream = RandomStream(seed: s.seed, purpose: .initialState, index: key)
        noiseStream = RandomStream(seed: s.seed, purpose: .feedbackNoise, index: key)
        testErrors = Array(repeating: [], count: learners.count)
    }

    /// Runs all trials; after every `testEvery` trials each learner is tested on one fresh trial with
    /// learning off (MSE of z against the target after the washout; the target has unit variance).
    /// - Complexity: O(trials × trialSteps × (nonzeros of J + units × learners)).
    public mutating func run() {
        let s = settings
        let n = s.units
        let nd = learners.deltaRates.count
        let l = learners.count
        // Learner k's weights and variances are w[k n ..< (k + 1) n], v[...].
        var w = [Double](repeating: 0, count: l * n)
        var v = [Double](repeating: 0, count: l * n)
        for k in nd..<l { for i in 0..<n { v[k * n + i] = learners.bayesianInitialVariances[k - nd] } }
        var x = [Double](repeating: 0, count: n)
        var r = [Double](repeating: 0, count: n)
        var drive = [Double](repeating: 0, count: n)
        let noise2 = s.noiseSD * s.noiseSD
        var diverged = [Bool](repeating: false, count: l)
        for trial in 1...(s.trials + s.trials / s.testEvery) {
            let testing = trial % (s.testEvery + 1) == 0
            for i in 0..<n { x[i] = s.initialStateSD * trialStream.normal() }
            var squared = [Double](repeating: 0, count: l)
            var counted = 0
            for t in 0..<s.trialSteps {
                for i in 0..<n { r[i] = tanh(x[i]) }
                let f = target[t % s.period]
                if t >= s.washout {
                    counted += 1
                    let xi = noiseStream.normal()
                    for k in 0..<l where !diverged[k] {
                        var z = 0.0
                        for i in 0..<n { z += w[k * n + i] * r[i] }
                        let error = f - z
                        squared[k] += error * error
                        guard !testing else { continue }
                        let delta = error + s.noiseSD * xi
                        if k < nd {
                            let eta = learners.deltaRates[k]
                            for i in 0..<n { w[k * n + i] += eta * r[i] * delta }
                        } else {
                            // sigma_delta^2 = sigma_0^2 + sum_i r_i^2 sigma_i^2 (docs/MODEL.md §4, identity link).
                            var s2 = noise2
                            for i in 0..<n { s2 += r[i] * r[i] * v[k * n + i] }
                            for i in 0..<n {
                                let a = v[k * n + i] * r[i] / s2
                                w[k * n + i] += a * delta
                                v[k * n + i] -= a * a * s2
                            }
                        }
                    }
                }
                // x <- x + (-x + J r + u f) / tau.
                for i in 0..<n {
                    var sum = 0.0
                    for e in rowStart[i]..<rowStart[i + 1] { sum += weight[e] * r[column[e]] }
                    drive[i] = sum
                }
                for i in 0..<n { x[i] += (-x[i] + drive[i] + feedback[i] * f) / s.tau }
            }
            if testing {
                // A delta rule at too large a rate runs away: its error is unbounded (+inf), and it stops.
                for k in 0..<l {
                    let m = squared[k] / Double(counted)
                    testErrors[k].append(m.isFinite && !diverged[k] ? m : .infinity)
                }
            }
            for k in 0..<l where !diverged[k] && !(w[k * n].isFinite && squared[k].isFinite) {
                diverged[k] = true
                for i in 0..<n { w[k * n + i] = 0 }
            }
        }
    }
}
