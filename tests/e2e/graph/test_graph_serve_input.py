"""`retailtwin serve` with options it cannot use: exit 2 and a message naming the
option and what was expected, never a traceback, and nothing served."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--database-url", "foo://x"], "--database-url foo://x: cannot use it"),
        (["--database-url", "sqlite:///x.db"], "not async"),
        (
            ["--database-url", "sqlite+aiosqlite:////no/such/folder/x.db"],
            "cannot connect: no folder /no/such/folder for the database",
        ),
        (
            ["--database-url", "postgresql+nosuchdriver://u:secret@127.0.0.1:1/db"],
            "postgresql+nosuchdriver://u:***@127.0.0.1:1/db",
        ),
        (
            ["--database-url", "mysql+aiomysql://u:secret@127.0.0.1:1/db"],
            "cannot use it: the read model runs on SQLite and PostgreSQL, not mysql",
        ),
        (
            ["--database-url", "postgresql+asyncpg://u:secret@127.0.0.1:1/db"],
            "postgresql+asyncpg://u:***@127.0.0.1:1/db: cannot connect",
        ),
        (["--start-at", "30h"], "--start-at 30h: expected a time before steady-day's day"),
        (["--start-at", "soon"], "--start-at: expected a duration"),
        (["--cors-origin", "example.com"], "CORS origin 'example.com': expected scheme://"),
        (["--state", "/proc/no/day"], "--state /proc/no/day: cannot make the folder"),
        (["--state", "nosuch://x"], "--state nosuch://x: cannot open the state store"),
        (
            ["--state", "postgresql+asyncpg://u:secret@127.0.0.1:1/db"],
            "--state postgresql+asyncpg://u:***@127.0.0.1:1/db: cannot open the state store",
        ),
    ],
)
def test_unusable_serve_options_exit_2_with_a_message(args: list[str], message: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    done = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "serve", *args, "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "secret" not in done.stderr
    assert "serving" not in done.stdout
