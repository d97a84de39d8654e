#!/usr/bin/env python3
"""Load Vesicle run directories from Python (numpy; h5py for the HDF5 files).

Formats written by `vesicle run` (see Sources/VesicleIO):
  metadata.json                        run metadata (seed, network SHA-256, completed, ...)
  spikes.csv                           population,neuron,time_ms
  spikes.<population>.time_ms.npy      <f8, one per population
  spikes.<population>.neuron.npy       <u8
  spikes.h5                            SONATA: /spikes/<population>/{timestamps (ms), node_ids}
  release.csv / release.<column>.npy / release.h5 (/release/<column>)
      columns time_ms, synapse, pre, post, amplitude, mu, sigma2
  traces.<name>.csv / traces.<name>.<column>.npy / traces.<name>.h5 (/traces/<name>/<column>)
      long table: columns time_ms, neuron|synapse, value (one row per sample)
  traces.<name>.json                   units ("unit", "time_unit"), quantity, index kind, time grid
  traces.<name>.matrix.npy             <f8 (times, elements); axes in .matrix.time_ms.npy, .matrix.<index>.npy
  traces.<name>.report.h5              SONATA report: /report/<population>/data (times x elements, units)
      and mapping/{node_ids, element_ids, index_pointers, time = [start, stop, dt], time_ms}
  Membrane traces are named membrane_<population>; posterior traces mu, sigma2 (and teacher).

Files still named *.partial belong to a run that did not complete; they are ignored unless
partial=True is passed.

Usage as a script:  python3 Tools/vesicle_io.py RUN   (prints a summary of what it found)
"""
import csv
import glob
import json
import os
import sys

import numpy as np

RELEASE_COLUMNS = ("time_ms", "synapse", "pre", "post", "amplitude", "mu", "sigma2")
INDEX_COLUMNS = {"synapse", "pre", "post", "neuron"}


def _path(run, name, partial):
    path = os.path.join(run, name)
    if partial and not os.path.exists(path) and os.path.exists(path + ".partial"):
        return path + ".partial"
    return path


def _load_npy(path):
    # np.load refuses names not ending in .npy only when given a str without the suffix; open the file ourselves.
    with open(path, "rb") as handle:
        return np.load(handle, allow_pickle=False)


def load_metadata(run):
    """The run's metadata.json as a dict, or None when absent."""
    path = os.path.join(run, "metadata.json")
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return json.load(handle)


def available_format(run, stem, first_column):
    """'hdf5', 'npy' or 'csv' for the best format present for a table, or None."""
    if os.path.exists(os.path.join(run, stem + ".h5")):
        return "hdf5"
    if glob.glob(os.path.join(run, glob.escape(stem) + ".*" + first_column + ".npy")) or os.path.exists(
        os.path.join(run, stem + "." + first_column + ".npy")
    ):
        return "npy"
    if os.path.exists(os.path.join(run, stem + ".csv")):
        return "csv"
    return None


def load_spikes(run, fmt=None, partial=False):
    """{population: (neurons uint64 array, times float64 array in ms)}, in metadata order when known."""
    fmt = fmt or available_format(run, "spikes", "time_ms")
    if fmt is None:
        raise FileNotFoundError("no spike raster in %s" % run)
    result = {}
    if fmt == "hdf5":
        import h5py

        with h5py.File(_path(run, "spikes.h5", partial), "r") as handle:
            for population, group in handle["spikes"].items():
                result[population] = (group["node_ids"][()].astype(np.uint64), group["timestamps"][()].astype(np.float64))
    elif fmt == "npy":
        suffix = ".time_ms.npy"
        for path in sorted(glob.glob(os.path.join(run, "spikes.*" + suffix))):
            population = os.path.basename(path)[len("spikes."):-len(suffix)]
            neurons = _load_npy(os.path.join(run, "spikes.%s.neuron.npy" % population))
            result[population] = (neurons, _load_npy(path))
    elif fmt == "csv":
        lists = {}
        with open(_path(run, "spikes.csv", partial), newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            if header != ["population", "neuron", "time_ms"]:
                raise ValueError("spikes.csv: unexpected header %r" % header)
            for population, neuron, time in reader:
                entry = lists.setdefault(population, ([], []))
                entry[0].append(int(neuron))
                entry[1].append(float(time))
        result = {p: (np.array(n, dtype=np.uint64), np.array(t, dtype=np.float64)) for p, (n, t) in lists.items()}
    else:
        raise ValueError("unknown format %r" % fmt)
    metadata = load_metadata(run)
    if metadata:
        order = [p["name"] for p in metadata.get("populations", [])]
        result = dict(sorted(result.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))
    return result


def _load_table(run, stem, columns, group, fmt, partial):
    fmt = fmt or available_format(run, stem, columns[0])
    if fmt is None:
        raise FileNotFoundError("no %s table in %s" % (stem, run))
    if fmt == "hdf5":
        import h5py

        with h5py.File(_path(run, stem + ".h5", partial), "r") as handle:
            return {c: handle[group][c][()] for c in columns}
    if fmt == "npy":
        return {c: _load_npy(_path(run, "%s.%s.npy" % (stem, c), partial)) for c in columns}
    data = np.genfromtxt(_path(run, stem + ".csv", partial), delimiter=",", names=True, ndmin=1)
    if tuple(data.dtype.names) != tuple(columns):
        raise ValueError("%s.csv: unexpected header %r" % (stem, data.dtype.names))
    return {c: data[c].astype(np.uint64 if c in INDEX_COLUMNS else np.float64) for c in columns}


def load_release(run, fmt=None, partial=False):
    """The release log as {column: array}."""
    return _load_table(run, "release", RELEASE_COLUMNS, "release", fmt, partial)


def load_trace(run, name, index_column="neuron", fmt=None, partial=False):
    """A recorded trace as {'time_ms', index_column, 'value': array}."""
    return _load_table(run, "traces." + name, ("time_ms", index_column, "value"), "traces/" + name, fmt, partial)


def load_trace_description(run, name):
    """traces.<name>.json: units, quantity, index kind, time grid, files; None if absent."""
    path = os.path.join(run, "traces.%s.json" % name)
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return json.load(handle)


def load_trace_matrix(run, name, fmt=None):
    """The dense form of a trace as (time_ms, elements, data, description): data has one row per
    time and one column per neuron/synapse, in the unit description['unit']. Reads the NumPy
    matrix or, with fmt='hdf5' or when only it exists, the SONATA report (h5py)."""
    description = load_trace_description(run, name)
    if description is None:
        raise FileNotFoundError("no traces.%s.json in %s" % (name, run))
    if description.get("matrix") is None:
        raise ValueError("trace %s has no matrix: %s" % (name, description.get("matrix_missing")))
    stem = os.path.join(run, "traces." + name)
    if fmt is None:
        fmt = "npy" if os.path.exists(stem + ".matrix.npy") else "hdf5"
    if fmt == "npy":
        data = np.load(stem + ".matrix.npy")
        times = np.load(stem + ".matrix.time_ms.npy")
        elements = np.load(stem + ".matrix.%s.npy" % description["index"])
    elif fmt == "hdf5":
        import h5py

        with h5py.File(stem + ".report.h5", "r") as handle:
            group = handle["report"][description["population"]]
            data = group["data"][()]
            times = group["mapping"]["time_ms"][()]
            elements = group["mapping"]["node_ids"][()]
    else:
        raise ValueError("unknown format %r" % fmt)
    if data.shape != (times.size, elements.size):
        raise ValueError("traces.%s: matrix shape %r does not match %d times x %d elements"
                         % (name, data.shape, times.size, elements.size))
    return times, elements, data, description


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    run = argv[1]
    metadata = load_metadata(run)
    if metadata:
        print("metadata: seed %s, completed %s, simulated %.1f ms" % (
            metadata.get("seed"), metadata.get("completed"), metadata.get("simulated_time_ms", float("nan"))))
    for population, (neurons, times) in load_spikes(run).items():
        print("%-10s %9d spikes, neurons up to %s" % (population, times.size, neurons.max() if neurons.size else "-"))
    if available_format(run, "release", "time_ms"):
        release = load_release(run)
        print("release log: %d releases over %d synapses" % (release["time_ms"].size, np.unique(release["synapse"]).size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
