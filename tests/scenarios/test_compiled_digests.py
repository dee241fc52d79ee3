"""The compiled build (`make compile`: the hub, the simulators, the twin's hottest
modules) makes the same decisions as its sources.

CI runs the sources, so this is what holds the compiled form: a copy of the tree is
compiled with the project's own script, and scenarios that exercise the hub's every
room and most of the simulators (a crash and replay, an outage, a peak, returns,
marketplace settlement) are run in it twice, from the sources and compiled, in
processes of their own; their digests must be the same. Slow (a few minutes to build,
then the runs): `make scenarios` runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compiled_build import CHOICE_VARIABLE, Build

ROOT = Path(__file__).resolve().parents[2]
#: what a run from the copy imports, and the build's own configuration
COPIED = ("compiled_build", "hub", "simulators", "scenarios", "scripts", "pyproject.toml")
#: the hub's rooms: a plain day, a crash and its replay, an ERP outage, a peak; and the
#: simulators' returns, store sales and marketplace settlement
NAMES = (
    "steady-day",
    "hub-crash",
    "erp-outage",
    "black-friday",
    "returns-wave",
    "marketplace-settlement",
)
#: a module of each compiled package: the probe prints how each was run
PROBED = ("hub.core", "simulators.network", "scenarios.twin.record_spill")
#: prints how each of `PROBED` ran, then each scenario's digest at scale 0.1
PROBE = f"""
import importlib, sys
from compiled_build import running_build
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
print(",".join(running_build(importlib.import_module(name)).value for name in {PROBED!r}))
for name in sys.argv[1:]:
    print(name, run(load_scenario(name, ("scenario.scale=0.1",))).seal.digest)
"""


def _python(tree: Path, *args: str, timeout: float) -> str:
    """Run Python in the copied tree, importing the copy (compiled where it is built:
    not told to run the sources, as the rest of the suite is); its output, or fail with
    the end of what it said (a missing C compiler is named by the build script)."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=tree,
        env={
            **{name: value for name, value in os.environ.items() if name != CHOICE_VARIABLE},
            "PYTHONPATH": str(tree),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _probe(tree: Path) -> list[str]:
    return _python(tree, "-c", PROBE, *NAMES, timeout=900).splitlines()


@pytest.mark.slow
def test_the_compiled_build_makes_the_same_decisions(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    ignored = shutil.ignore_patterns("__pycache__", "*.so", "record.json", "build")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignored)
        else:
            shutil.copy2(source, tree / name)
    sources = _probe(tree)
    _python(tree, "scripts/compile_mypyc.py", timeout=1800)
    compiled = _probe(tree)
    assert sources[0].split(",") == [Build.SOURCES.value] * len(PROBED)
    assert compiled[0].split(",") == [Build.COMPILED.value] * len(PROBED)
    assert compiled[1:] == sources[1:]
    assert len(sources) == 1 + len(NAMES)
