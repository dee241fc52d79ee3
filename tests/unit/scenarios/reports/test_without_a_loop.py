"""A finished run's new read model is written on no event loop
(`scenarios.reports.read_model.without_a_loop`): the projection's coroutines await
nothing but its hand-backs (`projector.hand_back`), which give an asyncio loop its
turn as `asyncio.sleep(0)` does, so the live twin's projection shares the API as
before; anything that needs a loop is refused, not run half-way."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path

import pytest

from scenarios.reports.read_model import NeedsALoop, without_a_loop
from scenarios.twin.projection import projector
from scenarios.twin.projection.projector import hand_back, in_turn

ROOT = Path(__file__).resolve().parents[4]


def test_a_coroutine_that_hands_back_runs_to_its_end_and_returns() -> None:
    async def counted() -> int:
        seen = 0
        for _ in range(3):
            await hand_back()
            seen += 1
        async for item in in_turn(range(1200)):
            seen += item
        return seen

    assert without_a_loop(counted()) == 3 + sum(range(1200))


class _Pending:
    """Awaited as an asyncio future is: it yields itself to the loop, which finishes it."""

    def __await__(self) -> Generator[_Pending, None, None]:
        yield self


def test_a_coroutine_awaiting_what_only_a_loop_finishes_is_refused_and_closed() -> None:
    closed = []

    async def waits() -> None:
        try:
            await _Pending()
        finally:
            closed.append(True)

    with pytest.raises(NeedsALoop, match="needs an event loop"):
        without_a_loop(waits())
    assert closed == [True]


def test_on_a_loop_the_projection_still_gives_other_tasks_their_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What `asyncio.sleep(0)` did between every ITEMS_BETWEEN_YIELDS items: the live
    twin's API is served while a peak is projected."""
    monkeypatch.setattr(projector, "ITEMS_BETWEEN_YIELDS", 2)
    ticks: list[int] = []
    seen_at: list[int] = []

    async def ticking() -> None:
        for tick in range(10):
            ticks.append(tick)
            await asyncio.sleep(0)

    async def projecting() -> None:
        async for _ in in_turn(range(6)):
            seen_at.append(len(ticks))

    async def both() -> None:
        await asyncio.gather(projecting(), ticking())

    asyncio.run(both())
    # the other task ran at each hand-back (after items 2 and 4), not only at the end
    assert seen_at[0] < seen_at[2] < seen_at[4]


def test_run_out_imports_no_asyncio_to_write_its_read_model(tmp_path: Path) -> None:
    """With the read model written in process, the whole of `run --out`'s writing is in
    the probed process: asyncio is never imported (about 12 ms of CPU)."""
    code = (
        "import sys\n"
        "from scenarios.cli.main import main\n"
        "args = ['run', 'steady-day', '--quiet', '--set', 'scenario.scale=0.02']\n"
        f"assert main([*args, '--out', {str(tmp_path / 'out')!r}]) == 0\n"
        "print('asyncio' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "RETAILTWIN_READ_MODEL_INLINE": "1"},
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert (tmp_path / "out" / "read_model.sqlite").is_file()
