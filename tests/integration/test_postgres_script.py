"""scripts/postgres.sh and the fixture over it: a cluster that starts, serves a command
and is gone afterwards; a server that cannot be had fails the tests that need it,
saying why, and skips nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from postgres_support import ROOT, SCRIPT, PostgresUnavailable, start_cluster


def _script(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.postgres
def test_run_gives_the_command_a_database_and_deletes_the_cluster_after() -> None:
    done = _script(
        "run",
        "--",
        "sh",
        "-c",
        'echo "$PGDIR"; case "$DATABASE_URL" in postgresql+asyncpg://*@127.0.0.1:*) exit 3;; esac',
    )
    assert done.returncode == 3, done.stderr  # the command's own status
    folder = Path(done.stdout.strip())
    assert folder.name.startswith("retailtwin-pg.") and not folder.exists()


def test_a_server_that_cannot_be_had_is_said_why(monkeypatch: pytest.MonkeyPatch) -> None:
    done = _script("start", PG_BINDIR="/no/such/bin")
    assert done.returncode == 1
    assert "PG_BINDIR=/no/such/bin has no initdb, pg_ctl and postgres" in done.stderr
    monkeypatch.setenv("PG_BINDIR", "/no/such/bin")
    monkeypatch.delenv("RETAILTWIN_TEST_POSTGRES_URL", raising=False)
    with pytest.raises(PostgresUnavailable, match="PG_BINDIR=/no/such/bin has no initdb"):
        start_cluster()


def test_tests_that_need_postgresql_fail_when_it_cannot_start() -> None:
    """Never a silent skip: the session's fixture fails each test that needs the server,
    with the script's reason, and the run fails."""
    env = {k: v for k, v in os.environ.items() if k != "RETAILTWIN_TEST_POSTGRES_URL"}
    target = (
        "tests/e2e/graph/test_graph_postgres.py::test_a_wrong_password_is_refused_before_serving"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", target, "-k", "password"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**env, "PG_BINDIR": "/no/such/bin"},
    )
    assert done.returncode == 1, done.stdout
    assert "1 error" in done.stdout and "skipped" not in done.stdout, done.stdout
    assert "could not start PostgreSQL for the tests" in done.stdout
    assert "PG_BINDIR=/no/such/bin has no initdb" in done.stdout


def test_stop_deletes_only_what_the_script_made(tmp_path: Path) -> None:
    assert _script("stop", str(tmp_path / "gone")).returncode == 0  # stopped already
    done = _script("stop", str(tmp_path))
    assert done.returncode == 1 and "not a cluster this script started" in done.stderr
    assert tmp_path.exists()
