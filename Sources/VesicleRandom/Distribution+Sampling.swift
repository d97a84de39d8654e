#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel

extension Distribution {
    /// One draw of the spec's scalar distribution (weights, delays, rates, initial states and
    /// posteriors all come through here). A sign-clipped normal is redrawn until it has the right
    /// sign (NEST's semantics); nil if that has not happened after 10 000 draws, so the caller can
    /// reject the distribution in its own words rather than clip it. Any generator of this module
    /// (`RandomStream`, `CounterStream`): uniforms take a word's top 53 bits, normals the ziggurat.
    /// - Complexity: O(1) expected.
    @inlinable
    public func draw<G: RandomNumberGenerator>(using rng: inout G) -> Double? {
        switch self {
        case .constant(let v):
            return v
        case let .uniform(low, high):
            return low + (high - low) * (Double(rng.next() >> 11) * 0x1.0p-53)
        case let .normal(mean, sd, clip):
            for _ in 0..<10_000 {
                let v = mean + sd * zigguratNormal(&rng)
                guard let sign = clip else { return v }
                if v * sign.value > 0 { return v }
            }
            return nil
        case let .lognormal(mu, sigma, sign):
            return sign.value * exp(mu + sigma * zigguratNormal(&rng))
        case let .boundedNormal(mean, sd, lower, upper):
            // NEST's redraw: draw again until the value lies in [lower, upper] (the truncated normal).
            for _ in 0..<10_000 {
                let v = mean + sd * zigguratNormal(&rng)
                if v >= lower && v <= upper { return v }
            }
            return nil
        }
    }
}
