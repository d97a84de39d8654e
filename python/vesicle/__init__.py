"""Vesicle from Python: check and run `.vsl` networks with the built `vesicle` executable, read run
directories, export NWB. The engine is the executable's; this package only writes files, calls it
and reads what it wrote.

    import vesicle
    vesicle.check("Networks/brunel_ai.vsl")                 # raises CheckError with located diagnostics
    run = vesicle.run("Networks/brunel_ai.vsl", seed=3, duration="500 ms")
    run.spikes["E"].times_ms, run.spikes_frame(), run.membrane, run.posterior, run.release
    vesicle.to_nwb(run, "brunel.nwb")                      # needs pynwb
"""
from .api import check, run
from .errors import (CheckError, Diagnostic, ExecutableNotFoundError, RunError, UnitError, VesicleError,
                     parse_diagnostics)
from .executable import find_executable
from .results import Run, Spikes, Trace, load, load_spikes_csv
from .units import Quantity, quantity, to_storage
from . import units

__version__ = "0.1.0"


def to_nwb(run, path, **kwargs):
    """Write a Run (or a run directory) as an NWB 2 file; see vesicle.nwb.to_nwb."""
    from .nwb import to_nwb as _to_nwb
    return _to_nwb(run, path, **kwargs)


__all__ = ["check", "run", "load", "to_nwb", "Run", "Spikes", "Trace", "Quantity", "quantity", "to_storage",
           "units", "VesicleError", "CheckError", "RunError", "UnitError", "ExecutableNotFoundError",
           "Diagnostic", "parse_diagnostics", "find_executable", "load_spikes_csv"]
