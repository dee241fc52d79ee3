"""Fixtures every tier shares: the PostgreSQL server (tests/postgres_support.py) and a
fresh read model database on SQLite or PostgreSQL.

A test that uses the server is marked `postgres` here, whatever its file says, so
`-m "not postgres"` leaves out exactly the tests that would start a cluster.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from compiled_build import CHOICE_VARIABLE, Build

sys.path.insert(0, str(Path(__file__).parent))
# the suite tests the sources, as CI does, even where `make compile` has built them; set
# before any project import, and inherited by every process a test starts
os.environ.setdefault(CHOICE_VARIABLE, Build.SOURCES.name)
import gateway_install
import head_start
import workers
from postgres_support import (
    DATABASES,
    Cluster,
    PostgresUnavailable,
    server_version,
    start_cluster,
    stop_cluster,
)
from prometheus_support import SERVERS as PROMETHEUS_SERVERS

from hub.adapters.read_model import sqlite_url

# No wall-clock deadline on a generated example: the suite runs on shared, noisy
# machines (speed is measured by `make bench`, never asserted in tests), and
# Hypothesis's default of 200 ms an example failed a histogram property under load.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

#: the server the session's postgres tests ran on, for the summary
_SERVER: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _own_state_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`retailtwin serve` keeps a live day under the user's state directory by default,
    and the same command resumes it: the session's servers get a directory of their
    own, so no test resumes a day an earlier session left behind."""
    import os

    before = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state-home"))
    yield
    if before is None:
        del os.environ["XDG_STATE_HOME"]
    else:
        os.environ["XDG_STATE_HOME"] = before


def pytest_configure(config: pytest.Config) -> None:
    workers.configure(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    workers.unconfigure(config)


# first: the node ids (unique, and a group's suffix for `--dist loadgroup`,
# tests/workers.py) are set before any other plugin reads them
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
    head_start.order(items, Path(__file__).parent)
    workers.unique_node_ids(items)
    workers.group_shared_fixtures(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The selected tests are known (`-m` and `-k` applied): start the wall-clock runs
    of the modules that want a head start (tests/head_start.py), then, behind them, the
    gateway's install when a test needs it (tests/gateway_install.py)."""
    head_start.start(session, session.items)
    gateway_install.start(session, session.items)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that needs the gateway waits for its install (tests/gateway_install.py)."""
    gateway_install.wait(item)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    head_start.close(session.config, interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A line saying the PostgreSQL tests ran, and on what, and one for the Prometheus
    tests, so a CI log shows they were not left out."""
    for marker, servers in (("postgres", _SERVER), ("prometheus", PROMETHEUS_SERVERS)):
        counts = {
            outcome: sum(
                1
                for report in terminalreporter.stats.get(outcome, [])
                # a collection error's report has no keywords: it ran no marked test
                if marker in getattr(report, "keywords", ())
                and (outcome == "error" or getattr(report, "when", "call") == "call")
            )
            for outcome in ("passed", "failed", "error")
        }
        if any(counts.values()):
            terminalreporter.write_line(
                f"{marker}: ran {sum(counts.values())} tests (passed {counts['passed']}, "
                f"failed {counts['failed']}, errors {counts['error']})"
                + (f" on {servers[0]}" if servers else "")
            )


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One PostgreSQL cluster for the whole session, stopped at its end (on a failure
    or Ctrl-C too). If it cannot start, every test that needs it fails with the reason."""
    try:
        cluster = start_cluster()
    except PostgresUnavailable as exc:
        reason = str(exc)
    else:
        reason = ""
    if reason:
        _SERVER.append("no server: it could not be started")
        pytest.fail(reason, pytrace=False)
    _SERVER.append(server_version(cluster))
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for a read model: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "read_model.sqlite")
        return
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    with cluster.database() as url:
        yield url
