"""How the read model's queries reach the database: few connections, few crossings.

A GraphQL request reads in waves (a page, then its lines and returns, then their SKUs),
each wave a few batch loads. Reading each load on a connection of its own, through
aiosqlite, made the database layer cost many times what SQLite itself does: a pool
checkout and a rollback per load, and for every statement four round trips to
aiosqlite's worker thread (open a cursor, execute, fetch, close). So:

- Every query is a plain function of a synchronous SQLAlchemy `Connection`, and the
  loads a wave asks for in the same turn of the event loop run together, as one job:
  on a SQLite file through the synchronous driver in a worker thread (the thread is
  crossed once per wave, not four times per statement), on PostgreSQL through
  asyncpg in `AsyncConnection.run_sync` (no thread; a round trip per statement, as
  before).
- A request's reads share one connection (`pin` when its execution starts, `unpin`
  when it ends), checked out once; reads outside a request (a subscription, /healthz)
  take one for each wave and give it back at once.
- Reading connections are in autocommit and the pool resets nothing when they come
  back: a read opens no transaction, so there is nothing to roll back. Each statement
  sees what is committed when it runs, as under READ COMMITTED.

Writes do not come here: they keep the async engine and a transaction each
(store.py).
"""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

T = TypeVar("T")
Read = Callable[[Connection], Any]

#: worker threads reading SQLite files: reads of one request run one job at a time, so a
#: few threads serve several requests at once without holding many connections
READ_THREADS = 4


def _sqlite_file(engine: AsyncEngine) -> bool:
    database = engine.url.database or ""
    return engine.dialect.name == "sqlite" and database not in ("", ":memory:")


class ReadEngine:
    """The connections reads use, shared by every `Reads` over one read model: a
    synchronous engine and a worker pool for a SQLite file, an autocommit async engine
    for PostgreSQL. (An in-memory SQLite database lives in its one connection, so its
    reads use the writes' engine.)"""

    def __init__(self, engine: AsyncEngine, on_connect: Callable[[Any, Any], None] | None) -> None:
        self.sync: Engine | None = None
        self.async_: AsyncEngine = engine
        self._owned: AsyncEngine | None = None
        self._threads: ThreadPoolExecutor | None = None
        #: requests on several threads (graph/query_threads.py) start the pool once
        self._threads_lock = threading.Lock()
        self._on_connect = on_connect
        #: read in the calling thread, blocking its loop (`for_thread`)
        self.inline = False
        #: whether `dispose` closes the engines (not for `for_thread`'s SQLite view)
        self._disposes = True
        if _sqlite_file(engine):
            self.sync = create_engine(
                engine.url.set(drivername="sqlite+pysqlite"),
                isolation_level="AUTOCOMMIT",
                skip_autocommit_rollback=True,
                pool_reset_on_return=None,
                # never wait for a connection in a worker thread: the requests holding
                # them need the threads to finish (connections past the pool's size are
                # closed when they come back)
                pool_size=2 * READ_THREADS,
                max_overflow=-1,
                # connections move between the worker threads; one job at a time uses one
                connect_args={"check_same_thread": False},
            )
            if on_connect is not None:
                event.listen(self.sync, "connect", on_connect)
        elif engine.dialect.name != "sqlite":
            self.async_ = self._owned = create_async_engine(
                engine.url,
                isolation_level="AUTOCOMMIT",
                skip_autocommit_rollback=True,
                pool_reset_on_return=None,
            )

    @property
    def pool_engine(self) -> Engine:
        """The synchronous engine whose pool hands out the reading connections (for
        pool events: a test counts checkouts through it)."""
        return self.sync if self.sync is not None else self.async_.sync_engine

    def threads(self) -> ThreadPoolExecutor:
        with self._threads_lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="read-model")
            return self._threads

    def for_thread(self) -> ReadEngine | None:
        """The engine a thread running an event loop of its own reads through, to be
        disposed on that loop. On a SQLite file, this one's synchronous engine read
        right in that thread: its loop serves one request, which waits for its reads
        anyway, and handing each wave to a worker pool and back cost two thread
        switches. On PostgreSQL, an engine of its own (asyncpg's connections belong to
        the loop that opened them). None for an in-memory SQLite database: it lives in
        the writes' one connection, on the server's loop."""
        if self.sync is not None:
            view = copy.copy(self)  # the same engine and pool
            view.inline, view._disposes = True, False
            return view
        if self._owned is None:
            return None
        return ReadEngine(self._owned, self._on_connect)

    async def dispose(self) -> None:
        if not self._disposes:
            return
        if self.sync is not None:
            self.sync.dispose()
        if self._owned is not None:
            await self._owned.dispose()
        with self._threads_lock:
            if self._threads is not None:
                self._threads.shutdown(wait=False)
                self._threads = None


class Reads:
    """One requester's reads: what a turn of the event loop asks for runs as one job,
    on the pinned connection while one is pinned."""

    def __init__(self, engine: ReadEngine) -> None:
        self.engine = engine
        self._pending: list[tuple[Read, asyncio.Future[Any]]] = []
        self._pending_loop: asyncio.AbstractEventLoop | None = None
        self._jobs: set[asyncio.Task[None]] = set()
        self._pins = 0
        self._sync: Connection | None = None
        self._async: AsyncConnection | None = None
        #: jobs on the pinned connection go one at a time (a connection runs one
        #: statement at a time); unpinned jobs each have a connection of their own
        self._lock: asyncio.Lock | None = None

    def scope(self) -> Reads:
        """A fresh `Reads` over the same connections, for one request."""
        return Reads(self.engine)

    async def run(self, read: Callable[[Connection], T]) -> T:
        """`read(connection)`, together with whatever else this turn asks for."""
        loop = asyncio.get_running_loop()
        if self._pending_loop is not loop:  # a new loop (tests run several): start afresh
            self._pending, self._pending_loop = [], loop
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append((read, future))
        if len(self._pending) == 1:
            loop.call_soon(self._flush)
        return await future

    def pin(self) -> None:
        """Keep one connection for the reads from now until `unpin`."""
        self._pins += 1
        if self._lock is None:
            self._lock = asyncio.Lock()

    async def unpin(self) -> None:
        """The request is over: give its connection back (nothing to roll back)."""
        self._pins -= 1
        if self._pins or self._lock is None:
            return
        async with self._lock:
            if self._sync is not None:
                self._sync.close()
                self._sync = None
            if self._async is not None:
                await self._async.close()
                self._async = None

    def _flush(self) -> None:
        jobs, self._pending = self._pending, []
        task = asyncio.ensure_future(self._run(jobs))
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    async def _run(self, jobs: list[tuple[Read, asyncio.Future[Any]]]) -> None:
        reads = [read for read, _ in jobs]
        try:
            if self._pins and self._lock is not None:
                async with self._lock:
                    outcomes = await self._cross(reads, pinned=True)
            else:
                outcomes = await self._cross(reads, pinned=False)
        except asyncio.CancelledError:  # the server is shutting down
            for _, future in jobs:
                future.cancel()
            raise
        except Exception as error:  # the connection itself failed: every read did
            for _, future in jobs:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), (ok, value) in zip(jobs, outcomes, strict=True):
            if future.done():  # its caller gave up waiting
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    async def _cross(self, reads: list[Read], pinned: bool) -> list[tuple[bool, Any]]:
        """Run `reads` on the database's side: in a worker thread, or in asyncpg."""
        if self.engine.sync is not None and self.engine.inline:
            return self._in_thread(self.engine.sync, reads, pinned)
        if self.engine.sync is not None:
            loop = asyncio.get_running_loop()
            work = partial(self._in_thread, self.engine.sync, reads, pinned)
            return await loop.run_in_executor(self.engine.threads(), work)
        if not pinned:
            async with self.engine.async_.connect() as connection:
                return await connection.run_sync(_each_of(reads))
        if self._async is None:
            self._async = await self.engine.async_.connect()
        return await self._async.run_sync(_each_of(reads))

    def _in_thread(self, engine: Engine, reads: list[Read], pinned: bool) -> list[tuple[bool, Any]]:
        if not pinned:
            with engine.connect() as connection:
                return _each(reads, connection)
        if self._sync is None:
            self._sync = engine.connect()
        return _each(reads, self._sync)


def _each(reads: list[Read], connection: Connection) -> list[tuple[bool, Any]]:
    """Each read's result or error: one failing read fails only its own load."""
    outcomes: list[tuple[bool, Any]] = []
    for read in reads:
        try:
            outcomes.append((True, read(connection)))
        except Exception as error:
            outcomes.append((False, error))
    return outcomes


def _each_of(reads: list[Read]) -> Callable[[Connection], list[tuple[bool, Any]]]:
    return lambda connection: _each(reads, connection)
