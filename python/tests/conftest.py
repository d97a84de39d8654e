"""Shared fixtures. The tests run the real `vesicle` executable (VESICLE, PATH or the repository's
.build); Tools/test sets VESICLE to the build it just made."""
import os
import subprocess

import numpy as np
import pytest

import vesicle

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NETWORKS = os.path.join(REPOSITORY, "Networks")


@pytest.fixture(scope="session")
def executable():
    return vesicle.find_executable()


_PROBES = {
    "fixed_total_number": "population A = 3 lif_delta\npopulation B = 3 lif_delta\n"
                          "connect A -> B fixed_total_number(4) weight 1 mV delay 1 ms\nrecord spikes B\n",
    "from_file": "population A = 3 lif_delta\npopulation B = 3 lif_delta\n"
                 "connect A -> B from_file(\"conns.csv\") delay 1 ms weight 1 mV\nrecord spikes B\n",
}


def language_has(construct, tmp_path_factory):
    """Whether the executable's language accepts `construct` (vesicle check on a probe file)."""
    directory = tmp_path_factory.mktemp("probe_" + construct)
    (directory / "conns.csv").write_text("source,target\n0,1\n1,2\n")
    (directory / "probe.vsl").write_text(_PROBES[construct])
    try:
        vesicle.check(str(directory / "probe.vsl"))
        return True
    except vesicle.CheckError:
        return False


@pytest.fixture
def require_language(tmp_path_factory):
    def require(construct):
        if not language_has(construct, tmp_path_factory):
            pytest.skip("the vesicle executable's language has no `%s` yet (branch `language` adds it)" % construct)
    return require


def bits(array):
    """float64 values as their bit patterns, for exact comparisons."""
    return np.ascontiguousarray(np.asarray(array, dtype=np.float64)).view(np.uint64)


def cv_of_isi(spikes, size, minimum=3):
    """Mean CV of inter-spike intervals over neurons with at least `minimum` spikes."""
    cvs = []
    for n in range(size):
        t = np.sort(spikes.of(n))
        if t.size >= minimum:
            isi = np.diff(t)
            cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs))
