// Errors raised by Bayesian-synapse simulations: bad parameters and posteriors that leave their domain.

/// Why a Bayesian-synapse computation could not go on.
public enum SynapseError: Error, Equatable, CustomStringConvertible {
    /// A parameter outside its domain, e.g. `sigma2_pr <= 0`, `tau <= 0`, `k < 0`.
    case invalidParameter(name: String, value: Double, expected: String)
    /// A network that the feedback simulator cannot run, with the reason.
    case unsupportedNetwork(String)
    /// A posterior that would become non-finite or non-positive (docs/MODEL.md §4: never clamped silently).
    case posteriorLeftDomain(synapse: Int, time: Double, mu: Double, sigma2: Double)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, expected):
            return "invalid parameter \(name) = \(value): expected \(expected)"
        case let .unsupportedNetwork(reason):
            return "unsupported network: \(reason)"
        case let .posteriorLeftDomain(synapse, time, mu, sigma2):
            return "posterior of synapse \(synapse) left its domain at t = \(time) ms "
                + "(mu = \(mu), sigma2 = \(sigma2)); the run was stopped rather than clamped"
        }
    }
}

extension SynapseError {
    public static func require(_ condition: Bool, _ name: String, _ value: Double, _ expected: String) throws {
        if !condition { throw SynapseError.invalidParameter(name: name, value: value, expected: expected) }
    }
}
