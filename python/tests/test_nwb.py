"""NWB export: pynwb reads the file back with the raster's spike times; nwbinspector finds no
critical issue."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

pynwb = pytest.importorskip("pynwb")

import vesicle  # noqa: E402
from conftest import bits  # noqa: E402

NETWORK = """
population In = 30 poisson_source(rate = 40 Hz)
population E = 12 lif_exp(tau_m = 10 ms)
synapse b = bayesian(release = gaussian)
connect In -> E fixed_indegree(10) using b weight 1 pA delay 1 ms
input drive = current(amplitude = 400 pA) -> E
record spikes In, E[0:10]
record membrane E[2:5] every 0.5 ms
record releases "In->E" limit 6
record posterior "In->E" every 100 ms limit 3
simulate 400 ms seed 7
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory, executable):
    directory = tmp_path_factory.mktemp("nwb")
    run = vesicle.run(NETWORK, out=directory / "run")
    path = vesicle.to_nwb(run, str(directory / "run.nwb"))
    raster = vesicle.load_spikes_csv(directory / "run" / "spikes.csv")
    return run, path, raster, directory


def test_units_hold_the_raster_to_the_last_bit(exported):
    run, path, raster, _ = exported
    with pynwb.NWBHDF5IO(path, "r") as io:
        nwbfile = io.read()
        units = nwbfile.units.to_dataframe()
        assert nwbfile.source_script == run.network
        assert json.loads(nwbfile.notes) == run.metadata
    # every recorded neuron is a unit, spiking or not: In 0..29 and E[0:10]
    assert sorted(zip(units.population, units.neuron)) == sorted([("In", i) for i in range(30)] + [("E", i) for i in range(10)])
    total = 0
    for population, neuron, times in zip(units.population, units.neuron, units.spike_times):
        expected_ms = np.sort(raster.get(population, vesicle.Spikes(np.array([], np.uint64), np.array([]))).of(neuron))
        # seconds are the raster's float64 milliseconds divided by 1000 (correctly rounded) ...
        assert np.array_equal(bits(times), bits(expected_ms / 1000.0))
        # ... so they come back to the raster within half an ulp of the product
        np.testing.assert_array_max_ulp(np.asarray(times) * 1000.0, expected_ms, maxulp=1)
        total += len(times)
    assert total == len(raster["In"]) + len(raster["E"]) and len(raster["E"]) > 0


def test_membrane_timeseries_with_units(exported):
    run, path, _, _ = exported
    with pynwb.NWBHDF5IO(path, "r") as io:
        nwbfile = io.read()
        series = nwbfile.acquisition["membrane_E"]
        assert series.unit == "volts" and series.conversion == 0.001
        assert series.rate == 2000.0 and series.starting_time == 0.0
        data = series.data[:]
        ids = nwbfile.processing["misc"]["neuron_ids_E"].to_dataframe().neuron.tolist()
        release = nwbfile.processing["misc"]["release_log"].to_dataframe()
        mu = nwbfile.processing["misc"]["posterior_mu"].to_dataframe()
    times, indices, table = run.membrane["E"].matrix()
    assert ids == [2, 3, 4] and data.shape == (800, 3)
    assert np.array_equal(bits(data), bits(table))
    assert np.array_equal(bits(release.time.to_numpy()), bits(run.release["time_ms"] / 1000.0))
    assert np.array_equal(release.amplitude.to_numpy(), run.release["amplitude"])
    assert len(mu) == 4 * 3


def test_nwbinspector_reports_no_critical_issue(exported):
    inspector = pytest.importorskip("nwbinspector")
    _, path, _, _ = exported
    messages = list(inspector.inspect_nwbfile(nwbfile_path=path))
    serious = [m for m in messages if m.importance.name in ("CRITICAL", "ERROR", "PYNWB_VALIDATION")]
    assert serious == [], [(m.check_function_name, m.message) for m in serious]


def test_command_line_writes_the_file(exported):
    run, _, _, directory = exported
    output = directory / "cli.nwb"
    result = subprocess.run([sys.executable, "-m", "vesicle.nwb", str(directory / "run"), "-o", str(output)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with pynwb.NWBHDF5IO(str(output), "r") as io:
        assert len(io.read().units) == 40  # the network text was kept in the run directory
    again = subprocess.run([sys.executable, "-m", "vesicle.nwb", str(directory / "run"), "-o", str(output)],
                           capture_output=True, text=True)
    assert again.returncode == 1 and "exists" in again.stderr


def test_run_with_the_nwb_format(tmp_path, executable):
    run = vesicle.run(NETWORK, out=tmp_path / "run", formats=("csv", "nwb"), duration="50 ms")
    with pynwb.NWBHDF5IO(str(tmp_path / "run" / "run.nwb"), "r") as io:
        units = io.read().units.to_dataframe()
    assert len(units) == 40 and run.duration_ms == 50
    with pytest.raises(ValueError, match="out="):
        vesicle.run(NETWORK, formats=("nwb",))
