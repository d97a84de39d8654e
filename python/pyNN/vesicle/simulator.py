"""The pyNN.vesicle simulator state. Nothing is simulated in Python: `run` writes the network built
so far as a `.vsl` file (plus data files) and runs it with the `vesicle` executable from t = 0 to
the current time; recorders then read the run it wrote."""
import atexit
import os
import shutil
import tempfile

from pyNN import common

import vesicle

name = "Vesicle"


class ID(int, common.IDMixin):

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):

    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self.min_delay = "auto"
        self.max_delay = 10.0
        self.seed = 1
        self.threads = None
        self.keep_directory = None
        self.workdir = None
        self.clear()

    def clear(self):
        self.recorders = set([])
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.id_counter = 0
        self.segment_counter = -1
        self.network_text = None
        self.last_run = None
        self.runs = 0
        if self.workdir and not self.keep_directory:
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None
        self.reset()

    def reset(self):
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1
        self.last_run = None

    def directory(self):
        if self.workdir is None:
            if self.keep_directory:
                os.makedirs(self.keep_directory, exist_ok=True)
                self.workdir = os.path.abspath(self.keep_directory)
            else:
                self.workdir = tempfile.mkdtemp(prefix="pynn-vesicle-")
        return self.workdir

    def run(self, simtime):
        self.run_until(self.t + simtime)

    def run_until(self, tstop):
        if tstop < self.t:
            raise ValueError("run_until(%g): the simulation is already at %g ms" % (tstop, self.t))
        self.t = float(tstop)
        self.running = True
        if self.t <= 0:
            return
        from .network_text import write_network
        self.runs += 1
        run_dir = os.path.join(self.directory(), "segment%03d_run%03d" % (self.segment_counter, self.runs))
        os.makedirs(run_dir, exist_ok=True)
        path, self.network_text = write_network(self, run_dir)
        # The engine runs from t = 0 every time: a second run() re-simulates the whole interval with
        # the same seed, which reproduces the first interval bit for bit (tests: test_pynn_backend).
        self.last_run = vesicle.run(path, seed=self.seed, duration=vesicle.Quantity(self.t, "ms"),
                                    threads=self.threads, out=os.path.join(run_dir, "run"), force=True)


state = State()


@atexit.register
def _remove_working_directory():
    # The network files and runs live in a temporary directory unless setup(keep_directory=...) named one.
    if state.workdir and not state.keep_directory:
        shutil.rmtree(state.workdir, ignore_errors=True)
