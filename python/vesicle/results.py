"""A run directory read into memory: `vesicle.load(run_dir)` and the `Run` that `vesicle.run` returns.

The files are those `vesicle run` writes (Sources/VesicleIO; README "Using it"):
  metadata.json; spikes.csv (population,neuron,time_ms), spikes.<pop>.{time_ms,neuron}.npy,
  spikes.h5 (SONATA); release.csv / release.<column>.npy / release.h5; traces.<name>.csv /
  traces.<name>.<column>.npy / traces.<name>.h5, whose index column is `neuron` or `synapse`.
NumPy files are preferred (exact and fast), then CSV (shortest round-trip decimals, so the same
bits), then HDF5 (needs h5py). Files still named *.partial belong to an unfinished run and are read
only with partial=True.
"""
from __future__ import annotations

import csv
import dataclasses
import glob
import json
import os
from typing import Dict, Optional

import numpy as np

from .errors import VesicleError

RELEASE_COLUMNS = ("time_ms", "synapse", "pre", "post", "amplitude", "mu", "sigma2")
_INDEX_COLUMNS = {"synapse", "pre", "post", "neuron"}


@dataclasses.dataclass
class Spikes:
    """The spikes of one population: neuron indices (within the population) and times in ms, in the
    order the engine emitted them (time order)."""

    neurons: np.ndarray
    times_ms: np.ndarray

    def __len__(self):
        return int(self.times_ms.size)

    def of(self, neuron: int) -> np.ndarray:
        """The spike times (ms) of one neuron."""
        return self.times_ms[self.neurons == neuron]


@dataclasses.dataclass
class Trace:
    """A recorded trace in long form: one row per (time, index) sample. `index_name` is `neuron`
    (membrane traces: the index within the population) or `synapse` (posterior traces)."""

    name: str
    index_name: str
    time_ms: np.ndarray
    index: np.ndarray
    value: np.ndarray

    def matrix(self):
        """(times_ms, indices, values[time, index]): the samples as a dense table. Raises if the
        samples do not form a full grid."""
        times = np.unique(self.time_ms)
        indices = np.unique(self.index)
        if times.size * indices.size != self.value.size:
            raise ValueError("trace %r is not a full time x %s grid" % (self.name, self.index_name))
        table = np.full((times.size, indices.size), np.nan)
        table[np.searchsorted(times, self.time_ms), np.searchsorted(indices, self.index)] = self.value
        return times, indices, table


def _load_npy(path):
    with open(path, "rb") as handle:
        return np.load(handle, allow_pickle=False)


class Run:
    """The recordings and metadata of one `vesicle run`.

    Attributes: `path` (the run directory, or None when it was temporary and is gone), `metadata`
    (metadata.json as a dict), `network` (the network file's text, when it could be read),
    `spikes` ({population: Spikes}, every population the metadata lists, recorded or not is told by
    `recorded_populations`), `traces` ({name: Trace}), `membrane` ({population: Trace}),
    `posterior` ({'mu': Trace, 'sigma2': Trace} when recorded), `release` ({column: array} or None).
    """

    def __init__(self, path, metadata, spikes, traces, release, network=None, stdout=""):
        self.path = path
        self.metadata = metadata
        self.spikes: Dict[str, Spikes] = spikes
        self.traces: Dict[str, Trace] = traces
        self.release = release
        self.network = network
        self.stdout = stdout

    @property
    def seed(self):
        return self.metadata.get("seed")

    @property
    def duration_ms(self):
        return self.metadata.get("duration_ms")

    @property
    def warmup_ms(self):
        return self.metadata.get("warmup_ms", 0.0)

    @property
    def completed(self):
        return bool(self.metadata.get("completed"))

    @property
    def populations(self):
        """[(name, size)] in the network's order."""
        return [(p["name"], p["neurons"]) for p in self.metadata.get("populations", [])]

    @property
    def membrane(self) -> Dict[str, Trace]:
        return {name[len("membrane_"):]: t for name, t in self.traces.items() if name.startswith("membrane_")}

    @property
    def posterior(self) -> Dict[str, Trace]:
        return {name: self.traces[name] for name in ("mu", "sigma2", "teacher") if name in self.traces}

    def spikes_frame(self):
        """All spikes as a pandas DataFrame with columns population, neuron, time_ms (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("Run.spikes_frame needs pandas: pip install 'vesicle[pandas]'") from error
        frames = [pd.DataFrame({"population": pd.Series([name] * len(s), dtype="string"),
                                "neuron": s.neurons, "time_ms": s.times_ms}) for name, s in self.spikes.items()]
        if not frames:
            return pd.DataFrame({"population": pd.Series([], dtype="string"), "neuron": np.array([], np.uint64),
                                 "time_ms": np.array([], float)})
        return pd.concat(frames, ignore_index=True)

    def release_frame(self):
        """The release log as a pandas DataFrame (needs pandas), or None when none was recorded."""
        import pandas as pd
        return None if self.release is None else pd.DataFrame(self.release)

    def __repr__(self):
        counts = ", ".join("%s: %d spikes" % (name, len(s)) for name, s in self.spikes.items())
        return "<vesicle.Run %s seed=%s duration=%s ms (%s)%s>" % (
            self.path or "(temporary)", self.seed, self.duration_ms, counts, "" if self.completed else " PARTIAL")


def _pick(run_dir, name, partial):
    path = os.path.join(run_dir, name)
    if os.path.exists(path):
        return path
    if partial and os.path.exists(path + ".partial"):
        return path + ".partial"
    return None


def _load_spikes(run_dir, population_names, partial):
    spikes = {}
    for name in population_names:
        t = _pick(run_dir, "spikes.%s.time_ms.npy" % name, partial)
        n = _pick(run_dir, "spikes.%s.neuron.npy" % name, partial)
        if t and n:
            spikes[name] = Spikes(_load_npy(n).astype(np.uint64), _load_npy(t).astype(np.float64))
    if spikes or not population_names:
        return spikes
    path = _pick(run_dir, "spikes.csv", partial)
    if path:
        return load_spikes_csv(path)
    path = _pick(run_dir, "spikes.h5", partial)
    if path:
        import h5py
        with h5py.File(path, "r") as handle:
            for name, group in handle["spikes"].items():
                spikes[name] = Spikes(group["node_ids"][()].astype(np.uint64), group["timestamps"][()].astype(np.float64))
    return spikes


def load_spikes_csv(path) -> Dict[str, Spikes]:
    """spikes.csv (header population,neuron,time_ms) read with Python's float(): exact."""
    lists = {}
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != ["population", "neuron", "time_ms"]:
            raise VesicleError("%s: unexpected header %r" % (path, header))
        for population, neuron, time in reader:
            entry = lists.setdefault(population, ([], []))
            entry[0].append(int(neuron))
            entry[1].append(float(time))
    return {p: Spikes(np.array(n, dtype=np.uint64), np.array(t, dtype=np.float64)) for p, (n, t) in lists.items()}


def _load_table(run_dir, stem, columns, partial):
    arrays = {}
    for column in columns:
        path = _pick(run_dir, "%s.%s.npy" % (stem, column), partial)
        if path is None:
            break
        arrays[column] = _load_npy(path)
    else:
        return arrays
    path = _pick(run_dir, stem + ".csv", partial)
    if path:
        with open(path, newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            if tuple(header) != tuple(columns):
                raise VesicleError("%s: unexpected header %r" % (path, header))
            rows = list(reader)
        return {c: np.array([r[i] for r in rows], dtype=np.uint64 if c in _INDEX_COLUMNS else np.float64)
                for i, c in enumerate(columns)}
    path = _pick(run_dir, stem + ".h5", partial)
    if path:
        import h5py
        group = "release" if stem == "release" else "traces/" + stem[len("traces."):]
        with h5py.File(path, "r") as handle:
            return {c: handle[group][c][()] for c in columns}
    return None


def _trace_names(run_dir):
    names = {}
    for path in glob.glob(os.path.join(glob.escape(run_dir), "traces.*")):
        base = os.path.basename(path)
        if base.endswith(".partial"):
            base = base[: -len(".partial")]
        for index_name in ("neuron", "synapse"):
            suffix = "." + index_name + ".npy"
            if base.endswith(suffix):
                names[base[len("traces."):-len(suffix)]] = index_name
        if base.endswith(".csv") and base[len("traces."):-4] not in names:
            with open(path, newline="") as handle:
                header = next(csv.reader(handle), [])
            if len(header) == 3:
                names[base[len("traces."):-4]] = header[1]
    return names


def load(run_dir, partial: bool = False, network: Optional[str] = None, stdout: str = "") -> Run:
    """Read a run directory written by `vesicle run` into a :class:`Run`.

    A run that did not complete (metadata `completed: false`) raises unless partial=True.
    """
    run_dir = os.fspath(run_dir)
    meta_path = os.path.join(run_dir, "metadata.json")
    if not os.path.exists(meta_path):
        raise VesicleError("%s is not a Vesicle run directory (no metadata.json)" % run_dir)
    with open(meta_path) as handle:
        metadata = json.load(handle)
    if not metadata.get("completed") and not partial:
        raise VesicleError("the run in %s did not complete (%s); pass partial=True to read what it wrote"
                           % (run_dir, metadata.get("stop_reason", "no reason recorded")))
    names = [p["name"] for p in metadata.get("populations", [])]
    spikes = _load_spikes(run_dir, names, partial)
    traces = {}
    for name, index_name in sorted(_trace_names(run_dir).items()):
        table = _load_table(run_dir, "traces." + name, ("time_ms", index_name, "value"), partial)
        if table is not None:
            traces[name] = Trace(name, index_name, table["time_ms"].astype(np.float64),
                                 table[index_name].astype(np.uint64), table["value"].astype(np.float64))
    release = _load_table(run_dir, "release", RELEASE_COLUMNS, partial)
    if network is None:
        candidate = metadata.get("network_file")
        for path in (candidate, os.path.join(run_dir, candidate or ""), os.path.join(run_dir, "network.vsl")):
            if path and os.path.isfile(path):
                with open(path, encoding="utf-8", errors="replace") as handle:
                    network = handle.read()
                break
    return Run(run_dir, metadata, spikes, traces, release, network, stdout)
