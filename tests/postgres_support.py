"""A PostgreSQL server for the tests: one throwaway cluster per test session, started
by the project's own script (scripts/postgres.sh, which installs Debian's server when
it is missing), and a fresh database in it for each test that asks for one.

A test that needs PostgreSQL fails when the cluster cannot be had, with the script's
reason (no apt-get, no root, apt's own error): PostgreSQL is part of what `make test`
checks, so it is never skipped. `RETAILTWIN_TEST_POSTGRES_URL` points the tests at a
server of your own instead (an async URL whose user may create databases).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "postgres.sh"
OWN_SERVER = "RETAILTWIN_TEST_POSTGRES_URL"

_names = itertools.count(1)

#: the databases the read model is tested on, as parameters (and test ids)
DATABASES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server for the tests; the message says why."""


class Cluster:
    """A server to test against, and the databases the tests have had from it. A
    database a test is done with is emptied (a new `public` schema, in milliseconds)
    and handed to the next test that asks, since creating one costs half a second."""

    def __init__(self, url: str, folder: Path | None) -> None:
        #: a database on the server whose user may create others
        self.url = url
        #: the throwaway cluster's folder (None for a server of your own)
        self.folder = folder
        self._free: list[str] = []
        self._made: list[str] = []

    @contextmanager
    def database(self, prefix: str = "test") -> Iterator[str]:
        """An empty database for the duration of the block; its URL."""
        url = self._free.pop() if self._free else self._create(prefix)
        try:
            yield url
        finally:
            try:
                asyncio.run(_admin(url, "SET lock_timeout = '10s'", *_EMPTY))
            except SQLAlchemyError:
                pass  # still in use (a test left a connection open): not reused
            else:
                self._free.append(url)

    def drop_databases(self) -> None:
        for url in self._made:
            name = make_url(url).database
            asyncio.run(_admin(self.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._made.clear()
        self._free.clear()

    def _create(self, prefix: str) -> str:
        name = f"retailtwin_{prefix}_{os.getpid()}_{next(_names)}"
        asyncio.run(_admin(self.url, f'CREATE DATABASE "{name}"'))
        url = make_url(self.url).set(database=name).render_as_string(hide_password=False)
        self._made.append(url)
        return url


#: what empties a database: its tables, indexes and types all live in `public`
_EMPTY = ("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")


def start_cluster() -> Cluster:
    """A server to test against: yours if RETAILTWIN_TEST_POSTGRES_URL says so, else a
    throwaway cluster the script starts (and stops by itself should this process die
    without stopping it)."""
    own = os.environ.get(OWN_SERVER)
    if own:
        return Cluster(own, None)
    try:
        done = subprocess.run(
            ["bash", str(SCRIPT), "start", "--watch", str(os.getpid())],
            capture_output=True,
            text=True,
            timeout=1200,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise PostgresUnavailable(f"{SCRIPT} start took over 20 minutes") from None
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    if done.returncode != 0 or "DATABASE_URL" not in values:
        raise PostgresUnavailable(
            f"{SCRIPT} could not start PostgreSQL for the tests (exit {done.returncode}):\n"
            f"{done.stderr.strip()}"
        )
    return Cluster(values["DATABASE_URL"], Path(values["PGDIR"]))


def stop_cluster(cluster: Cluster) -> None:
    """Stop and delete a throwaway cluster; on a server of your own, drop the databases
    the tests made."""
    if cluster.folder is None:
        cluster.drop_databases()
        return
    subprocess.run(
        ["bash", str(SCRIPT), "stop", str(cluster.folder)],
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def server_version(cluster: Cluster) -> str:
    """What the server is and where, for the session's summary."""

    async def ask() -> str:
        engine = create_async_engine(cluster.url)
        try:
            async with engine.connect() as conn:
                version = (await conn.execute(text("SHOW server_version"))).scalar_one()
        finally:
            await engine.dispose()
        url = make_url(cluster.url)
        where = "a throwaway cluster" if cluster.folder else "your server"
        return f"PostgreSQL {version} at {url.host}:{url.port} ({where})"

    return asyncio.run(ask())


async def _admin(url: str, *statements: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()
