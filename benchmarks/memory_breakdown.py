"""Where a run's memory is when its day ends: live Python allocations grouped by the
file (or line) that made them, before the checker reads anything.

Why: issue 18 wants memory bounded by what is in flight, and the peak RSS alone says
nothing about what to write out next. `tracemalloc` names the code that allocated each
block still alive; a run's state is nearly all records made as the day goes, so the
file that made a record is the system that keeps it. Tracing slows a run about
threefold, so measure at a reduced scale first (the shares hold from 0.25 to 1 within a
few points) and confirm at full scale.

    python -m benchmarks.memory_breakdown black-friday --set scenario.scale=0.25
    python -m benchmarks.memory_breakdown black-friday --by lineno --top 40
"""

from __future__ import annotations

import argparse
import resource
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

MIB = 2**20
#: paths are shown from the checkout's root
ROOT = str(Path(__file__).resolve().parent.parent) + "/"


class Grouping(StrEnum):
    """How `tracemalloc` groups blocks: by the file that allocated them, or the line."""

    FILE = "filename"
    LINE = "lineno"


@dataclass(frozen=True, slots=True)
class Share:
    """Live memory allocated at one place: bytes, blocks, where."""

    size: int
    count: int
    where: str


def breakdown(snapshot: tracemalloc.Snapshot, by: Grouping) -> list[Share]:
    """Every place's live memory, largest first."""
    shares = []
    for stat in snapshot.statistics(by.value):
        frame = stat.traceback[0]
        where = frame.filename.removeprefix(ROOT)
        if by is Grouping.LINE:
            where = f"{where}:{frame.lineno}"
        shares.append(Share(stat.size, stat.count, where))
    return shares


def report(shares: Sequence[Share], top: int) -> list[str]:
    """The `top` largest places, each with its share of the whole."""
    total = sum(share.size for share in shares) or 1
    lines = [f"live Python allocations: {total / MIB:.1f} MiB"]
    lines += [
        f"{share.size / MIB:8.2f} MiB {100 * share.size / total:5.1f}% "
        f"{share.count:9,d} blocks  {share.where}"
        for share in shares[:top]
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="black-friday")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--by", type=Grouping, default=Grouping.FILE, choices=list(Grouping))
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    scenario = load_scenario(args.scenario, args.overrides)
    tracemalloc.start()
    result = run(scenario)
    snapshot = tracemalloc.take_snapshot()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for line in report(breakdown(snapshot, args.by), args.top):
        print(line)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"traced peak during the day {peak / MIB:.1f} MiB; peak RSS {max_rss:.0f} MiB "
        f"(tracing's own bookkeeping included); digest {result.seal.digest}"
    )


if __name__ == "__main__":
    main()
