// Building a Synaptic Filter experiment from a NetworkSpec (docs/MODEL.md §5: the filter paper's setting as a file).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VesicleModel

extension SynapticFilterParameters {
    /// The experiment a NetworkSpec describes: a `poisson_source` population of d inputs at one constant
    /// rate (its `t_ref` is the inputs' dead time) projecting all-to-all, through a bayesian synapse type
    /// with `link = identity` and `rule = synaptic_filter` or `gradient(eta = ...)`, onto one `lif_delta`
    /// neuron with escape noise. The neuron of docs/MODEL.md §5 is `g(u) = g_0 exp(beta u)` with
    /// `u = sum_i w_i x_i` plus a bias input fixed at 1: the synapse type's `g0`, `beta` and `tau_eps`
    /// set it (the lif_delta's escape noise marks the target as stochastic; its membrane is not simulated).
    /// The synapse prior (`prior_mean`, `prior_var`, `tau`) is the OU prior on the weights; the seed,
    /// warm-up (metrics burn-in) and `resolution` (the time step) come from `simulate`.
    public init(spec: NetworkSpec) throws {
        let learning = spec.projections.filter { projection in
            guard let type = spec.synapseType(named: projection.synapseType), case .bayesian(let s) = type.kind else {
                return false
            }
            switch s.rule {
            case .synapticFilter, .gradient: return true
            default: return false
            }
        }
        guard learning.count == 1, let projection = learning.first,
              let type = spec.synapseType(named: projection.synapseType), case .bayesian(let synapse) = type.kind else {
            throw SynapseError.unsupportedNetwork(
                "a Synaptic Filter experiment needs exactly one projection with rule synaptic_filter or gradient")
        }
        guard synapse.link == .identity else {
            throw SynapseError.unsupportedNetwork(
                "the Synaptic Filter puts its posterior on the weight itself: use link = identity (MODEL.md §5)")
        }
        guard projection.rule == .allToAll else {
            throw SynapseError.unsupportedNetwork("projection '\(projection.name)' must be all_to_all")
        }
        guard let target = spec.population(named: projection.target.population), target.size == 1,
              case .lifDelta(let neuron) = target.model, neuron.escapeNoise != nil else {
            throw SynapseError.unsupportedNetwork(
                "projection '\(projection.name)' must target one lif_delta neuron with escape noise (rho_0, delta_V)")
        }
        guard let source = spec.population(named: projection.source.population),
              case let .poissonSource(rate, refractoryPeriod) = source.model,
              case .constant(let inputRate) = rate else {
            throw SynapseError.unsupportedNetwork(
                "projection '\(projection.name)' must come from a poisson_source population with one constant rate")
        }
        let d = projection.source.range?.count ?? source.size
        try self.init(inputCount: d, rule: synapse.rule, tau: synapse.priorTau)
        prior = try OrnsteinUhlenbeckPrior(mean: synapse.priorMean, variance: synapse.priorVariance,
                                           tau: synapse.priorTau)
        self.inputRate = inputRate
        self.refractoryPeriod = refractoryPeriod
        tauEpsilon = synapse.filterTauEpsilon
        g0 = synapse.filterG0
        // beta = beta_0 ln(50) / (4 sqrt(d)); the file states beta itself.
        beta0 = synapse.filterBeta * 4 * Double(d).squareRoot() / log(50)
        initialVariance = synapse.initialVariance
        covariance = synapse.filterCovariance
        step = spec.simulation.delayResolution
        seed = spec.simulation.seed
        burnIn = spec.simulation.warmup
        try validate()
    }
}
