// Precomputed OU factors for whole numbers of bins (the hot path of the feedback experiment).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `e^(-n dt/tau)` and the teacher's transition s.d. `sqrt(sigma2_pr (1 - e^(-2 n dt/tau)))` for
/// n = 0 ..< 4096 bins, computed once with the same expressions the prior uses, so a lookup returns
/// bit for bit what `OrnsteinUhlenbeckPrior.decay(over: n * dt)` would; longer gaps fall back to it.
struct OrnsteinUhlenbeckBinTable {
    static let size = 4096
    let prior: OrnsteinUhlenbeckPrior
    let bin: Double
    /// A jump teacher (robustness, docs/MODEL.md §4): piecewise-constant targets that jump, at rate 1/tau,
    /// to a fresh draw from the stationary distribution; the same mean, variance and autocorrelation
    /// e^(-t/tau) as the OU process.
    let jumps: Bool
    private let decays: [Double]
    private let noiseSDs: [Double]

    init(prior: OrnsteinUhlenbeckPrior, bin: Double, jumps: Bool = false) {
        self.prior = prior
        self.bin = bin
        self.jumps = jumps
        decays = (0..<Self.size).map { prior.decay(over: Double($0) * bin) }
        noiseSDs = decays.map { (prior.variance * (1 - $0 * $0)).squareRoot() }
    }

    @inline(__always)
    func decay(bins n: Int) -> Double {
        n < Self.size ? decays[n] : prior.decay(over: Double(n) * bin)
    }

    @inline(__always)
    func noiseSD(bins n: Int) -> Double {
        if n < Self.size { return noiseSDs[n] }
        let d = prior.decay(over: Double(n) * bin)
        return (prior.variance * (1 - d * d)).squareRoot()
    }
}
