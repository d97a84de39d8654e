#!/usr/bin/env bash
# The Python stage of Tools/test: a virtualenv (.venv-ci, git-ignored), the package with PyNN 0.13,
# Neo, pynwb, nwbinspector and pytest from PyPI, then `pytest python/tests` against the built
# executable. Usage: python/ci.sh [path/to/vesicle]   (default .build/release/vesicle)
set -euo pipefail
cd "$(dirname "$0")/.."
executable=$(realpath "${1:-.build/release/vesicle}")
[ -x "$executable" ] || { echo "python/ci.sh: no executable at $executable (build first)" >&2; exit 1; }
venv=.venv-ci

make_venv() {  # make_venv PYTHON: a working venv with pip, or failure
  rm -rf "$venv"
  "$1" -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/python" -m pip --version >/dev/null 2>&1
}

if ! { [ -x "$venv/bin/python" ] && "$venv/bin/python" -m pip --version >/dev/null 2>&1; }; then
  made=
  for candidate in python3 python3.11 /root/.pyenv/versions/3.11*/bin/python3 /root/.pyenv/versions/3.1[2-3]*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && make_venv "$candidate"; then made=$candidate; break; fi
  done
  if [ -z "$made" ] && command -v apt-get >/dev/null 2>&1; then
    # Debian's python3 ships venv's ensurepip separately (python3-venv / python3.X-venv).
    version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    echo "python/ci.sh: installing python3-venv (python$version-venv) for the Python tests" >&2
    sudo_cmd=(); if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq python3-venv "python$version-venv" >/dev/null \
      || DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq python3-venv >/dev/null
    make_venv python3 && made=python3
  fi
  [ -n "$made" ] || { echo "python/ci.sh: cannot create a virtualenv (python3 -m venv failed; install python3-venv)" >&2; exit 1; }
fi

pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)
"${pip[@]}" "PyNN==0.13.*" neo pynwb nwbinspector pytest pandas numpy
"${pip[@]}" --force-reinstall --no-deps ./python
VESICLE="$executable" "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
