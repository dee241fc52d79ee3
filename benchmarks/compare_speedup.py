"""`make bench`, part two: what parallel processes buy `compare`.

The same four black-friday runs (seeds 11..14, the default event-driven hub) are timed
twice: one after another in this process (`--jobs 1`), then on a pool of two worker
processes (`--jobs 2`; forked from this process, scenarios/experiments/pool.py). The
ratio is the parallel speed-up. On a 2-core machine the ceiling is 2x; process
start-up and a shared machine take some of it. Both ways must give the same digests,
or the number would not be worth printing.

The scale is an option because a full-size black-friday run takes about a minute:
`make bench` uses 0.1 (about 11,000 channel orders a run) unless COMPARE_SCALE says
otherwise (`make bench COMPARE_SCALE=1` for the full day). Alone:
`python -m benchmarks.compare_speedup --scale 0.1`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from scenarios.experiments.pool import execute
from scenarios.experiments.sweep import Axis, plan

SCENARIO = "black-friday"
SEEDS, JOBS = 4, 2
DEFAULT_SCALE = 0.1


def measure(scale: float = DEFAULT_SCALE, seeds: int = SEEDS, jobs: int = JOBS) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    overrides = [f"scenario.scale={scale}"]
    _, seed_list, planned = plan(SCENARIO, overrides, [Axis("hub.sync", ("event",))], seeds)
    started = time.perf_counter()
    one_by_one = execute(planned, 1)
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    pooled = execute(planned, jobs)
    parallel = time.perf_counter() - started
    same = [a.report["digest"] for a in one_by_one] == [b.report["digest"] for b in pooled]
    return {
        "scale": scale,
        "runs": len(planned),
        "seeds": seed_list,
        "jobs": jobs,
        "cores": os.cpu_count() or 1,
        "channel_orders_per_run": round(
            sum(o.report["metrics"]["volumes"]["channel_orders"] for o in pooled) / len(pooled)
        ),
        "sequential_s": sequential,
        "parallel_s": parallel,
        "speedup": sequential / parallel,
        "digests_match": same,
        "load_average_before": load_before,
    }


def report(f: dict[str, Any]) -> str:
    seeds = f["seeds"]
    ceiling = min(f["jobs"], f["cores"])
    return "\n".join(
        [
            f"compare {SCENARIO} --seeds {len(seeds)} --jobs {f['jobs']} "
            f"(scale {f['scale']}, seeds {seeds[0]}..{seeds[-1]}, "
            f"~{f['channel_orders_per_run']:,} channel orders a run, {f['cores']} cores)",
            f"  one after another            {f['sequential_s']:,.1f} s",
            f"  {f['jobs']} worker processes           {f['parallel_s']:,.1f} s",
            f"  parallel speed-up            {f['speedup']:.2f}x   (ceiling {ceiling}x)",
            f"  same digests both ways       {'yes' if f['digests_match'] else 'NO'}",
            f"  load average before          {f['load_average_before']:.2f}   (other work on "
            "the machine's cores lowers the speed-up)",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.compare_speedup",
        description="Time compare's runs one after another and in parallel processes.",
    )
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE)
    args = parser.parse_args(argv)
    print(report(measure(args.scale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
