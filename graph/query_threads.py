"""`QueryThreads`: GraphQL queries run on threads of their own, off the server's loop.

A page of 80 orders with everything about each resolves in thousands of small task
steps. On the server's event loop they filled each turn of the loop, and the loop reads
a new request, answers /healthz, steps a live twin's simulation and projects it only
between turns: while one client looped such a query, /healthz took 0.2-0.5 s at p95
(tests/e2e/graph/test_graph_stall.py). So a query executes on a worker thread running
an event loop of its own, and the server's loop only reads the request and writes the
response; the interpreter's switch interval, not the query's size, then bounds how long
the server's loop waits for its turn.

- `count` workers, each running one request at a time: a request arriving while all
  are busy waits for the first to come free, in order of arrival (never refused, never
  lost). A worker that waits on the database lets the others run.
- Each worker reads through a read model of its own (`ReadEngine.for_thread`): on a
  SQLite file the server's engine, read right in the worker's thread (its loop serves
  one request, which waits for its reads anyway), on PostgreSQL an engine whose
  connections belong to the worker's loop.
- What belongs to the server's loop stays there: mutations (the live twin acts on its
  loop; idempotency keys lock there) are handed back to it (`on_server_loop`), and
  subscriptions never leave it (graph/http.py).
- Started and stopped with the app (graph/app.py). A server over an in-memory SQLite
  database, whose one connection cannot be shared, runs its queries on its loop as
  before; so does an app whose lifespan never ran.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import Engine

from graph.settings import QUERY_THREADS
from hub.adapters.read_model import ReadModel
from hub.adapters.read_model.reads import Reads

T = TypeVar("T")


#: the interpreter's switch interval while workers run (its default is 5 ms). The
#: server's loop gives up the GIL at every wait for I/O, and each time waits up to one
#: interval to get it back from a busy worker; answering /healthz takes several such
#: waits. 1 ms keeps that short at the cost of more (cheap) switches.
SWITCH_INTERVAL_S = 0.001

_here = threading.local()


class _ShortSwitchInterval:
    """The process's switch interval, short while any `QueryThreads` runs. It is one
    setting for the whole process, and two servers (or a test's two apps) may overlap:
    the first to start keeps the interval it found, the last to stop puts it back, so
    an overlap never leaves the process at 1 ms."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._found = 0.0

    def acquire(self) -> None:
        with self._lock:
            if self._users == 0:
                self._found = sys.getswitchinterval()
                sys.setswitchinterval(min(SWITCH_INTERVAL_S, self._found))
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._found)


_SWITCH_INTERVAL = _ShortSwitchInterval()


class _Worker:
    """A thread running an event loop, and the read model its requests read through."""

    def __init__(self, name: str, read_model: ReadModel) -> None:
        self.read_model = read_model
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        _here.read_model = self.read_model
        try:
            self.loop.run_forever()
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        finally:
            self.loop.close()

    async def run(self, work: Awaitable[T]) -> T:
        future = asyncio.run_coroutine_threadsafe(_awaiting(work), self.loop)
        return await asyncio.wrap_future(future)

    async def stop(self) -> None:
        # its connections (on PostgreSQL) belong to this worker's loop: closed there
        await self.run(self.read_model.reads.engine.dispose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        await asyncio.to_thread(self.thread.join)


async def _awaiting(work: Awaitable[T]) -> T:
    return await work


class QueryThreads:
    def __init__(self, read_model: ReadModel, count: int = QUERY_THREADS) -> None:
        self.read_model = read_model
        self.count = count
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None
        self._server_loop: asyncio.AbstractEventLoop | None = None
        self._short_switches = False

    @property
    def running(self) -> bool:
        return bool(self._workers)

    def reading_engines(self) -> list[Engine]:
        """Every engine whose pool hands out reading connections: the server's, and
        each worker's own (on PostgreSQL), for pool and statement events."""
        engines = [self.read_model.reading_engine]
        for worker in self._workers:
            if worker.read_model.reading_engine not in engines:
                engines.append(worker.read_model.reading_engine)
        return engines

    def start(self) -> None:
        """Start the workers (from the server's loop). None for a read model whose
        reads cannot leave the server's loop."""
        if self._workers or self.count < 1:
            return
        first = _for_thread(self.read_model)
        if first is None:
            return
        self._server_loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for number in range(self.count):
            read_model = first if number == 0 else _for_thread(self.read_model)
            assert read_model is not None
            worker = _Worker(f"graphql-{number}", read_model)
            self._workers.append(worker)
            self._idle.put_nowait(worker)
        _SWITCH_INTERVAL.acquire()
        self._short_switches = True

    async def stop(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            await worker.stop()
        if self._short_switches:
            _SWITCH_INTERVAL.release()
            self._short_switches = False

    async def run(self, work: Callable[[], Awaitable[T]]) -> T:
        """`work()` on the first worker free (from the server's loop); on the server's
        loop itself when no worker runs."""
        if not self._workers or self._idle is None:
            return await work()
        worker = await self._idle.get()
        try:
            return await worker.run(work())
        finally:
            self._idle.put_nowait(worker)

    async def on_server_loop(self, work: Callable[[], Awaitable[T]]) -> T:
        """`work()` on the server's loop, awaited from a worker (or run right there)."""
        loop = self._server_loop
        if loop is None or worker_read_model() is None:
            return await work()
        future = asyncio.run_coroutine_threadsafe(_awaiting(work()), loop)
        return await asyncio.wrap_future(future)


def _for_thread(shared: ReadModel) -> ReadModel | None:
    """A view of `shared` for a worker: its writes' engine (which no query uses) and
    reads through `ReadEngine.for_thread`; None where reads cannot leave the loop."""
    engine = shared.reads.engine.for_thread()
    if engine is None:
        return None
    view = ReadModel(shared.engine, Reads(engine))
    view.gaps = shared.gaps  # what an older database lacks, probed before the workers start
    return view


def worker_read_model() -> ReadModel | None:
    """The read model of the worker this code runs on; None on any other thread."""
    read_model: ReadModel | None = getattr(_here, "read_model", None)
    return read_model
