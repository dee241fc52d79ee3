"""One finished run, projected the way `retailtwin run --out` projects it into each
database the read model is tested on, for tests that compare what each database
answers with each other and with the hub.

The run is graph_support's (half-size steady-day over twelve hours), made once more
here because its timeline is handed over to the first projection that drains it: this
module keeps a copy, so the same run's timeline goes into every database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from graph_support import OVERRIDES, SCENARIO
from sqlalchemy import select

from hub.adapters.read_model import ReadModel, tables
from hub.adapters.read_model.records import TimelineRow
from scenarios.checking.verdict import Verdict, judge
from scenarios.reports.read_model import write_finished_run
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FinishedRun:
    result: RunResult
    verdict: Verdict
    observer: TimelineRecorder
    timeline: tuple[TimelineRow, ...]

    def write(self, url: str) -> None:
        """Project the whole run into the database at `url` (created empty)."""
        self.observer.entries = list(self.timeline)
        asyncio.run(
            write_finished_run(self.result, self.verdict, self.observer, ReadModel.open(url))
        )


@dataclass(frozen=True, slots=True)
class Projected:
    """A finished run and the database it was projected into."""

    run: FinishedRun
    url: str
    #: sqlite or postgresql
    database: str


@cache
def finished_run() -> FinishedRun:
    scenario = load_scenario(SCENARIO, OVERRIDES)
    observer = TimelineRecorder()
    result = run(scenario, observer=observer)
    verdict = judge(result, SCENARIO, OVERRIDES)
    return FinishedRun(result, verdict, observer, tuple(observer.entries))


def read(url: str, call: Callable[[ReadModel], Awaitable[T]]) -> T:
    """`call` on a read model opened over `url`, disposed of afterwards."""

    async def go() -> T:
        read_model = ReadModel.open(url)
        try:
            return await call(read_model)
        finally:
            await read_model.dispose()

    return asyncio.run(go())


async def table_rows(read_model: ReadModel) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted: two databases hold the same data when these are equal."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with read_model.engine.connect() as conn:
        for table in tables.metadata.sorted_tables:
            rows = await conn.execute(select(table))
            found[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return found
