"""How the session's tests spread over pytest-xdist's workers (`make test` runs two).

Why two: the suite ran in one process on a two-core machine, so outside the judged
wall-clock runs' nine minutes (tests/head_start.py) one core stood idle, and the suite
took 1,093 to 1,254 s on a quiet machine against a 20-minute budget (stop 57).

What must hold with two workers:
- every test has a node id of its own (`unique_node_ids`), the key xdist schedules by;
- a module whose tests share a fixture wider than one test (class, module or package
  scope: a compare run, a served twin) runs whole on one worker, so that fixture is
  built once, not once a worker (`group_shared_fixtures`, for `--dist loadgroup`); every
  other test goes wherever a worker is free;
- the order stays the one tests/head_start.py gives (`--no-loadscope-reorder`);
- the judged wall-clock runs start once, in the worker `STARTER`, and whichever worker
  judges them reads them from a folder the session's workers share (`shared_folder`),
  which the controller removes when every worker is done (`configure`, `unconfigure`).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

#: the worker that starts the judged wall-clock runs (the first; there is always one)
STARTER = "gw0"
#: the fixture scopes a test shares with its module's other tests
_SHARED_SCOPES = frozenset({"class", "module", "package"})


def worker_id(config: pytest.Config) -> str | None:
    """This process's pytest-xdist worker id (`gw0`, `gw1`, ...), or None when it runs
    the tests itself (no `-n`)."""
    workerinput = getattr(config, "workerinput", None)
    return None if workerinput is None else str(workerinput["workerid"])


def starts_runs(config: pytest.Config) -> bool:
    """Whether this process starts the head-started runs: the only process without
    xdist, the `STARTER` worker with it."""
    return worker_id(config) in (None, STARTER)


def _root(run_id: str) -> Path:
    return Path(tempfile.gettempdir()) / f"retailtwin-session-{run_id}"


def shared_folder(config: pytest.Config, name: str) -> Path | None:
    """A folder named `name` that every worker of this session sees, made if missing;
    None without xdist."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return None
    folder = _root(str(workerinput["testrunuid"])) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


def configure(config: pytest.Config) -> None:
    """On the controller, fix the session's run id before the workers start, so it
    knows the folder they share and can remove it (`unconfigure`)."""
    if _is_controller(config) and not getattr(config.option, "testrunuid", None):
        config.option.testrunuid = uuid.uuid4().hex


def unconfigure(config: pytest.Config) -> None:
    """On the controller, once every worker is done: remove the folder they shared."""
    run_id = getattr(config.option, "testrunuid", None)
    if _is_controller(config) and run_id:
        shutil.rmtree(_root(str(run_id)), ignore_errors=True)


def _rename(item: pytest.Item, node_id: str) -> None:
    """Give `item` the node id `node_id`. pytest 9 keeps a structured id (`_id`); pytest-
    xdist 3.8 still sets the older `_nodeid` to add a group, which pytest 9 no longer reads,
    so its `--dist loadgroup` groups nothing there: both are set here."""
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # pytest before 9
        item._nodeid = node_id
        return
    item._id = coerce_node_id(node_id)
    item._nodeid = node_id


def unique_node_ids(items: list[pytest.Item]) -> None:
    """Give each test that shares its node id with another an id ending in its own name.

    Why: schemathesis's tests (one per API operation) all carry their function's node id
    under pytest 9, their operation only in their name; pytest-xdist's scheduler keys
    tests by node id, so it ran one test of each such function and dropped the rest (62
    of 64, silently).
    """
    counts = Counter(item.nodeid for item in items)
    for item in items:
        if counts[item.nodeid] > 1:
            _rename(item, f"{item.nodeid.rsplit('::', 1)[0]}::{item.name}")


def _shares_a_fixture(item: pytest.Item) -> bool:
    # `_fixtureinfo` is pytest's own record of the fixtures a test function uses (not
    # public, but there since pytest 3); a test without it counts as sharing none
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definitions and definitions[-1].scope in _SHARED_SCOPES
        for definitions in info.name2fixturedefs.values()
    )


def group_shared_fixtures(items: Iterable[pytest.Item]) -> None:
    """Put each test that shares a fixture wider than itself in its module's group, and
    each test marked `xdist_group(NAME)` in NAME's, so `--dist loadgroup` sends a group's
    tests to one worker: the group is the node id's suffix after `@`, as pytest-xdist
    writes it (`_rename` says why it is written here)."""
    for item in items:
        names = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group")})
        if not names and _shares_a_fixture(item):
            names = [item.nodeid.split("::")[0]]
        if names:
            _rename(item, f"{item.nodeid}@{'_'.join(names)}")
