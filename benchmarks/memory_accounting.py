"""A run's resident memory by holder after every step: the kernel's mappings, glibc's
heap, Python's small-block allocator, SQLite and SimPy's queue; the step where it was
highest; and two runs' highest steps side by side, holder by holder.

Why: issue 18 measures peak RSS (`benchmarks.weekend_memory`, `ru_maxrss`), every page
the process touched and still holds, and `benchmarks.heap_census` counts Python objects.
Between the two are the allocators' kept memory, SQLite's page caches and the compiled
modules' code, and a weekend's peak may differ from black-friday's in any of them.
`benchmarks.memory_steps` reads the allocators at a few marks; this reads every holder
after each of the run's steps, then at the run's end and once judged, the way `retailtwin
run NAME --quiet` runs a scenario, writes them as CSV, and prints the highest step:

- `/proc/self/smaps`: resident bytes by mapping: glibc's heap (`[heap]`), anonymous
  mappings (the small-block allocator's 1 MiB arenas and glibc's blocks of 128 KiB or
  more, `scenarios/twin/heap_tuning.py`), this checkout's `.so`s (the compiled modules),
  other `.so`s (the interpreter, the C extensions), other files;
- glibc's `mallinfo2` and the small-block allocator (`benchmarks.allocator_stats`);
- `sqlite3_memory_used`, all SQLite holds (its page caches among it). The run turns
  SQLite's count off (`scenarios/twin/sqlite_tuning.py`) unless sqlite3 was imported
  first, which this module does (the count costs CPU, not memory);
- the length of SimPy's queue.

    python -m benchmarks.memory_accounting black-friday --csv /tmp/bf.csv
    python -m benchmarks.memory_accounting peak-weekend --csv /tmp/pw.csv
    python -m benchmarks.memory_accounting --diff /tmp/bf.csv /tmp/pw.csv

Reading smaps and the allocators costs some milliseconds a step; the run is the same
(its digest is printed).
"""

# sqlite3 before anything of the twin imports it: see the module's docstring
import sqlite3  # noqa: F401, I001  (first on purpose)

import argparse
import csv
import ctypes
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import simpy

from benchmarks.allocator_stats import c_heap, resident, small_blocks
from benchmarks.scenario_arguments import add_scenario_arguments, scenario_or_exit
from scenarios.checking.truth import gather
from scenarios.checking.verdict import judge
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.runtime import run

MIB = 2**20
HOUR_S = 3600.0
#: this checkout: its `.so`s are the compiled modules (`scripts/compile_mypyc.py`)
ROOT = str(Path(__file__).resolve().parent.parent) + "/"
_SMAPS = Path("/proc/self/smaps")
#: the columns of a row that are counts, not MiB
COUNTS = ("hour", "arenas", "simpy queue")


def mapping_kind(path: str) -> str:
    """What a mapping of /proc/self/smaps holds, by the path it names."""
    if not path:
        return "anonymous"
    if path.startswith("["):
        return path  # [heap], [stack], [vdso]
    if ".so" in path:
        return "compiled .so" if path.startswith(ROOT) else "other .so"
    return "other files"


def resident_by_mapping(text: str) -> dict[str, int]:
    """Resident bytes by `mapping_kind`, from smaps' text."""
    kinds: dict[str, int] = {}
    kind = "?"
    for line in text.splitlines():
        head = line.split(maxsplit=5)
        if head and "-" in head[0] and not head[0].endswith(":"):
            kind = mapping_kind(head[5].strip() if len(head) > 5 else "")
        elif line.startswith("Rss:"):
            kinds[kind] = kinds.get(kind, 0) + int(head[1]) * 1024
    return kinds


def sqlite_memory_used() -> Callable[[], int] | None:
    """SQLite's `sqlite3_memory_used`, from the library the sqlite3 module calls."""
    import _sqlite3

    try:
        used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
    except (OSError, AttributeError):
        return None
    used.restype = ctypes.c_int64
    used.argtypes = []
    return used


def reading(
    label: str, hour: float, queue: int, sqlite: Callable[[], int] | None
) -> dict[str, float | str]:
    """Every holder now, as one row: MiB but for `COUNTS`."""
    now = resident()
    row: dict[str, float | str] = {"at": label, "hour": round(hour, 2)}
    row["rss"], row["hwm"] = now.now / MIB, now.high_water / MIB
    try:
        maps = resident_by_mapping(_SMAPS.read_text(errors="replace"))
    except OSError:
        maps = {}
    for kind in ("[heap]", "anonymous", "compiled .so", "other .so", "other files", "[stack]"):
        row[f"map {kind}"] = maps.get(kind, 0) / MIB
    heap = c_heap()
    if heap is not None:
        row["glibc in use"], row["glibc free"] = heap.in_use / MIB, heap.free / MIB
        row["glibc mapped"] = heap.mapped / MIB
    small = small_blocks()
    if small is not None:
        row["arenas"] = small.arenas
        row["small live"], row["small free"] = small.live / MIB, small.free_in_pools / MIB
        row["small empty pools"] = small.empty_pools / MIB
    row["sqlite"] = (sqlite() if sqlite is not None else 0) / MIB
    row["simpy queue"] = queue
    return row


@dataclass(slots=True)
class Accountant:
    """A `between_steps` hook: a `reading` after each step."""

    sqlite: Callable[[], int] | None
    rows: list[dict[str, float | str]] = field(default_factory=list)

    def read(self, label: str, hour: float, queue: int = 0) -> None:
        self.rows.append(reading(label, hour, queue, self.sqlite))

    def __call__(self, env: simpy.Environment) -> None:
        hour = env.now / HOUR_S
        self.read(f"{hour:.2f} h", hour, len(env._queue))


def highest(rows: Sequence[dict[str, float | str]]) -> dict[str, float | str]:
    """The row of highest RSS."""
    return max(rows, key=lambda row: float(row["rss"]))


def risen_by(rows: Sequence[dict[str, float | str]]) -> str:
    """The reading by which the high-water last rose (within the step before it)."""
    rose = [row for before, row in pairwise(rows) if float(row["hwm"]) > float(before["hwm"])]
    return str((rose or rows)[-1]["at"])


def side_by_side(named: Sequence[tuple[str, dict[str, float | str]]]) -> list[str]:
    """Rows as columns, holder by holder, with the last minus the first."""
    names = list(dict.fromkeys(key for _, row in named for key in row))
    lines = ["".ljust(22) + "".join(label.rjust(16) for label, _ in named) + "difference".rjust(12)]
    for name in names:
        cells = [row.get(name, "") for _, row in named]
        line = name.ljust(22) + "".join(_cell(cell).rjust(16) for cell in cells)
        if len(cells) > 1 and all(isinstance(cell, float | int) for cell in cells):
            line += f"{float(cells[-1]) - float(cells[0]):+12.2f}"
        lines.append(line)
    return lines


def _cell(value: object) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def write_csv(path: str, rows: Sequence[dict[str, float | str]]) -> None:
    names = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, names)
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: str) -> list[dict[str, float | str]]:
    with open(path, newline="", encoding="utf-8") as source:
        return [
            {
                key: value if key == "at" else float(value)
                for key, value in row.items()
                if value != ""
            }
            for row in csv.DictReader(source)
        ]


def account(
    scenario_name: str, overrides: Sequence[str]
) -> tuple[list[dict[str, float | str]], str]:
    """Run the scenario, reading after each step, at its end and once judged: the rows
    and a line with the run's digest and outcome."""
    scenario = scenario_or_exit(argparse.ArgumentParser(), scenario_name, overrides)
    accountant = Accountant(sqlite_memory_used())
    result = run(scenario, between_steps=accountant)
    end_h = (scenario.duration_s + scenario.drain_s) / HOUR_S
    accountant.read("run's end", end_h)
    with collector_tuned_for_simulation():
        truth = gather(result)
    verdict = judge(result, scenario_name, overrides, truth)
    accountant.read("judged", end_h)
    return (
        accountant.rows,
        f"digest {result.seal.digest} ({'PASSED' if verdict.passed else 'FAILED'})",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.memory_accounting", description=__doc__.split("\n\n")[0]
    )
    add_scenario_arguments(parser, default="peak-weekend")
    parser.add_argument("--csv", metavar="PATH", help="every reading, one row a step")
    parser.add_argument(
        "--diff", nargs=2, metavar=("A.csv", "B.csv"), help="compare two runs' highest steps"
    )
    args = parser.parse_args(argv)
    if args.diff:
        named = []
        for path in args.diff:
            rows = read_csv(path)
            if not rows:
                parser.error(f"{path} holds no reading")
            named.append((Path(path).stem, highest(rows)))
        print("\n".join(side_by_side(named)))
        return 0
    scenario_or_exit(parser, args.scenario, args.overrides)
    print(f"running {args.scenario}", file=sys.stderr, flush=True)
    rows, outcome = account(args.scenario, args.overrides)
    top = highest(rows)
    print(
        f"highest RSS after a step {float(top['rss']):.1f} MiB at {top['at']}; "
        f"high-water {float(rows[-1]['hwm']):.1f} MiB, last risen by {risen_by(rows)}"
    )
    print("\n".join(side_by_side([(str(top["at"]), top)])))
    if args.csv:
        write_csv(args.csv, rows)
    print(outcome)
    return 0


if __name__ == "__main__":
    sys.exit(main())
