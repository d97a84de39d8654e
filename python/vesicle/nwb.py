"""NWB 2 export of a Vesicle run, through pynwb (the NWB reference implementation).

Why pynwb rather than HDF5 from Swift: an NWB 2 file is HDF5 plus a schema (cached namespace
specifications, neurodata_type and object_id attributes on every object, DynamicTable index
conventions) whose conformance nwbinspector judges against pynwb itself; writing it by hand from
Swift would re-implement that library, and the `vesicle run` command is being restructured in
parallel. pynwb writes it by construction, and the conversion reads only the run directory.

Contents:
  * units: one row per recorded neuron; spike_times in seconds (the raster's float64 ms divided
    by 1000, correctly rounded), and columns `population` and `neuron` (index in the population);
  * acquisition/membrane_<population>: TimeSeries of the membrane samples, data in mV with
    conversion 0.001 to volts, samples at starting_time + k / rate (time first, neurons second);
    the neurons' indices are in the description and in the table processing/misc/neuron_ids_<population>;
  * processing/misc: posterior traces (mu, sigma2) as TimeSeries, the release log as a
    DynamicTable (time in s), the membrane traces' neuron indices;
  * the network file as `source_script` (with `source_script_file_name`), the run's metadata.json
    as `notes`; the seed and SHA-256 in `session_description` and `data_collection`.

Usage:  python -m vesicle.nwb RUN_DIR [-o FILE.nwb]      (default RUN_DIR/run.nwb)
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import uuid

import numpy as np

from .results import Run, load

_RECORD_SPIKES = re.compile(r"^\s*record\s+spikes\s+(.*?)\s*(#.*)?$")
_REFERENCE = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?:\[\s*(\d*)\s*(:?)\s*(\d*)\s*\])?\s*$")


def recorded_neurons(run: Run):
    """{population: neuron indices whose spikes were recorded}, from the network's `record spikes`
    statements; a population whose selection is not a plain literal slice falls back to the
    neurons that spiked (said in the Units description)."""
    sizes = dict(run.populations)
    result, exact = {}, True
    for line in (run.network or "").splitlines():
        match = _RECORD_SPIKES.match(line)
        if not match:
            continue
        for item in match.group(1).split(","):
            ref = _REFERENCE.match(item)
            if not ref or ref.group(1) not in sizes:
                exact = False
                continue
            name, a, colon, b = ref.groups()
            size = sizes[name]
            if a is None and not colon and not b:
                indices = range(size)
            elif colon:
                indices = range(int(a) if a else 0, int(b) if b else size)
            else:
                indices = [int(a)]
            result.setdefault(name, set()).update(indices)
    for name, spikes in run.spikes.items():
        if name not in result:
            exact = exact and not len(spikes)
            result[name] = set(int(n) for n in np.unique(spikes.neurons))
    return {name: np.array(sorted(v), dtype=np.int64) for name, v in result.items()}, exact


def _start_time(run: Run):
    if run.path and os.path.exists(os.path.join(run.path, "metadata.json")):
        stamp = os.path.getmtime(os.path.join(run.path, "metadata.json"))
        return datetime.datetime.fromtimestamp(stamp, tz=datetime.timezone.utc)
    return datetime.datetime.now(tz=datetime.timezone.utc)


def to_nwb(run, path, session_description=None, overwrite=False, subject=None, experimenter=None, institution=None):
    """Write `run` (a vesicle.Run or a run directory) as an NWB 2 file at `path`; returns the path."""
    try:
        import pynwb
        from hdmf.common import DynamicTable, VectorData
        from pynwb.file import Subject
        from pynwb.misc import Units
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("NWB export needs pynwb: pip install 'vesicle[nwb]'") from error
    if not isinstance(run, Run):
        run = load(run)
    path = os.fspath(path)
    if os.path.exists(path) and not overwrite:
        raise FileExistsError("%s exists; pass overwrite=True to replace it" % path)
    metadata = run.metadata
    seed, sha = metadata.get("seed"), metadata.get("network_sha256", "")
    description = session_description or "Vesicle simulation of %s (seed %s, %s ms after %s ms warm-up)" % (
        os.path.basename(metadata.get("network_file", "network.vsl")), seed, metadata.get("duration_ms"),
        metadata.get("warmup_ms", 0))
    nwbfile = pynwb.NWBFile(
        session_description=description,
        identifier=str(uuid.uuid5(uuid.NAMESPACE_URL, "vesicle:%s:%s:%s" % (sha, seed, metadata.get("duration_ms")))),
        session_start_time=_start_time(run),
        experiment_description="Spiking-network simulation with Vesicle %s (exact event-driven engine)"
                               % metadata.get("vesicle_version", ""),
        source_script=run.network or "",
        source_script_file_name=os.path.basename(metadata.get("network_file", "network.vsl")),
        notes=json.dumps(metadata, sort_keys=True),
        data_collection="vesicle run; network SHA-256 %s; seed %s" % (sha, seed),
        keywords=["simulation", "spiking neural network", "Vesicle"],
        experimenter=experimenter,
        institution=institution,
    )
    neurons, exact = recorded_neurons(run)
    if neurons:
        last = max((float(s.times_ms.max()) for s in run.spikes.values() if len(s)), default=1.0) / 1000.0
        # Spike times are the engine's exact event times in float64; the smallest difference the
        # file can hold near the end of the run is the float64 spacing there.
        nwbfile.units = Units(name="units", resolution=float(np.spacing(max(last, 1e-3))),
                              description="spikes of every recorded neuron, times in s" if exact else
                              "spikes in s; for some populations only the neurons that spiked are listed "
                              "(their record statement's selection could not be read)")
        nwbfile.add_unit_column(name="population", description="the Vesicle population of the neuron")
        nwbfile.add_unit_column(name="neuron", description="index of the neuron within its population")
        for population, indices in neurons.items():
            spikes = run.spikes.get(population)
            for neuron in indices:
                times_ms = spikes.of(int(neuron)) if spikes is not None else np.array([], float)
                nwbfile.add_unit(spike_times=np.sort(times_ms) / 1000.0, population=population, neuron=int(neuron))
    module = nwbfile.create_processing_module(name="misc", description="Vesicle recordings: posterior "
                                              "traces, release log, neuron indices of the membrane traces")
    for population, trace in sorted(run.membrane.items()):
        times, indices, table = trace.matrix()
        rate = _regular_rate(times)
        # Time first; with fewer samples than neurons, one series per neuron keeps it so.
        if times.size >= indices.size:
            series = [("membrane_%s" % population, table, indices)]
        else:
            series = [("membrane_%s_%d" % (population, i), table[:, k], [i]) for k, i in enumerate(indices)]
        for name, data, which in series:
            kwargs = dict(name=name, data=data, unit="volts", conversion=0.001,
                          description="membrane potential of neurons %s of population %s (mV stored; conversion "
                                      "0.001 to volts)" % (_list(which), population))
            if rate is not None:
                kwargs.update(starting_time=float(times[0]) / 1000.0, rate=rate)
            else:
                kwargs.update(timestamps=times / 1000.0)
            nwbfile.add_acquisition(pynwb.TimeSeries(**kwargs))
        module.add(DynamicTable(name="neuron_ids_%s" % population,
                                description="column k of acquisition/membrane_%s is neuron neuron[k] of %s"
                                            % (population, population),
                                columns=[VectorData(name="neuron", description="neuron index in the population",
                                                    data=indices.astype(np.int64))]))
    for name, trace in sorted(run.posterior.items()):
        module.add(DynamicTable(name="posterior_%s" % name,
                                description="posterior %s of each recorded synapse over time (MODEL.md §3)" % name,
                                columns=[VectorData(name="time", description="time in s", data=trace.time_ms / 1000.0),
                                         VectorData(name="synapse", description="synapse index in the projection",
                                                    data=trace.index.astype(np.int64)),
                                         VectorData(name="value", description=name, data=trace.value)]))
    if run.release is not None and len(run.release["time_ms"]):
        r = run.release
        columns = [VectorData(name="time", description="release time in s", data=r["time_ms"] / 1000.0)]
        for column, text in (("synapse", "synapse index in the projection"), ("pre", "presynaptic neuron"),
                             ("post", "postsynaptic neuron"), ("amplitude", "released PSP amplitude"),
                             ("mu", "posterior mean at the release"), ("sigma2", "posterior variance at the release")):
            columns.append(VectorData(name=column, description=text, data=np.asarray(r[column])))
        module.add(DynamicTable(name="release_log", description="every logged release (Vesicle release log)",
                                columns=columns))
    if subject is None:
        # NWB (and nwbinspector, critically) require a subject with a sex and an age; a simulated
        # network has neither. 'O' (other) and a date of birth at the session start say so
        # without claiming an animal; species is left out (a best-practice note, not an error).
        subject = Subject(subject_id="simulation", sex="O", date_of_birth=nwbfile.session_start_time,
                          description="an in-silico network simulated by Vesicle, no animal: sex 'O' and a "
                                      "date of birth at the session start are placeholders, not measurements")
    nwbfile.subject = subject
    with pynwb.NWBHDF5IO(path, "w") as io:
        io.write(nwbfile)
    return path


def _list(indices):
    indices = [int(i) for i in indices]
    if indices and indices == list(range(indices[0], indices[-1] + 1)) and len(indices) > 3:
        return "%d..%d" % (indices[0], indices[-1])
    return ", ".join(str(i) for i in indices)


def _regular_rate(times_ms):
    """The sampling rate in Hz when the sample times are start + k * step exactly as the engine
    computes them (k * step in ms), else None."""
    if times_ms.size < 2:
        return None
    step = float(times_ms[1] - times_ms[0])
    k = np.round(times_ms / step)
    if not np.array_equal(k * step, times_ms) and not np.allclose(k * step, times_ms, rtol=0, atol=1e-9):
        return None
    if not np.array_equal(np.diff(k), np.ones(k.size - 1)):
        return None
    return 1000.0 / step


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m vesicle.nwb", description="Write a Vesicle run directory as NWB 2.")
    parser.add_argument("run_dir")
    parser.add_argument("-o", "--output", help="the .nwb file (default RUN_DIR/run.nwb)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    output = args.output or os.path.join(args.run_dir, "run.nwb")
    try:
        to_nwb(load(args.run_dir), output, overwrite=args.force)
    except Exception as error:  # a message, not a traceback
        print("error: %s" % error, file=sys.stderr)
        return 1
    print("wrote %s" % output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
