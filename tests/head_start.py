"""Wall-clock runs given a head start: started as soon as the session's tests are
collected, judged when their module's turn comes, and given the CPU first.

Why: the runs against external hubs (tests/e2e/test_external_hub.py) wait on the wall
clock for minutes, and when the suite ran in one process those minutes (253 s at 450x)
were a fifth of `make test` with a core idle. Started at collection, the
runs go on while the tests that only compute run (`order`: tests/unit and
tests/scenarios first, in-process and simulated time, never the wall clock, with the
modules elsewhere that set `COMPUTES_ONLY`), and the module that judges them comes
right after, by when they are about done.

The runs and their hubs want most of a core between them (at 200x, the seven of
tests/e2e/test_external_hub.py took 0.78 of one), and the tests beside them take
another, so on two cores they
would contend, and a wall-clock run that waits for a core falls behind its day: its
latencies and sync lags fail their SLAs (seen at a load of 4 to 6). So once the runs are
started, the session lowers its own priority (`os.nice(BEHIND_RUNS)`): the tests and
every process they start from then on get a core only when the runs do not want it,
and, all at the same niceness, share the machine among themselves as before. A nice
value only ranks a process within its own session where the kernel groups sessions
(autogroups), and work from other sessions was never behind the runs: so each run's
processes are also started in a session of their own, at a better priority where the
session may give one (tests/run_priority.py).

With pytest-xdist's workers (`make test` runs two), one worker starts the runs and
whichever runs the module judges them (tests/workers.py); every worker steps behind them.

A test module takes part by defining `HEAD_START`, a mapping of run names to
`external_support.PlannedRun`, and a fixture named `FIXTURE` that returns
`head_started(request)`. Nothing starts when none of the module's tests using that
fixture is selected (`-m`, `-k`, a single test of another module).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType

import pytest
import workers
from external_support import ExternalRun, PlannedRun, SideBySide, finished_elsewhere

#: the module attribute naming the runs to start early
ATTRIBUTE = "HEAD_START"
#: the fixture the module's tests read the runs from
FIXTURE = "runs"
#: the tiers that only compute, run first so the runs have their wall-clock minutes
COMPUTE_ONLY = ("unit", "scenarios")
#: a module elsewhere that only computes (simulated time, no wall-clock judgement) joins
#: them by setting this attribute true: the judged runs take nine minutes at 200x
#: (`external_support.JUDGED_SPEED`) and the two tiers about five, so the e2e modules
#: that only run scenarios in simulated time join them, and the head-started modules'
#: fixtures do not wait for their runs
COMPUTES_ONLY = "COMPUTES_ONLY"
#: how long a worker waits for runs another worker started (the judged set takes nine
#: minutes, tests/external_support.py), and the worker that started them for them to end
#: before it stops them at the session's end
JUDGE_WAIT_S = 1500.0
#: how much lower than the runs the session's own work is scheduled once they started:
#: at 10, the kernel weighs a runnable run's claim about ten times a test's
BEHIND_RUNS = 10


class _Started:
    """One module's runs: the side-by-side set and the folder it writes in, a folder
    every worker sees when the session has pytest-xdist's workers (tests/workers.py)."""

    def __init__(self, config: pytest.Config, name: str, plans: Mapping[str, PlannedRun]) -> None:
        shared = workers.shared_folder(config, name)
        self.shared = shared is not None
        self.folder = shared or Path(tempfile.mkdtemp(prefix="retailtwin-head-start-"))
        self.runs = SideBySide(self.folder, plans, record_exits=self.shared)

    def close(self, interrupted: bool = False) -> None:
        """Stop the runs and their hubs. A shared set is first let finish (another
        worker may be judging it, unless the session was interrupted), and its folder
        is left for the controller to remove once no worker reads it."""
        if self.shared and not interrupted:
            self.runs.wait(JUDGE_WAIT_S)
        self.runs.close()
        if not self.shared:
            shutil.rmtree(self.folder, ignore_errors=True)


_STARTED = pytest.StashKey[dict[str, _Started]]()


def _module_of(item: pytest.Item) -> ModuleType | None:
    module = getattr(item, "module", None)
    if module is None or not hasattr(module, ATTRIBUTE):
        return None
    if FIXTURE not in getattr(item, "fixturenames", ()):
        return None
    return module


def _tier(item: pytest.Item, tests_root: Path) -> int:
    """0 for the tiers that only compute, 1 for the modules elsewhere that only compute,
    2 for a head-started module, 3 for the rest."""
    try:
        tier = item.path.relative_to(tests_root).parts[0]
    except ValueError:
        return 3
    if tier in COMPUTE_ONLY:
        return 0
    if getattr(getattr(item, "module", None), COMPUTES_ONLY, False):
        return 1
    return 2 if _module_of(item) is not None else 3


def order(items: list[pytest.Item], tests_root: Path) -> None:
    """Put the compute-only tiers first, then the compute-only modules
    (`COMPUTES_ONLY`), and the head-started modules right after them; every other test
    keeps its place relative to the rest (a stable sort)."""
    items.sort(key=lambda item: _tier(item, tests_root))


def start(session: pytest.Session, items: Iterable[pytest.Item]) -> None:
    """Start the runs of every module among `items` that has a head start (none when
    the session only lists its tests, `--collect-only`), in the one process that starts
    them (`workers.starts_runs`); every process of the session then steps behind them."""
    if session.config.option.collectonly:
        return
    started = session.config.stash.setdefault(_STARTED, {})
    wanted = {module.__name__: module for module in map(_module_of, items) if module}
    if workers.starts_runs(session.config):
        for name, module in wanted.items():
            if name not in started:
                started[name] = _Started(session.config, name, getattr(module, ATTRIBUTE))
    if wanted:
        os.nice(BEHIND_RUNS)


def head_started(request: pytest.FixtureRequest) -> dict[str, ExternalRun]:
    """The module's runs, finished: started at collection (`start`), here or in the
    worker that starts them, or now when they were not (the module imported some other
    way)."""
    config = request.config
    started = config.stash.setdefault(_STARTED, {})
    module = request.module
    plans: Mapping[str, PlannedRun] = getattr(module, ATTRIBUTE)
    if module.__name__ not in started and not workers.starts_runs(config):
        folder = workers.shared_folder(config, module.__name__)
        assert folder is not None
        return finished_elsewhere(folder, plans, JUDGE_WAIT_S)
    if module.__name__ not in started:
        started[module.__name__] = _Started(config, module.__name__, plans)
    runs = started[module.__name__]
    request.addfinalizer(lambda: close(config, module.__name__))
    return runs.runs.finish()


def close(config: pytest.Config, name: str | None = None, interrupted: bool = False) -> None:
    """Stop one module's runs and hubs (`name`), or every module's (the session's end,
    a failure or Ctrl-C on the way: `interrupted`, when no other worker will judge them)."""
    started = config.stash.get(_STARTED, {})
    for key in [name] if name is not None else list(started):
        if key in started:
            started.pop(key).close(interrupted)
