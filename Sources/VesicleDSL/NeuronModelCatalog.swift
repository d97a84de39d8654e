// The neuron models a file can name, with their parameters. Defaults are those of
// VesicleModel.LIFParameters and LinearReadoutParameters; docs/LANGUAGE.md lists them with units.

enum NeuronModelCatalog {
    static let lifParameters = ["tau_m", "C_m", "E_L", "V_th", "V_reset", "t_ref", "I_e", "rho_0", "delta_V"]
    static let synapticCurrentParameters = ["tau_syn_ex", "tau_syn_in"]

    /// Parameter names per model, in documentation order.
    static let parameters: [String: [String]] = [
        "lif_delta": lifParameters,
        "lif_exp": lifParameters + synapticCurrentParameters,
        "linear_readout": ["sigma_0"],
        "poisson_source": ["rate", "t_ref"],
        "spike_source": ["times"],
    ]

    static let required: [String: [String]] = [
        "poisson_source": ["rate"],
        "spike_source": ["times"],
    ]

    static let names = ["lif_delta", "lif_exp", "linear_readout", "poisson_source", "spike_source"]
}
