"""What a machine would compute: a fingerprint of the code that decides a run's digest.

A sweep spread over a Dask cluster is only a comparison if every worker runs the code
the user's machine runs: the same digest promise (same scenario, seed and code, same
digest) holds across machines only then. The fingerprint covers the Python sources and
the shipped scenario files of the packages a run executes, the interpreter's minor
version and SimPy's and Dask's releases; a worker whose fingerprint differs is refused before any
run starts (scenarios/experiments/cluster.py), rather than found out from digests that
do not repeat.
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path

import hub
import scenarios
import simulators

#: the packages whose code a run executes (graph/ serves; it never runs a scenario)
_PACKAGES = (hub, simulators, scenarios)
_SUFFIXES = (".py", ".toml")
#: what a run's digest or a task's transport depends on besides our own code: SimPy
#: schedules the events; a Dask client and workers of different releases may not talk
_DEPENDENCIES = ("simpy", "distributed")


def fingerprint() -> str:
    """A short hex digest of this interpreter's retailtwin code and what it runs on."""
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info.major}.{sys.version_info.minor}\n".encode())
    for dependency in _DEPENDENCIES:
        digest.update(f"{dependency} {metadata.version(dependency)}\n".encode())
    for package in _PACKAGES:
        root = Path(package.__file__ or "").parent
        for path in sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES):
            digest.update(f"{package.__name__}/{path.relative_to(root).as_posix()}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
