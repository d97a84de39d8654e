"""Populations, views and assemblies: PyNN's own classes holding parameters and initial values until
run() writes them into the network file."""
import re

import numpy as np
from pyNN import common
from pyNN.parameters import ParameterSpace
from pyNN.standardmodels import StandardCellType

from . import simulator
from .recording import Recorder

_RESERVED = {"let", "neuron", "population", "input", "synapse", "kernel", "connect", "feedback", "record",
             "simulate", "output", "true", "false", "static", "weight", "delay", "using", "as", "every", "limit",
             "warmup", "seed", "resolution", "spikes", "membrane", "releases", "posterior", "start", "stop"}


def _language_name(label, taken):
    base = re.sub(r"\W", "_", label or "population", flags=re.ASCII) or "population"
    if base[0].isdigit():
        base = "p_" + base
    if base in _RESERVED or base in ("ms", "s", "us", "mV", "V", "uV", "pA", "nA", "Hz", "kHz", "pF", "nF"):
        base = "p_" + base
    name, k = base, 2
    while name in taken:
        name = "%s_%d" % (base, k)
        k += 1
    return name


class Assembly(common.Assembly):
    _simulator = simulator


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        return ParameterSpace({name: self.parent._parameter_array(name)[self.mask] for name in names},
                              shape=(self.size,))

    def _set_parameters(self, parameter_space):
        parameter_space.shape = (self.size,)
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            full = self.parent._parameter_array(name).copy()
            full[self.mask] = value
            self.parent._parameters[name] = full

    def _set_initial_value_array(self, variable, initial_values):
        values = initial_values.evaluate(simplify=False) if hasattr(initial_values, "evaluate") else initial_values
        full = self.parent._initial_array(variable).copy()
        full[self.mask] = values
        self.parent._initial[variable] = full

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        state = simulator.state
        id_range = np.arange(state.id_counter, state.id_counter + self.size)
        self.all_cells = np.array([simulator.ID(i) for i in id_range], dtype=simulator.ID)
        self._mask_local = np.ones((self.size,), bool)
        if isinstance(self.celltype, StandardCellType):
            parameter_space = self.celltype.native_parameters
        else:
            parameter_space = self.celltype.parameter_space
        parameter_space.shape = (self.size,)
        self._parameters = dict(parameter_space.items())
        self._initial = {}
        for cell in self.all_cells:
            cell.parent = self
        state.id_counter += self.size
        self._vsl_name = _language_name(self.label, {p._vsl_name for p in state.populations})
        state.populations.append(self)

    # Parameters are kept as PyNN gave them (LazyArrays of scalars or RandomDistributions, or
    # arrays once a view changed some); network_text decides what the language can say.
    def _parameter_array(self, name):
        value = self._parameters[name]
        if hasattr(value, "evaluate"):
            value.shape = (self.size,)
            return np.asarray(value.evaluate(simplify=False))
        return np.asarray(value)

    def _initial_array(self, variable):
        value = self._initial.get(variable)
        if value is None:
            return np.full(self.size, np.nan)
        if hasattr(value, "evaluate"):
            return np.asarray(value.evaluate(simplify=False), dtype=float)
        return np.asarray(value, dtype=float)

    def _set_initial_value_array(self, variable, initial_values):
        self._initial[variable] = initial_values

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        return ParameterSpace({name: self._parameter_array(name) for name in names}, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        parameter_space.shape = (self.size,)
        for name, value in parameter_space.items():
            self._parameters[name] = value
