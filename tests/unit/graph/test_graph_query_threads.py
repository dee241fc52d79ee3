"""Queries off the server's loop (graph/query_threads.py): where work runs, how many
requests run at once, what waits, and what stays on the server's loop."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from graph.operation_kind import executes_off_loop
from graph.query_threads import QueryThreads, worker_read_model
from graph.shared_buckets import SharedBuckets
from hub.adapters.read_model import ReadModel, sqlite_url


def _read_model(tmp_path: Path) -> ReadModel:
    return ReadModel.open(sqlite_url(tmp_path / "read_model.sqlite"))


def test_work_runs_on_a_worker_with_the_workers_read_model(tmp_path: Path) -> None:
    read_model = _read_model(tmp_path)
    server_thread = threading.current_thread().name

    async def where() -> tuple[str, ReadModel | None, str]:
        async def back() -> str:
            return threading.current_thread().name

        threads_model = worker_read_model()
        # a worker hands work back to the server's loop (as it does a mutation)
        handed_back = await threads.on_server_loop(back)
        return threading.current_thread().name, threads_model, handed_back

    async def main() -> tuple[str, ReadModel | None, str]:
        threads.start()
        try:
            return await threads.run(where)
        finally:
            await threads.stop()

    threads = QueryThreads(read_model, count=2)
    name, seen, handed_back = asyncio.run(main())
    assert name.startswith("graphql-") and name != server_thread
    assert seen is not None and seen is not read_model
    # a SQLite file's engine is thread-safe: the workers share the server's, and read
    # in their own thread
    assert seen.reads.engine.sync is read_model.reads.engine.sync is not None
    assert seen.reads.engine.inline and not read_model.reads.engine.inline
    assert handed_back == server_thread
    assert worker_read_model() is None  # not on a worker here
    asyncio.run(read_model.dispose())


def test_requests_past_the_workers_wait_their_turn_and_all_run(tmp_path: Path) -> None:
    read_model = _read_model(tmp_path)
    threads = QueryThreads(read_model, count=2)
    running = 0
    most = 0
    started: list[int] = []
    lock = threading.Lock()

    def job(number: int) -> Callable[[], Awaitable[int]]:
        async def work() -> int:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
                started.append(number)
            await asyncio.sleep(0.02)
            with lock:
                running -= 1
            return number

        return work

    async def main() -> list[int]:
        threads.start()
        try:
            jobs = [threads.run(job(n)) for n in range(7)]
            return list(await asyncio.gather(*jobs))
        finally:
            await threads.stop()

    assert asyncio.run(main()) == list(range(7))
    assert most == 2  # never more at once than there are workers
    # the first to arrive run first (the two workers start them in either order)
    assert sorted(started[:2]) == [0, 1] and sorted(started) == list(range(7))
    asyncio.run(read_model.dispose())


def test_without_workers_work_runs_on_the_servers_loop(tmp_path: Path) -> None:
    """An app whose lifespan never ran, or a read model on an in-memory database,
    whose one connection cannot leave the server's loop."""
    in_memory = ReadModel.open("sqlite+aiosqlite:///:memory:")

    async def name() -> str:
        return threading.current_thread().name

    async def main(threads: QueryThreads, start: bool) -> tuple[bool, str]:
        if start:
            threads.start()
        try:
            return threads.running, await threads.run(name)
        finally:
            await threads.stop()

    here = threading.current_thread().name
    assert asyncio.run(main(QueryThreads(in_memory), start=True)) == (False, here)
    assert asyncio.run(main(QueryThreads(_read_model(tmp_path)), start=False)) == (False, here)
    asyncio.run(in_memory.dispose())


def test_the_switch_interval_is_short_while_workers_run(tmp_path: Path) -> None:
    read_model = _read_model(tmp_path)
    before = sys.getswitchinterval()
    seen: list[float] = []

    async def main() -> None:
        threads = QueryThreads(read_model)
        threads.start()
        seen.append(sys.getswitchinterval())
        await threads.stop()

    asyncio.run(main())
    assert seen[0] == min(0.001, before)
    assert sys.getswitchinterval() == before
    asyncio.run(read_model.dispose())


def test_overlapping_servers_put_the_switch_interval_back(tmp_path: Path) -> None:
    """Two apps whose lifetimes overlap (A starts, B starts, A stops, B stops): the
    process's interval is short until the last stops, then what it was."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = _read_model(tmp_path / "a"), _read_model(tmp_path / "b")
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.004)
    seen: list[float] = []

    async def main() -> None:
        a, b = QueryThreads(first), QueryThreads(second)
        a.start()
        b.start()
        await a.stop()
        seen.append(sys.getswitchinterval())
        await b.stop()

    try:
        asyncio.run(main())
        assert seen == [0.001]
        assert sys.getswitchinterval() == 0.004
    finally:
        sys.setswitchinterval(before)
        asyncio.run(first.dispose())
        asyncio.run(second.dispose())


@pytest.mark.parametrize(
    ("document", "name", "off_loop"),
    [
        ("{ orders { totalCount } }", None, True),
        ("query Q { orders { totalCount } }", "Q", True),
        ("mutation { createOrder { id } }", None, False),
        ("subscription { orderChanged { id } }", None, False),
        ("query Q { a } mutation M { b }", "M", False),
        ("query Q { a } mutation M { b }", "Q", True),
        # refused before execution, wherever it runs: where it is
        ("query Q { a } mutation M { b }", None, True),
        ("{ orders(", None, True),
        ("", None, True),
    ],
)
def test_queries_run_off_the_loop_and_mutations_on_it(
    document: str, name: str | None, off_loop: bool
) -> None:
    assert executes_off_loop(document, name, 2000) is off_loop


def test_a_document_past_the_token_limit_is_left_to_strawberry_to_refuse() -> None:
    long = "mutation { " + " ".join(f"a{n}: b" for n in range(400)) + " }"
    assert executes_off_loop(long, None, 2000) is False
    assert executes_off_loop(long, None, 100) is True  # never parsed past 100 tokens


def test_bucket_levels_change_under_a_lock() -> None:
    """Each step reads the clock with the lock held: two threads never interleave
    reading a level and writing it back."""
    held: list[bool] = []

    def clock() -> float:
        held.append(buckets._lock.locked())
        return 0.0

    buckets = SharedBuckets(100, 1, clock)
    buckets.take("a", 10)
    buckets.give_back("a", 5)
    buckets.status("a")
    assert held and all(held)
