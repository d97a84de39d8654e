// A particle filter for the Synaptic Filter's generative model (docs/MODEL.md §5): the reference against
// which the Gaussian (full and diagonal) filters are judged, exact as the number of particles grows.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleRandom

/// L weighted samples of the n weights (inputs and bias). Per step, in the order of the Gaussian filters
/// (evidence, then prior): each particle's weight is multiplied by the likelihood of the output,
/// P(y = 1 | w) = 1 - exp(-g0 h exp(beta w.x)) (the teacher's own spike probability); when the effective
/// sample size N_eff = 1 / sum_k p_k^2 falls below `resampleThreshold` L (0.75 in the issue) the
/// particles are resampled systematically; then every particle takes the exact OU transition of its
/// prior over h.
public struct SynapticParticleFilter: Sendable {
    public let particleCount: Int
    public let dimension: Int
    public let resampleThreshold: Double
    /// Row k is particle k's n weights.
    // Internal setters: `SynapticParticleFilter+Checkpoint.swift` restores the state.
    public internal(set) var particles: [Double]
    /// Normalised weights, summing to 1.
    public internal(set) var weights: [Double]
    public internal(set) var resamplings = 0
    var rng: RandomStream
    private var scratch: [Double]

    /// Particles drawn from N(`mean`, diag(`variances`)).
    public init(mean: [Double], variances: [Double], particleCount: Int = 8192, resampleThreshold: Double = 0.75,
                seed: UInt64) throws {
        try SynapseError.require(particleCount >= 2, "particles", Double(particleCount), ">= 2")
        try SynapseError.require(resampleThreshold > 0 && resampleThreshold <= 1, "resample threshold",
                                 resampleThreshold, "in (0, 1]")
        try SynapseError.require(!mean.isEmpty && mean.count == variances.count, "dimension", Double(mean.count),
                                 "equal to the number of variances, >= 1")
        self.particleCount = particleCount
        self.resampleThreshold = resampleThreshold
        dimension = mean.count
        // Its own stream (posterior initialisation purpose, index "PF"), apart from inputs and teacher.
        rng = RandomStream(seed: seed, purpose: .posteriorInit, index: 0x5046)
        particles = []
        particles.reserveCapacity(particleCount * dimension)
        for _ in 0..<particleCount {
            for i in 0..<dimension { particles.append(mean[i] + variances[i].squareRoot() * rng.normal()) }
        }
        weights = Array(repeating: 1 / Double(particleCount), count: particleCount)
        scratch = particles
    }

    /// Posterior mean, sum_k p_k w_k.
    /// - Complexity: O(L n).
    public var mean: [Double] {
        var m = [Double](repeating: 0, count: dimension)
        for k in 0..<particleCount {
            for i in 0..<dimension { m[i] += weights[k] * particles[k * dimension + i] }
        }
        return m
    }

    /// Posterior variance of each weight.
    /// - Complexity: O(L n).
    public var variances: [Double] {
        let m = mean
        var v = [Double](repeating: 0, count: dimension)
        for k in 0..<particleCount {
            for i in 0..<dimension {
                let e = particles[k * dimension + i] - m[i]
                v[i] += weights[k] * e * e
            }
        }
        return v
    }

    /// 1 / sum_k p_k^2.
    public var effectiveSampleSize: Double { 1 / weights.reduce(0) { $0 + $1 * $1 } }

    /// One step: evidence of output `y` under traces `x`, resampling if needed, then the OU transition
    /// (prior means, stationary variances, per-step decays per weight).
    /// - Complexity: O(L n).
    public mutating func step(x: [Double], y: Double, beta: Double, g0: Double, h: Double,
                              priorMeans: [Double], priorVariances: [Double], decays: [Double]) {
        let n = dimension
        var logLikelihood = [Double](repeating: 0, count: particleCount)
        var largest = -Double.infinity
        for k in 0..<particleCount {
            var u = 0.0
            for i in 0..<n { u += particles[k * n + i] * x[i] }
            let rate = g0 * h * exp(beta * u)
            // log P(y | w): y = 1 -> log(1 - e^-rate), y = 0 -> -rate.
            let l = y > 0 ? log(-expm1(-rate)) : -rate
            logLikelihood[k] = l
            largest = max(largest, l)
        }
        var total = 0.0
        for k in 0..<particleCount {
            weights[k] *= exp(logLikelihood[k] - largest)
            total += weights[k]
        }
        for k in 0..<particleCount { weights[k] /= total }
        if effectiveSampleSize < resampleThreshold * Double(particleCount) { resample() }
        let noise = (0..<n).map { (priorVariances[$0] * (1 - decays[$0] * decays[$0])).squareRoot() }
        for k in 0..<particleCount {
            for i in 0..<n {
                let w = particles[k * n + i]
                particles[k * n + i] = priorMeans[i] + decays[i] * (w - priorMeans[i]) + noise[i] * rng.normal()
            }
        }
    }

    /// Systematic resampling: L points u_k = (k + U) / L through the cumulative weights.
    private mutating func resample() {
        let n = dimension
        let offset = rng.uniform()
        var cumulative = weights[0]
        var source = 0
        for k in 0..<particleCount {
            let u = (Double(k) + offset) / Double(particleCount)
            while cumulative < u && source < particleCount - 1 {
                source += 1
                cumulative += weights[source]
            }
            for i in 0..<n { scratch[k * n + i] = particles[source * n + i] }
        }
        (particles, scratch) = (scratch, particles)
        for k in 0..<particleCount { weights[k] = 1 / Double(particleCount) }
        resamplings += 1
    }
}
