// Whole-network checks of spike-based learning (docs/MODEL.md §5: the Synaptic Filter and its gradient rule).

import VesicleModel

extension Checker {
    /// Named check `escape-noise-missing`, and the shape the filter needs: a projection whose Bayesian
    /// synapses learn from spikes (`synaptic_filter`, `gradient`) must end on `lif_delta` neurons with
    /// escape noise (the filter's model is a neuron firing with intensity g0 exp(beta u); a hard
    /// threshold gives it no likelihood), with `link = identity` (its posterior is on the weight), one
    /// constant delay (traces are kept per presynaptic neuron) and no kernel; the plastic projections
    /// onto one population share rule, g0, beta and covariance (one intensity and one posterior per
    /// neuron); `covariance = full` needs `rule = synaptic_filter`.
    func checkSpikeLearningFits() {
        var reportedTypes = Set<String>()
        var firstOnto: [String: (projection: ProjectionSpec, rule: BayesianSynapseSpec)] = [:]
        for (projection, origin) in zip(spec.projections, projectionOrigins) {
            guard case .bayesian(let bayesian)? = spec.synapseType(named: projection.synapseType)?.kind else { continue }
            switch bayesian.rule {
            case .synapticFilter, .gradient: break
            default: continue
            }
            let typeName = projection.synapseType
            let target = projection.target.population
            let rule = bayesian.rule.name
            if bayesian.link != .identity, reportedTypes.insert(typeName).inserted {
                report(.invalidValue,
                       "rule '\(rule)' of synapse type '\(typeName)' puts its posterior on the weight itself, but the link is 'log'",
                       at: definitions[typeName]?.range ?? origin.synapseType, notes: ["add link = identity (MODEL.md §5)"])
            }
            var escapes = false
            if case .lifDelta(let neuron)? = spec.population(named: target)?.model { escapes = neuron.escapeNoise != nil }
            if !escapes {
                report(.escapeNoiseMissing,
                       "synapse type '\(typeName)' learns with rule '\(rule)' from the spikes of population '\(target)', whose neurons have no escape noise",
                       at: origin.synapseType,
                       notes: ["the filter needs lif_delta neurons that fire stochastically: add rho_0 and delta_V, e.g. lif_delta(..., rho_0 = 5 Hz, delta_V = 2 mV)"])
            }
            if bayesian.filterCovariance == .full && bayesian.rule != .synapticFilter {
                report(.invalidValue,
                       "covariance = full of synapse type '\(typeName)' needs rule = synaptic_filter; rule '\(rule)' holds no posterior covariance",
                       at: definitions[typeName]?.range ?? origin.synapseType,
                       notes: ["remove covariance, or use rule = synaptic_filter (docs/MODEL.md §5)"])
            }
            if projection.kernel != nil {
                report(.invalidValue, "a kernel projection cannot learn with rule '\(rule)'; its input is a current, not the filter's trace",
                       at: origin.synapseType)
            }
            if !projection.delay.isConstant {
                report(.invalidValue, "projection '\(projection.name)' learns with rule '\(rule)' and needs one constant delay",
                       at: origin.delay, notes: ["the filter's traces are kept per presynaptic neuron, so all its synapses share the delay"])
            }
            if let first = firstOnto[target] {
                let other = first.rule
                if other.rule != bayesian.rule || other.filterG0 != bayesian.filterG0 || other.filterBeta != bayesian.filterBeta
                    || other.filterCovariance != bayesian.filterCovariance {
                    report(.invalidValue,
                           "projections '\(first.projection.name)' and '\(projection.name)' learn onto population '\(target)' with different rules, g0, beta or covariance",
                           at: origin.synapseType, notes: ["the filter models each neuron with one intensity g0 exp(beta u) (MODEL.md §5)"])
                }
            } else {
                firstOnto[target] = (projection, bayesian)
            }
        }
    }
}
