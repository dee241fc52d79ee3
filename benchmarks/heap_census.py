"""Every object a run holds at chosen simulated hours, by shape and by what holds it, and
what grew from the first hour to the last.

Why: tracemalloc names the line that allocated a block, which says little of a shared
value a table keeps after every order using it has gone, and sees compiled code's
allocations only at the Python line that called it; `gc.get_objects` misses the tuples
and dicts the collector has stopped tracking (those that hold only plain values) and,
while the run's objects are frozen, everything. This walks from every object the
collector knows of, the frozen ones included, and from the simulation's environment,
through `gc.get_referents`, to every object reachable, untracked ones included, and
sums `sys.getsizeof` by shape (a tuple by its first items' types) and, for plain values
and containers, by the shape of the object that first reached it: "tuple(str,int,int,
int) <- dict <- simulators.interned.Interned" is a table's shared lines. Full scale is
where the compiled build's growth shows; a census of a full-scale run takes about a
minute and memory of its own.

    python -m benchmarks.heap_census peak-weekend --at 18.7,90.5
    python -m benchmarks.heap_census black-friday --at 12,18 --top 60
"""

from __future__ import annotations

import argparse
import array
import gc
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import simpy

from benchmarks.scenario_arguments import add_scenario_arguments, scenario_or_exit
from scenarios.twin.runtime import run

MIB = 2**20
HOUR_S = 3600.0
#: values that hold nothing: named with the shape of what reached them first
PLAIN = (float, int, str, bytes)
#: plain values and the containers also named with what reached them first
NAMED_BY_HOLDER = (*PLAIN, tuple, dict, list, set, array.array)
#: how many holders a name keeps ("a <- b <- c")
HOLDER_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Census:
    """What was reachable at one moment: bytes and objects by name."""

    label: str
    sizes: Counter[str]
    counts: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.sizes.values())


def shape(value: object) -> str:
    """A type's name, qualified outside builtins; a tuple with its first items' types."""
    kind = type(value)
    if kind is tuple:
        items = value if isinstance(value, tuple) else ()
        named = ",".join(type(item).__name__ for item in items[:5])
        return f"tuple({named}{',..' if len(items) > 5 else ''})"
    if kind.__module__ == "builtins":
        return kind.__name__
    return f"{kind.__module__}.{kind.__qualname__}"


def census(label: str, roots: Iterable[object], skip: Iterable[object] = ()) -> Census:
    """Every object reachable from `roots`, once each, by name (see the module), but
    those in `skip` and what only they reach (the censuses taken before this one)."""
    sizes: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    stack = list(roots)
    seen = {id(stack), *(id(value) for value in skip)}
    holder: dict[int, str] = {}
    while stack:
        value = stack.pop()
        key = id(value)
        if key in seen:
            continue
        seen.add(key)
        name = shape(value)
        if isinstance(value, NAMED_BY_HOLDER) and key in holder:
            name = f"{name} <- {holder[key]}"
        if not isinstance(value, PLAIN):
            reached_by = " <- ".join(name.split(" <- ")[:HOLDER_DEPTH])
            for referent in gc.get_referents(value):
                if id(referent) not in seen:
                    if isinstance(referent, NAMED_BY_HOLDER):
                        holder.setdefault(id(referent), reached_by)
                    stack.append(referent)
        sizes[name] += sys.getsizeof(value)
        counts[name] += 1
    return Census(label, sizes, counts)


def census_of_this_process(
    label: str, env: simpy.Environment, skip: Iterable[object] = ()
) -> Census:
    """From every object the collector knows of and the environment. Frozen objects
    (the run freezes what it built before it) are unfrozen to be listed and frozen again
    with the rest: the batch run collects nothing meanwhile, so no result changes."""
    frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    known = gc.get_objects()
    if frozen:
        gc.freeze()
    try:
        return census(label, [*known, env], skip)
    finally:
        del known


def largest(one: Census, top: int) -> list[str]:
    objects = sum(one.counts.values())
    lines = [f"{one.label}: {one.total / MIB:.1f} MiB by getsizeof, {objects:,d} objects"]
    for name, size in one.sizes.most_common(top):
        lines.append(f"{size / MIB:8.2f} MiB {one.counts[name]:>10,d}  {name}")
    return lines


def growth(first: Census, last: Census, top: int) -> list[str]:
    """The names whose bytes grew (or shrank) most from `first` to `last`."""
    names = set(first.sizes) | set(last.sizes)
    change = sorted(names, key=lambda name: abs(last.sizes[name] - first.sizes[name]), reverse=True)
    lines = [f"from {first.label} to {last.label}: {(last.total - first.total) / MIB:+.1f} MiB"]
    for name in change[:top]:
        grown = last.sizes[name] - first.sizes[name]
        more = last.counts[name] - first.counts[name]
        lines.append(f"{grown / MIB:+8.2f} MiB {more:>+10,d}  {name}")
    return lines


class AtHours:
    """A `between_steps` hook: a census at the end of the first step at or past each hour."""

    def __init__(self, hours: Sequence[float]) -> None:
        self.waiting = sorted(hours)
        self.taken: list[Census] = []

    def __call__(self, env: simpy.Environment) -> None:
        while self.waiting and env.now >= self.waiting[0] * HOUR_S:
            self.waiting.pop(0)
            label = f"{env.now / HOUR_S:.2f} h"
            print(f"census at {label}...", file=sys.stderr, flush=True)
            earlier = [self.taken, *self.taken]
            earlier += [table for each in self.taken for table in (each.sizes, each.counts)]
            self.taken.append(census_of_this_process(label, env, earlier))


def _hours(text: str) -> list[float]:
    try:
        hours = [float(word) for word in text.split(",") if word.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected hours separated by commas, got {text!r}"
        ) from None
    if not hours or any(hour < 0 for hour in hours):
        raise argparse.ArgumentTypeError(f"expected one or more hours of 0 or more, got {text!r}")
    return hours


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.heap_census", description=__doc__.split("\n\n")[0]
    )
    add_scenario_arguments(parser, default="peak-weekend")
    parser.add_argument("--at", type=_hours, required=True, metavar="H1,H2", help="simulated hours")
    parser.add_argument("--top", type=int, default=40, help="names shown in each list")
    args = parser.parse_args(argv)
    scenario = scenario_or_exit(parser, args.scenario, args.overrides)
    end_h = (scenario.duration_s + scenario.drain_s) / HOUR_S
    if max(args.at) > end_h:
        parser.error(f"--at {max(args.at):g} h is past the run's end ({end_h:g} h)")
    if args.top < 1:
        parser.error("--top wants at least 1")
    hook = AtHours(args.at)
    print(f"running {scenario.name} to take {len(args.at)} census(es)", file=sys.stderr)
    result = run(scenario, between_steps=hook)
    for each in hook.taken:
        print("\n".join(largest(each, args.top)))
    if len(hook.taken) > 1:
        print("\n".join(growth(hook.taken[0], hook.taken[-1], args.top)))
    print(f"digest {result.seal.digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
