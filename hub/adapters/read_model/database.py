"""The read model over one SQLAlchemy database: what a live twin writes and `serve`
reads (the package's docstring says what the read model is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.adapters.read_model.companies import CompanyQueries, CompanyStore
from hub.adapters.read_model.pragmas import sqlite_pragmas
from hub.adapters.read_model.reads import ReadEngine, Reads
from hub.adapters.read_model.store import ReadModelStore, open_engine
from hub.adapters.read_model.writes import timeline_rows


class ReadModel(CompanyStore, CompanyQueries):
    """Writes and queries over one database: writes through `engine`, reads through
    `reads` (reads.py)."""

    def __init__(self, engine: AsyncEngine, reads: Reads | None = None) -> None:
        ReadModelStore.__init__(self, engine)
        self.reads = reads if reads is not None else Reads(ReadEngine(engine, sqlite_pragmas))

    @classmethod
    def open(cls, url: str, write_once: bool = False) -> ReadModel:
        """`write_once`: a SQLite file written whole before any reader sees it
        (`store.write_once_pragmas`), handed over with `hand_to_readers`."""
        return cls(open_engine(url, write_once))

    def for_request(self) -> ReadModel:
        """This read model with reads of its own, for one request: pinned to one
        connection while the request executes (`reads.pin()` ... `reads.unpin()`)."""
        scoped = ReadModel(self.engine, self.reads.scope())
        scoped.gaps = self.gaps
        return scoped

    @property
    def reading_engine(self) -> Engine:
        """The engine whose pool hands out the reading connections (for pool and
        statement events)."""
        return self.reads.engine.pool_engine

    async def dispose(self) -> None:
        await self.reads.engine.dispose()
        await ReadModelStore.dispose(self)

    async def append_timeline_fields(self, values: list[Any]) -> None:
        """`append_timeline` of the rows `values` holds flat (`ReadModelWrites`)."""
        await self.append_timeline(timeline_rows(values))

    @classmethod
    async def check(cls, url: str) -> None:
        """Open `url` and connect once; ReadModelUnavailable says why not (an unknown
        dialect, a missing or synchronous driver, a server that does not answer)."""
        try:
            engine = open_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise ReadModelUnavailable(f"cannot use it: {_first_line(exc)}") from None
        folder = _missing_sqlite_folder(url)
        if folder is not None:
            # said before connecting: aiosqlite's worker thread, after a failed connect,
            # may report to an event loop already closed and print a traceback
            await engine.dispose()
            raise ReadModelUnavailable(f"cannot connect: no folder {folder} for the database")
        try:
            async with engine.connect():
                pass
        except (SQLAlchemyError, OSError) as exc:
            raise ReadModelUnavailable(f"cannot connect: {_first_line(exc)}") from None
        finally:
            await engine.dispose()


def _missing_sqlite_folder(url: str) -> str | None:
    """The folder a SQLite database file would be in, if it does not exist."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        return None  # a SQLite URI: let SQLite read it
    folder = Path(database).parent
    return None if folder.is_dir() else str(folder)


def _first_line(error: Exception) -> str:
    """SQLAlchemy appends a line pointing at its documentation; the first says it all."""
    return str(error).splitlines()[0].rstrip(".")


def shown_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return url


class ReadModelUnavailable(RuntimeError):
    """A read model URL that cannot be used; the message says why."""
