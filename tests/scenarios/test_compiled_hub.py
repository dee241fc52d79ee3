"""The compiled hub (`make compile`) makes the same decisions as its sources.

CI runs the sources, so this is what holds the compiled form: a copy of the tree is
compiled with the project's own script, and scenarios that exercise the hub's every
room (a crash and replay, an outage, a peak) are run in it twice, from the sources and
compiled, in processes of their own; their digests must be the same. Slow (about a
minute to build, then the runs): `make scenarios` runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: what a run from the copy imports, and the build's own configuration
COPIED = ("hub", "simulators", "scenarios", "scripts", "pyproject.toml")
#: the hub's rooms: a plain day, a crash and its replay, an ERP outage, a peak
NAMES = ("steady-day", "hub-crash", "erp-outage", "black-friday")
#: prints which hub ran, then each scenario's digest at scale 0.1
PROBE = """
import sys
from hub.compiled import running_build
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
print(running_build().value)
for name in sys.argv[1:]:
    print(name, run(load_scenario(name, ("scenario.scale=0.1",))).seal.digest)
"""


def _probe(tree: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *NAMES],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


@pytest.mark.slow
def test_the_compiled_hub_makes_the_same_decisions(tmp_path: Path) -> None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(os.environ.get("CC", compiler).split()[0]) is None:
        pytest.fail(f"no C compiler ({compiler!r}): `make compile` needs one to build the hub")
    tree = tmp_path / "tree"
    ignored = shutil.ignore_patterns("__pycache__", "*.so", "compiled.json", "build")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignored)
        else:
            shutil.copy2(source, tree / name)
    sources = _probe(tree)
    built = subprocess.run(
        [sys.executable, "scripts/compile_hub.py"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    compiled = _probe(tree)
    assert sources[0] == "its sources (interpreted)"
    assert compiled[0] == "compiled (make compile)"
    assert compiled[1:] == sources[1:]
    assert len(sources) == 1 + len(NAMES)
