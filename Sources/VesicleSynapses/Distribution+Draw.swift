// Sampling the spec's scalar distributions (rates, initial posteriors, initial teachers).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel
import VesicleRandom

extension Distribution {
    /// One draw. A sign-clipped normal is redrawn until it has the right sign (NEST's semantics);
    /// if that has not happened after 10 000 draws the distribution is rejected rather than clipped.
    func draw(using rng: inout RandomStream, name: String) throws -> Double {
        switch self {
        case .constant(let v):
            return v
        case let .uniform(low, high):
            return low + (high - low) * rng.uniform()
        case let .normal(mean, sd, clip):
            for _ in 0..<10_000 {
                let v = mean + sd * rng.normalZiggurat()
                guard let sign = clip else { return v }
                if v * sign.value > 0 { return v }
            }
            throw SynapseError.invalidParameter(
                name: name, value: mean, expected: "a clipped normal with a reachable sign")
        case let .lognormal(mu, sigma, sign):
            return sign.value * exp(mu + sigma * rng.normalZiggurat())
        }
    }
}
