// Sampling the spec's scalar distributions (rates, initial posteriors, initial teachers).

import VesicleModel
import VesicleRandom

extension Distribution {
    /// One draw (`Distribution.draw(using:)` of VesicleRandom); an unreachable clipped normal is
    /// rejected as an invalid parameter named `name`.
    func draw(using rng: inout RandomStream, name: String) throws -> Double {
        guard let value = draw(using: &rng) else {
            let mean: Double
            if case .normal(let m, _, _) = self { mean = m } else { mean = .nan }
            throw SynapseError.invalidParameter(name: name, value: mean, expected: "a clipped normal with a reachable sign")
        }
        return value
    }
}
