extension ReferenceNetworks {
    /// The Brunel network with STDP on its excitatory-to-excitatory synapses (the performance
    /// case): multiplicative all-to-all STDP as NEST's stdp_synapse, tau_plus = tau_minus = 20 ms,
    /// lambda 0.01, alpha 1.05, Wmax = 2 J = 0.2 mV, so that the weights' fixed point
    /// Wmax / (1 + alpha) = 0.098 mV lies next to the static J = 0.1 mV.
    public static func brunelSTDP(regime: BrunelRegime = .C, neurons: Int = 12_500, seed: UInt64 = 1,
                                  duration: Double = 1000, warmup: Double = 100) -> NetworkSpec {
        var spec = brunel(regime: regime, neurons: neurons, seed: seed, duration: duration, warmup: warmup)
        var rule = STDPSynapseSpec()
        rule.tauPlus = 20
        rule.tauMinus = 20
        rule.lambda = 0.01
        rule.alpha = 1.05
        rule.muPlus = 1
        rule.muMinus = 1
        rule.wMax = 0.2
        spec.synapseTypes.append(SynapseTypeSpec(name: "stdp_excitatory", kind: .stdp(rule)))
        for k in spec.projections.indices where spec.projections[k].name == "E->E" {
            spec.projections[k].synapseType = "stdp_excitatory"
        }
        return spec
    }
}
