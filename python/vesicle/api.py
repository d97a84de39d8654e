"""`vesicle.check` and `vesicle.run`: the executable's `check` and `run` subcommands from Python."""
from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from typing import List, Optional, Sequence, Union

from . import executable
from .errors import CheckError, RunError, parse_diagnostics
from .results import Run, load
from .units import to_storage

PathOrText = Union[str, os.PathLike]


def _is_path(text_or_path) -> bool:
    if isinstance(text_or_path, os.PathLike):
        return True
    if not isinstance(text_or_path, str):
        raise TypeError("expected network text or a path to a .vsl file, got %r" % type(text_or_path).__name__)
    if "\n" in text_or_path:
        return False
    return text_or_path.endswith(".vsl") or os.path.isfile(text_or_path)


class _NetworkFile:
    """A path to the network: the given file, or the given text written into `directory` (a fresh
    temporary directory by default; relative `file("...")` references in text resolve against it)."""

    def __init__(self, text_or_path, directory=None, name="network.vsl"):
        self.temporary = None
        if _is_path(text_or_path):
            self.path = os.path.abspath(os.fspath(text_or_path))
            if not os.path.isfile(self.path):
                raise FileNotFoundError("network file %s does not exist" % self.path)
            with open(self.path, encoding="utf-8", errors="replace") as handle:
                self.text = handle.read()
        else:
            if directory is None:
                self.temporary = tempfile.mkdtemp(prefix="vesicle-net-")
                directory = self.temporary
            os.makedirs(directory, exist_ok=True)
            self.path = os.path.abspath(os.path.join(directory, name))
            self.text = text_or_path
            with open(self.path, "w", encoding="utf-8") as handle:
                handle.write(text_or_path)

    def relabel(self, diagnostics):
        """Diagnostics of text given inline name it "<string>", not the temporary file."""
        if not self.temporary:
            return diagnostics
        return [dataclasses.replace(d, path="<string>") if d.path == self.path else d for d in diagnostics]

    def close(self):
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)


def check(text_or_path: PathOrText, directory=None):
    """Check a network (its text, or a path to a .vsl file) with `vesicle check`.

    Returns the list of warnings (Diagnostic) when the network is free of errors; raises CheckError,
    whose `.diagnostics` hold every located diagnostic (path, line, column, message, suggestion,
    notes), when it has errors.
    """
    network = _NetworkFile(text_or_path, directory)
    try:
        result = executable.call(["check", network.path])
    finally:
        network.close()
    diagnostics = network.relabel(parse_diagnostics(result.stderr))
    if result.returncode != 0:
        errors = [d for d in diagnostics if d.severity == "error"]
        head = ("%d error%s in %s" % (len(errors), "" if len(errors) == 1 else "s", network.path)) if errors \
            else ("vesicle check failed: %s" % result.stderr.strip())
        raise CheckError(head, diagnostics, result.stderr, result.returncode)
    return diagnostics


def run(text_or_path: PathOrText, seed: Optional[int] = None, duration=None, threads: Optional[int] = None,
        out=None, formats: Sequence[str] = ("csv", "npy"), force: bool = False, kernel_path: Optional[str] = None,
        directory=None) -> Run:
    """Run a network with `vesicle run` and read what it wrote.

    - `seed`: overrides the file's seed (an integer >= 0).
    - `duration`: the recorded time after warm-up, a quantity ("1 s", "500 ms", 0.5 * vesicle.units.s);
      None keeps the file's. A value that is not a time raises UnitError before anything runs.
    - `threads`: threads for each window's deliveries (same results for any count).
    - `out`: the run directory to write (kept); None writes into a temporary directory that is
      removed once the recordings are read into the returned Run (its `path` is then None).
    - `formats`: any of csv, npy, hdf5 (npy is what the loader reads; csv is the raster users share),
      and nwb: `out/run.nwb` written through pynwb after the run (vesicle.nwb).
    - `directory`: where network text given inline is written (its `file("...")` references resolve
      against it); a fresh temporary directory by default. With `out`, the text is also kept as
      `out/network.vsl`.
    Non-zero exits raise CheckError (errors in the file, with diagnostics) or RunError (the tool's
    message); a missing executable raises ExecutableNotFoundError with install instructions.
    """
    arguments = []
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError("seed must be a non-negative integer, got %r" % (seed,))
        arguments += ["--seed", str(seed)]
    if duration is not None:
        duration_ms = to_storage(duration, "time", "duration")
        if not duration_ms > 0:
            raise ValueError("duration must be > 0, got %r" % (duration,))
        arguments += ["--duration", repr(duration_ms)]
    if threads is not None:
        if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= 256:
            raise ValueError("threads must be an integer in 1...256, got %r" % (threads,))
        arguments += ["--threads", str(threads)]
    formats = list(formats)
    nwb = "nwb" in formats
    formats = [name for name in formats if name != "nwb"]
    for name in formats:
        if name not in ("csv", "npy", "hdf5"):
            raise ValueError("unknown format %r; choose from csv, npy, hdf5, nwb" % name)
    if nwb and out is None:
        raise ValueError("format 'nwb' writes out/run.nwb: give out=")
    if "npy" not in formats:
        formats.append("npy")
    arguments += ["--format", ",".join(formats)]
    if kernel_path is not None:
        arguments += ["--kernel-path", kernel_path]
    if force:
        arguments.append("--force")
    executable.find_executable()  # raise with install instructions before writing anything
    network = _NetworkFile(text_or_path, directory)
    temporary_out = None
    try:
        if out is None:
            temporary_out = tempfile.mkdtemp(prefix="vesicle-run-")
            run_dir = os.path.join(temporary_out, "run")
        else:
            run_dir = os.path.abspath(os.fspath(out))
        result = executable.call(["run", network.path, "--out", run_dir, "--quiet", *arguments])
        if result.returncode != 0:
            diagnostics = network.relabel(parse_diagnostics(result.stderr))
            errors = [d for d in diagnostics if d.severity == "error"]
            if errors:
                raise CheckError("%d error%s in %s" % (len(errors), "" if len(errors) == 1 else "s", network.path),
                                 diagnostics, result.stderr, result.returncode)
            message = result.stderr.strip()
            if message.startswith("Error: "):
                message = message[len("Error: "):]
            raise RunError("vesicle run failed (exit status %d): %s" % (result.returncode, message or result.stdout.strip()),
                           diagnostics, result.stderr, result.returncode)
        if network.temporary and not temporary_out:
            # Text given inline: keep it with the recordings (load() and the NWB export read it there).
            with open(os.path.join(run_dir, "network.vsl"), "w", encoding="utf-8") as handle:
                handle.write(network.text)
        loaded = load(run_dir, network=network.text, stdout=result.stdout)
        if nwb:
            from .nwb import to_nwb
            to_nwb(loaded, os.path.join(run_dir, "run.nwb"))
        if temporary_out:
            loaded.path = None
        return loaded
    finally:
        network.close()
        if temporary_out:
            shutil.rmtree(temporary_out, ignore_errors=True)
