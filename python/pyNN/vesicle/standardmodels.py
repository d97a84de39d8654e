"""Cell types, synapse types and current sources of pyNN.vesicle, with their network-language
names and units (docs/LANGUAGE.md, "Neurons", "Synapse types", "Inputs").

PyNN's units are used as they are: each value is written into the .vsl file with PyNN's unit
(cm in nF, i_offset in nA, weights onto IF_curr_exp in nA), and the language converts. What the
engine cannot do is refused with NotImplementedError when the object is created.
"""
from pyNN.standardmodels import cells, synapses, electrodes, build_translations
from pyNN.models import BaseCellType

from .simulator import state


def _identity(*names):
    return build_translations(*[(n, n) for n in names])


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                             "tau_syn_E", "tau_syn_I")
    vsl_model = "lif_exp"
    # (PyNN name, language name, unit)
    vsl_parameters = [("tau_m", "tau_m", "ms"), ("cm", "C_m", "nF"), ("v_rest", "E_L", "mV"),
                      ("v_thresh", "V_th", "mV"), ("v_reset", "V_reset", "mV"), ("tau_refrac", "t_ref", "ms"),
                      ("i_offset", "I_e", "nA"), ("tau_syn_E", "tau_syn_ex", "ms"), ("tau_syn_I", "tau_syn_in", "ms")]
    weight_unit = "nA"


class IF_curr_delta(cells.IF_curr_delta):
    __doc__ = cells.IF_curr_delta.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset")
    vsl_model = "lif_delta"
    vsl_parameters = [("tau_m", "tau_m", "ms"), ("cm", "C_m", "nF"), ("v_rest", "E_L", "mV"),
                      ("v_thresh", "V_th", "mV"), ("v_reset", "V_reset", "mV"), ("tau_refrac", "t_ref", "ms"),
                      ("i_offset", "I_e", "nA")]
    weight_unit = "mV"


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _identity("rate", "start", "duration")
    vsl_model = "poisson_source"
    vsl_parameters = [("rate", "rate", "Hz")]


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity("spike_times")
    vsl_model = "spike_source"
    vsl_parameters = []


class NativeCellType(BaseCellType):
    """A Vesicle neuron model used directly, with the language's parameter names and units
    (docs/LANGUAGE.md, "lif_delta and lif_exp"), including escape noise (rho_0, delta_V)."""
    recordable = ["spikes", "v"]
    receptor_types = ("excitatory", "inhibitory")
    conductance_based = False
    injectable = True
    default_initial_values = {"v": -70.0}
    vsl_model = None
    weight_unit = None
    vsl_parameters = []

    def can_record(self, variable, location=None):
        return variable in self.recordable


_LIF_DEFAULTS = {"tau_m": 10.0, "C_m": 250.0, "E_L": -70.0, "V_th": -55.0, "V_reset": -70.0, "t_ref": 2.0,
                 "I_e": 0.0}
_LIF_UNITS = {"tau_m": "ms", "C_m": "pF", "E_L": "mV", "V_th": "mV", "V_reset": "mV", "t_ref": "ms", "I_e": "pA",
              "tau_syn_ex": "ms", "tau_syn_in": "ms", "rho_0": "Hz", "delta_V": "mV"}


def native_cell_type(model_name):
    """A cell type for one of Vesicle's neuron models: "lif_delta" (weights in mV; optional escape
    noise rho_0 [Hz] and delta_V [mV]) or "lif_exp" (weights in pA). Parameters take the
    language's names and storage units (tau_m ms, C_m pF, E_L mV, ..., I_e pA)."""
    if model_name == "lif_delta":
        defaults = dict(_LIF_DEFAULTS, rho_0=0.0, delta_V=0.0)
        weight_unit = "mV"
    elif model_name == "lif_exp":
        defaults = dict(_LIF_DEFAULTS, tau_syn_ex=2.0, tau_syn_in=2.0)
        weight_unit = "pA"
    else:
        raise NotImplementedError("pyNN.vesicle: no native cell type %r; choose lif_delta or lif_exp" % model_name)
    units = {name: _LIF_UNITS[name] for name in defaults}
    units["v"] = "mV"
    return type(model_name, (NativeCellType,), {
        "default_parameters": defaults, "units": units, "vsl_model": model_name, "weight_unit": weight_unit,
        "vsl_parameters": [(n, n, _LIF_UNITS[n]) for n in defaults],
        "default_initial_values": {"v": -70.0},
        "__doc__": "Vesicle's %s neuron (docs/LANGUAGE.md)." % model_name})


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity("weight", "delay")

    def _get_minimum_delay(self):
        d = state.min_delay
        if d == "auto":
            d = state.dt
        return d


_RELEASE_MODES = ("mean", "posterior", "gaussian", "fixed_ratio")


class BayesianSynapse(StaticSynapse):
    """Vesicle's Bayesian synapse (MODEL.md §3-§5; docs/LANGUAGE.md "Synapse types"): a posterior
    over the weight, and a release sampled at every presynaptic spike.

    `release`: "mean", "posterior", "gaussian" or "fixed_ratio" (with `k`, mV). `link`: "log" or
    "identity". Numeric options (prior_mean, prior_var, tau [ms], initial_var, assumed_ratio [mV])
    default to the language's. As in the language, only the sign of `weight` is used.
    `record_releases=N` logs every release of the projection's first N synapses (Run.release).
    """

    def __init__(self, weight=1.0, delay=None, release="mean", k=None, link="log", prior_mean=None,
                 prior_var=None, tau=None, initial_mean=None, initial_var=None, assumed_ratio=None,
                 rule="none", record_releases=None):
        if release not in _RELEASE_MODES:
            raise ValueError("BayesianSynapse: release must be one of %s, got %r" % (", ".join(_RELEASE_MODES), release))
        if release == "fixed_ratio" and k is None:
            k = 0.0877
        if release != "fixed_ratio" and k is not None:
            raise ValueError("BayesianSynapse: k applies to release='fixed_ratio' only")
        if link not in ("log", "identity"):
            raise ValueError("BayesianSynapse: link must be 'log' or 'identity', got %r" % (link,))
        if rule in ("supervised", "cerebellar", "reinforcement") or str(rule).startswith("classical"):
            raise NotImplementedError(
                "pyNN.vesicle: the %r rule learns from a feedback signal, which PyNN has no way to declare; "
                "write the network in .vsl (docs/LANGUAGE.md, 'Feedback and teachers')" % (rule,))
        StaticSynapse.__init__(self, weight=weight, delay=delay)
        self.bayesian = {"release": release, "k": k, "link": link, "prior_mean": prior_mean, "prior_var": prior_var,
                         "tau": tau, "initial_mean": initial_mean, "initial_var": initial_var,
                         "assumed_ratio": assumed_ratio, "rule": rule}
        self.record_releases = record_releases


class _CurrentSource:
    def inject_into(self, cells):
        state.current_sources.append((self, cells))


class DCSource(_CurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = _identity("amplitude", "start", "stop")


class StepCurrentSource(_CurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = _identity("amplitudes", "times")


def _refused(base, why):
    class Refused(base):
        __doc__ = base.__doc__

        def __init__(self, *args, **kwargs):
            raise NotImplementedError("pyNN.vesicle: %s is not available: %s" % (base.__name__, why))
    Refused.__name__ = base.__name__
    Refused.__qualname__ = base.__name__
    return Refused


_CONDUCTANCE = ("the engine's neurons are current-based (lif_delta, lif_exp); "
                "use IF_curr_exp or IF_curr_delta, or native_cell_type('lif_exp')")
IF_cond_exp = _refused(cells.IF_cond_exp, "it is conductance-based; " + _CONDUCTANCE)
IF_cond_alpha = _refused(cells.IF_cond_alpha, "it is conductance-based; " + _CONDUCTANCE)
IF_curr_alpha = _refused(cells.IF_curr_alpha, "alpha-shaped synaptic currents are not an engine neuron model; "
                         "use IF_curr_exp")
HH_cond_exp = _refused(cells.HH_cond_exp, "Hodgkin-Huxley dynamics are outside the engine; " + _CONDUCTANCE)
EIF_cond_exp_isfa_ista = _refused(cells.EIF_cond_exp_isfa_ista, "adaptive exponential neurons are outside the engine")
EIF_cond_alpha_isfa_ista = _refused(cells.EIF_cond_alpha_isfa_ista, "adaptive exponential neurons are outside the engine")
Izhikevich = _refused(cells.Izhikevich, "Izhikevich neurons are outside the engine")
IF_cond_exp_gsfa_grr = _refused(cells.IF_cond_exp_gsfa_grr, "it is conductance-based; " + _CONDUCTANCE)
SpikeSourceGamma = _refused(cells.SpikeSourceGamma, "the engine's sources are Poisson or given spike times")
SpikeSourceInhGamma = _refused(cells.SpikeSourceInhGamma, "the engine's sources are Poisson or given spike times")
SpikeSourcePoissonRefractory = _refused(cells.SpikeSourcePoissonRefractory,
                                        "use native poisson_source t_ref through a .vsl file")
ACSource = _refused(electrodes.ACSource, "the engine's current inputs are constant (DCSource, StepCurrentSource)")
NoisyCurrentSource = _refused(electrodes.NoisyCurrentSource, "the engine's current inputs are constant")
TsodyksMarkramSynapse = _refused(synapses.TsodyksMarkramSynapse,
                                 "short-term plasticity is outside the engine; see BayesianSynapse")
STDPMechanism = _refused(synapses.STDPMechanism,
                         "pair-based STDP is outside the engine; its spike-based learning is the Synaptic Filter "
                         "(docs/LANGUAGE.md)")
