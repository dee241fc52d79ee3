"""Which build the runs a bench starts import: compiled (`make compile`) or the sources.

`make bench` compiles first, and a compiled build runs its packages faster (and holds
memory differently) than the sources, so a figure that does not say which it measured
cannot be compared with another. `benchmarks/run_speed.py` asks its child itself; the
benches that time `retailtwin run` as a user runs it (`out_cost`, `weekend_memory`)
cannot, so they ask a probe started as they start their runs: this interpreter, this
environment (`RETAILTWIN_BUILD` among it) and this directory, so the same
`compiled_build` guard decides, on the same files, what it imports. Probed before and
after the runs: a build made or removed meanwhile shows as two answers.
"""

from __future__ import annotations

import subprocess
import sys

#: a module of each package the build compiles, `--out`'s own timeline recorder for the
#: scenarios package (`scripts/compile_mypyc.py`)
PROBED = ("hub.core", "simulators.network", "scenarios.twin.timeline")
#: prints `compiled_build.running_build` of each of `PROBED`, one a line
PROBE = f"""
import importlib
from compiled_build import running_build
for name in {PROBED!r}:
    print(running_build(importlib.import_module(name)).value)
"""


def child_build() -> str:
    """What a child started now imports: the one build all of `PROBED` came from, or each
    module's if they differ (a partial build, which `compiled_build` should not allow)."""
    probed = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split("\n")[: len(PROBED)]
    if len(set(probed)) == 1:
        return probed[0]
    return "; ".join(f"{name} from {build}" for name, build in zip(PROBED, probed, strict=True))


def builds_line(before: str, after: str) -> str:
    """The report's line: the build the bench's runs imported, probed before and after."""
    said = before if before == after else f"{before} before, {after} after"
    return "  runs imported from".ljust(30) + said
