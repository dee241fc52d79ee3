"""`python -m figures` (or `python scripts/figures.py`): rerun the published figures
and rewrite their blocks in the docs, or check them; see figures/registry.py."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from figures import experiments, registry
from figures.figure import Cost


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/figures.py",
        description="Rerun the figures published in README.md and docs/ at their stated "
        "seeds and scales, and rewrite their blocks.",
    )
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="only the quick figures")
    group.add_argument("--expensive", action="store_true", help="only the expensive figures")
    parser.add_argument(
        "--check", action="store_true", help="rewrite nothing; exit 1 on a difference"
    )
    parser.add_argument("--list", action="store_true", help="list the figures and stop")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument(
        "--save-results", type=Path, metavar="FILE", help="also keep the runs' reports in FILE"
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        metavar="FILE",
        help="render from reports kept with --save-results instead of running",
    )
    args = parser.parse_args(argv)
    cost = Cost.QUICK if args.quick else Cost.EXPENSIVE if args.expensive else None
    try:
        figures = registry.select(args.only, cost)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    if args.list:
        for figure in figures:
            print(f"{figure.name:28} {figure.cost.value:9} {figure.doc}")
            for experiment in figure.experiments:
                print(f"    {experiment.command}")
        return 0
    orphans = registry.orphans()
    for orphan in orphans:
        print(f"{orphan}: a block no figure writes", file=sys.stderr)
    runs = len({e for f in figures for e in f.experiments})
    print(f"rerunning {len(figures)} figures ({runs} command lines)", file=sys.stderr)
    started = time.perf_counter()
    if args.from_results is not None:
        results = experiments.load(args.from_results, (e for f in figures for e in f.experiments))
    else:
        results = registry.rerun(figures, args.jobs)
        print(f"ran in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.save_results is not None:
        experiments.save(results, args.save_results)
    if args.check:
        stale = [(f, registry.difference(f, results)) for f in figures]
        stale = [(f, diff) for f, diff in stale if diff]
        for figure, diff in stale:
            print(f"{figure.doc}: figure block {figure.name} differs from the code's:")
            print(diff)
        return 1 if stale or orphans else 0
    for name in registry.rewrite(figures, results):
        print(f"rewrote {name}", file=sys.stderr)
    return 1 if orphans else 0


if __name__ == "__main__":
    sys.exit(main())
