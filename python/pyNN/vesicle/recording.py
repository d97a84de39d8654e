"""Recorders read the run the executable wrote (vesicle.Run) back into PyNN's Neo blocks."""
import numpy as np
from pyNN import recording

from . import simulator


class Recorder(recording.Recorder):
    _simulator = simulator

    def _record(self, variable, new_ids, sampling_interval=None):
        if sampling_interval is not None and variable.name != "spikes":
            self.sampling_interval = sampling_interval

    def _run(self):
        run = self._simulator.state.last_run
        if run is None:
            raise RuntimeError("pyNN.vesicle: nothing has been run yet; call run() before reading recordings")
        return run

    def _root_and_index(self, ids):
        population = self.population
        cells = np.asarray(population.all_cells, dtype=int)
        return population, np.searchsorted(cells, np.asarray(ids, dtype=int))

    def _get_spiketimes(self, ids, clear=False):
        population = self.population
        ids = np.asarray(sorted(int(i) for i in ids), dtype=int)
        spikes = self._run().spikes.get(population._vsl_name)
        if spikes is None or ids.size == 0:
            return np.array([], dtype=int), np.array([], dtype=float)
        cells = np.asarray(population.all_cells, dtype=int)
        id_array = cells[spikes.neurons.astype(np.int64)]
        keep = np.isin(id_array, ids)
        return id_array[keep], spikes.times_ms[keep].copy()

    def _get_all_signals(self, variable, ids, clear=False):
        if variable.name != "v":
            raise NotImplementedError("pyNN.vesicle records spikes and v only")
        trace = self._run().membrane.get(self.population._vsl_name)
        if trace is None or len(ids) == 0:
            return np.zeros((0, len(ids))), None
        times, indices, table = trace.matrix()
        _, wanted = self._root_and_index(ids)
        columns = np.searchsorted(indices, wanted)
        return table[:, columns], times

    def _local_count(self, variable, filter_ids=None):
        if variable.name != "spikes":
            raise NotImplementedError("pyNN.vesicle counts spikes only")
        ids = self.filter_recorded(variable, filter_ids)
        id_array, _ = self._get_spiketimes(ids)
        counts = {int(i): 0 for i in ids}
        values, numbers = np.unique(id_array, return_counts=True)
        for i, n in zip(values, numbers):
            counts[int(i)] = int(n)
        return counts

    def _clear_simulator(self):
        pass

    def _reset(self):
        pass
