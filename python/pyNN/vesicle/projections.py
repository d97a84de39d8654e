"""Projections: the connector and synapse type are kept and written into the network file as a
connection rule; the engine draws the connections (with its own streams, from setup's seed), so
PyNN's rng arguments do not take part."""
import numpy as np
from pyNN import common, connectors
from pyNN.space import Space

from . import simulator
from .standardmodels import StaticSynapse


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type=None,
                 source=None, receptor_type=None, space=Space(), label=None):
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type,
                                   source, receptor_type, space, label)
        from .network_text import check_projection
        check_projection(self)  # refuses what the language cannot say, now rather than at run()
        simulator.state.projections.append(self)

    def __len__(self):
        """The number of connections, when the connector fixes it (AllToAll, OneToOne, FixedNumberPre,
        FixedNumberPost, FixedTotalNumber, FromList). FixedProbability draws it inside the engine,
        which does not report it back."""
        c = self._connector
        n_pre, n_post = self.pre.size, self.post.size
        same = self.pre is self.post
        if isinstance(c, connectors.AllToAllConnector):
            return n_pre * n_post - (n_pre if same and not c.allow_self_connections else 0)
        if isinstance(c, connectors.OneToOneConnector):
            return n_pre
        if isinstance(c, connectors.FixedNumberPreConnector):
            return int(c.n) * n_post
        if isinstance(c, connectors.FixedNumberPostConnector):
            return int(c.n) * n_pre
        if isinstance(c, connectors.FixedTotalNumberConnector):
            return int(c.n)
        if isinstance(c, connectors.FromListConnector):
            return len(c.conn_list)
        raise NotImplementedError(
            "pyNN.vesicle: the number of connections of a %s is drawn inside the engine, which does not "
            "report its connections back" % type(c).__name__)

    def set(self, **attributes):
        raise NotImplementedError("pyNN.vesicle: connection attributes are fixed when the network is written; "
                                  "give them in the synapse type or a FromListConnector")

    def _get_attributes_as_list(self, names):
        raise NotImplementedError("pyNN.vesicle: the engine draws the connections and does not report them back; "
                                  "use a FromListConnector to know each connection")

    def _get_attributes_as_arrays(self, names, multiple_synapses="sum"):
        self._get_attributes_as_list(names)
