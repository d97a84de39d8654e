"""Finding and calling the `vesicle` executable. The package never re-implements the engine: every
check and every run is the built tool's."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List, Optional

from .errors import ExecutableNotFoundError

INSTALL_HELP = """\
The `vesicle` executable was not found. The Python package drives the built Swift tool; build it and
make it findable, in one of these ways:
  * from a clone of the repository (Swift 6 toolchain, Debian: Tools/install-deps first):
        swift build -c release            # writes .build/release/vesicle
    then run Python from inside the clone, or
  * export VESICLE=/path/to/vesicle, or
  * put the directory holding `vesicle` on PATH."""


def _repository_builds(start: Path):
    for directory in [start, *start.parents]:
        if (directory / "Package.swift").is_file():
            for configuration in ("release", "debug"):
                candidate = directory / ".build" / configuration / "vesicle"
                if candidate.is_file() and os.access(candidate, os.X_OK):
                    yield candidate
            return


def find_executable() -> str:
    """The `vesicle` executable: $VESICLE, else `vesicle` on PATH, else the repository's build
    (.build/release, then .build/debug, of the clone holding the working directory or this package).

    Raises ExecutableNotFoundError with install instructions when there is none.
    """
    explicit = os.environ.get("VESICLE")
    if explicit:
        path = Path(explicit).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return str(path.resolve())
        raise ExecutableNotFoundError("VESICLE=%s is not an executable file.\n\n%s" % (explicit, INSTALL_HELP))
    on_path = shutil.which("vesicle")
    if on_path:
        return on_path
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for candidate in _repository_builds(start):
            return str(candidate)
    raise ExecutableNotFoundError(INSTALL_HELP)


def call(arguments: List[str], cwd: Optional[str] = None) -> subprocess.CompletedProcess:
    """Run `vesicle ARGUMENTS...`, capturing standard output and error as text."""
    executable = find_executable()
    return subprocess.run([executable, *arguments], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
