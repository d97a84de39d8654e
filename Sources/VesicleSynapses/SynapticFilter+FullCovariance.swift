// The Synaptic Filter with a full covariance (docs/MODEL.md §5): one Gaussian posterior N(mu, Sigma) over
// all of a neuron's plastic weights and its bias, so that the evidence of one output spike is shared out
// between correlated weights.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Gaussian posterior N(mu, Sigma) over n weights; Sigma is stored dense, row-major, and kept exactly
/// symmetric (every update writes (i, j) and (j, i) from one value).
public struct FullCovariancePosterior: Sendable, Equatable {
    public let dimension: Int
    // Internal setters: `FullCovariancePosterior+Checkpoint.swift` restores the state.
    public internal(set) var mean: [Double]
    /// Row-major n x n.
    public internal(set) var covariance: [Double]

    /// mu = `mean`, Sigma = diag(`variances`).
    public init(mean: [Double], variances: [Double]) throws {
        try SynapseError.require(!mean.isEmpty && mean.count == variances.count, "dimension", Double(mean.count),
                                 "equal to the number of variances, >= 1")
        for v in variances { try SynapseError.require(v > 0 && v.isFinite, "initial sigma2", v, "> 0") }
        dimension = mean.count
        self.mean = mean
        covariance = Array(repeating: 0, count: mean.count * mean.count)
        for i in 0..<dimension { covariance[i * dimension + i] = variances[i] }
    }

    /// mu = `mean`, Sigma = `covariance` (row-major), which must be symmetric positive definite.
    public init(mean: [Double], covariance: [Double]) throws {
        let n = mean.count
        try SynapseError.require(n > 0 && covariance.count == n * n, "covariance entries", Double(covariance.count),
                                 "the square of the dimension")
        dimension = n
        self.mean = mean
        self.covariance = covariance
        for i in 0..<n { for j in 0..<n where covariance[i * n + j] != covariance[j * n + i] {
            throw SynapseError.invalidParameter(name: "covariance", value: covariance[i * n + j], expected: "symmetric")
        } }
        guard isPositiveDefinite else {
            throw SynapseError.invalidParameter(name: "covariance", value: .nan, expected: "positive definite")
        }
    }

    /// Sigma_ij.
    public subscript(i: Int, j: Int) -> Double { covariance[i * dimension + j] }

    /// Sigma_ii for every i.
    public var variances: [Double] { (0..<dimension).map { covariance[$0 * dimension + $0] } }

    /// One filter step for traces `x`, output `y` (0 or 1) in a step of `h` ms, intensity
    /// g0 exp(beta u) with `g0` per ms (docs/MODEL.md §5), before the prior terms. With s = Sigma x,
    /// q = x^T Sigma x, gbar h = g0 h exp(beta mu.x + beta^2 q / 2) and c = beta^2 gbar h:
    ///
    ///     mu    <- mu + beta s (y - gbar h) / (1 + c q)
    ///     Sigma <- Sigma - c s s^T / (1 + c q)
    ///
    /// This is the paper's step d mu = beta Sigma x (y - gbar dt), d Sigma = -gbar dt beta^2 (Sigma x)(Sigma x)^T
    /// in its Kalman form: the two agree to first order in h (c q is about g0 h = 5e-4 at the paper's
    /// settings), and the Kalman form is the exact inverse of Sigma^-1 + c x x^T, so Sigma stays positive
    /// definite for any input, where the Euler step turns indefinite once c q >= 1. It is, step for step,
    /// the Kalman update of the linearised observation y = gbar h + beta gbar h x.(w - mu) + noise of
    /// variance gbar h (tested against a Kalman filter written out in the tests). Returns gbar h.
    /// - Complexity: O(n^2).
    @discardableResult
    public mutating func update(x: [Double], y: Double, beta: Double, g0: Double, h: Double) -> Double {
        let n = dimension
        precondition(x.count == n, "one trace per weight")
        var s = [Double](repeating: 0, count: n)
        var drive = 0.0
        var q = 0.0
        covariance.withUnsafeBufferPointer { sigma in
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<n { sum += sigma[i * n + j] * x[j] }
                s[i] = sum
                q += x[i] * sum
                drive += mean[i] * x[i]
            }
        }
        let expected = g0 * h * exp(beta * drive + 0.5 * beta * beta * q)
        // With no input there is no evidence (s = 0). Otherwise the steps are written so that they stay
        // finite for any intensity, even one that overflows to +inf: gain = 1 / (1 + c q) -> 0,
        // gbar h gain = 1 / (1 / gbar h + beta^2 q) -> 1 / (beta^2 q), c gain = 1 / (1 / c + q) -> 1 / q.
        guard q > 0 else { return expected }
        let c = beta * beta * expected
        let gain = 1 / (1 + c * q)
        let meanStep = beta * (y * gain - 1 / (1 / expected + beta * beta * q))
        let covarianceStep = 1 / (1 / c + q)
        for i in 0..<n { mean[i] += meanStep * s[i] }
        covariance.withUnsafeMutableBufferPointer { sigma in
            for i in 0..<n where s[i] != 0 {
                let si = covarianceStep * s[i]
                sigma[i * n + i] -= si * s[i]
                for j in (i + 1)..<n where s[j] != 0 {
                    let v = sigma[i * n + j] - si * s[j]
                    sigma[i * n + j] = v
                    sigma[j * n + i] = v
                }
            }
        }
        return expected
    }

    /// The exact OU relaxation of every weight toward its own prior over one step (docs/MODEL.md §3, §5):
    /// weight i has mean `priorMeans[i]`, stationary variance `priorVariances[i]` and decay
    /// a_i = e^(-h/tau_i) per step, and the weights drift independently, so
    /// mu_i <- m_i + a_i (mu_i - m_i), Sigma_ij <- a_i a_j Sigma_ij + [i = j] v_i (1 - a_i^2).
    /// (The continuous form is d Sigma = -2 (Sigma - sigma^2 I) dt / tau when all tau are equal.)
    /// - Complexity: O(n^2).
    public mutating func relax(priorMeans: [Double], priorVariances: [Double], decays: [Double]) {
        let n = dimension
        for i in 0..<n { mean[i] = priorMeans[i] + decays[i] * (mean[i] - priorMeans[i]) }
        covariance.withUnsafeMutableBufferPointer { sigma in
            for i in 0..<n {
                for j in i..<n {
                    var v = decays[i] * decays[j] * sigma[i * n + j]
                    if i == j { v += priorVariances[i] * (1 - decays[i] * decays[i]) }
                    sigma[i * n + j] = v
                    sigma[j * n + i] = v
                }
            }
        }
    }

    /// Whether every entry is finite and Sigma is symmetric positive definite (a Cholesky factorisation
    /// exists with positive pivots).
    /// - Complexity: O(n^3).
    public var isPositiveDefinite: Bool {
        guard mean.allSatisfy(\.isFinite), covariance.allSatisfy(\.isFinite) else { return false }
        return Self.cholesky(covariance, n: dimension) != nil
    }

    /// z^2 = (mu - w)^T Sigma^-1 (mu - w) / k over the first k weights, with Sigma their marginal
    /// covariance (the leading k x k block): 1 on average for a calibrated posterior. Nil if that block
    /// is not positive definite.
    /// - Complexity: O(k^3).
    public func normalizedSquaredError(target: [Double], count k: Int) -> Double? {
        var block = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0..<k { block[i * k + j] = covariance[i * dimension + j] } }
        guard let l = Self.cholesky(block, n: k) else { return nil }
        // Solve L z = (mu - w); then (mu - w)^T Sigma^-1 (mu - w) = |z|^2.
        var z = [Double](repeating: 0, count: k)
        var total = 0.0
        for i in 0..<k {
            var r = mean[i] - target[i]
            for j in 0..<i { r -= l[i * k + j] * z[j] }
            z[i] = r / l[i * k + i]
            total += z[i] * z[i]
        }
        return total / Double(k)
    }

    /// Lower Cholesky factor of the n x n row-major symmetric matrix `a`, or nil if a pivot is not positive.
    static func cholesky(_ a: [Double], n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0, d.isFinite else { return nil }
            let root = d.squareRoot()
            l[j * n + j] = root
            for i in (j + 1)..<n {
                var v = a[i * n + j]
                for k in 0..<j { v -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = v / root
            }
        }
        return l
    }
}
