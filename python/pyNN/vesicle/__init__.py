"""pyNN.vesicle: run PyNN scripts on Vesicle (`import pyNN.vesicle as sim`).

The script builds its network with PyNN's API as usual; `run()` writes it as a `.vsl` file (plus
CSV connection lists) and runs it with the `vesicle` executable (found like `vesicle.run` finds it);
`get_data()` returns Neo blocks read from the run directory. Supported: IF_curr_exp, IF_curr_delta,
native_cell_type('lif_delta'|'lif_exp'), SpikeSourcePoisson, SpikeSourceArray, DCSource,
StepCurrentSource; AllToAll, OneToOne, FixedProbability, FixedNumberPre, FixedNumberPost,
FixedTotalNumber and FromList connectors; StaticSynapse and BayesianSynapse; recording of spikes and
v. Everything else PyNN offers raises NotImplementedError with the reason.

setup(timestep=0.1, min_delay='auto', max_delay=10.0, rng_seed=1, threads=None, keep_directory=None):
the engine is event-driven and exact, so `timestep` is the grid random delays are stored on
(`simulate ... resolution`) and the default sampling interval of recordings, not an integration step.
Connectivity and Poisson trains are drawn by the engine from `rng_seed`; a NumpyRNG passed to a
connector or distribution is not used (the engine's streams are, see docs/PYTHON.md).
"""
from pyNN import common, errors, random, space                  # noqa: F401
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_TIMESTEP, DEFAULT_MIN_DELAY
from pyNN.network import Network                                  # noqa: F401
from pyNN.space import Space                                      # noqa: F401
from pyNN.random import NumpyRNG, GSLRNG, RandomDistribution      # noqa: F401
from pyNN.connectors import (AllToAllConnector, OneToOneConnector, FixedProbabilityConnector,  # noqa: F401
                             FixedNumberPreConnector, FixedNumberPostConnector, FixedTotalNumberConnector,
                             FromListConnector)
from pyNN import connectors as _connectors
from pyNN.recording import *                                      # noqa: F401,F403
from pyNN.recording import get_io
from pyNN.standardmodels import StandardCellType

from . import simulator
from .standardmodels import *                                     # noqa: F401,F403
from .standardmodels import native_cell_type, BayesianSynapse, StaticSynapse  # noqa: F401
from .populations import Population, PopulationView, Assembly     # noqa: F401
from .projections import Projection                               # noqa: F401


def _refused_connector(name, why):
    base = getattr(_connectors, name)

    class Refused(base):
        def __init__(self, *args, **kwargs):
            raise NotImplementedError("pyNN.vesicle: %s is not available: %s" % (name, why))
    Refused.__name__ = Refused.__qualname__ = name
    return Refused


_NO_SPACE = "the engine has no space; connection probabilities and rules do not depend on distance"
DistanceDependentProbabilityConnector = _refused_connector("DistanceDependentProbabilityConnector", _NO_SPACE)
IndexBasedProbabilityConnector = _refused_connector("IndexBasedProbabilityConnector",
                                                    "write the pairs with a FromListConnector")
DisplacementDependentProbabilityConnector = _refused_connector("DisplacementDependentProbabilityConnector", _NO_SPACE)
SmallWorldConnector = _refused_connector("SmallWorldConnector", _NO_SPACE)
CSAConnector = _refused_connector("CSAConnector", "write the pairs with a FromListConnector")
CloneConnector = _refused_connector("CloneConnector", "the engine does not report its connections back")
ArrayConnector = _refused_connector("ArrayConnector", "write the pairs with a FromListConnector")
FromFileConnector = _refused_connector("FromFileConnector", "read the file and pass a FromListConnector")


def list_standard_models():
    """The StandardCellType classes this backend runs."""
    return [name for name in ("IF_curr_exp", "IF_curr_delta", "SpikeSourcePoisson", "SpikeSourceArray")]


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    state.keep_directory = extra_params.get("keep_directory")
    state.clear()
    state.dt = timestep
    state.min_delay = min_delay
    state.max_delay = max_delay
    state.seed = int(extra_params.get("rng_seed", extra_params.get("seed", 1)))
    state.threads = extra_params.get("threads")
    for unsupported in ("spike_precision", "use_cvode"):
        if unsupported in extra_params:
            raise NotImplementedError("pyNN.vesicle: setup(%s=...) is NEST/NEURON specific; Vesicle's spike "
                                      "times are exact" % unsupported)
    return 0


def end(compatible_output=True):
    """Write the files asked for with write_on_end, and remove the working directory."""
    state = simulator.state
    for (population, variables, filename) in state.write_on_end:
        io = get_io(filename)
        population.write_data(io, variables)
    state.write_on_end = []


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, num_processes, rank = \
    common.build_state_queries(simulator)
create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)
record = common.build_record(simulator)


def record_v(source, filename):
    return record(["v"], source, filename)


def record_gsyn(source, filename):
    raise NotImplementedError("pyNN.vesicle: the engine's neurons are current-based; there is no gsyn to record")


def last_run():
    """The vesicle.Run of the last run() (spikes, traces, release log, metadata, network text)."""
    return simulator.state.last_run
