"""`make bench`: how fast and how big a scenario run is, as figures and ratios.

Wall-clock targets are never asserted in tests (CI machines are shared and noisy);
they are measured here and reported. The hub's cost is put next to bare SimPy's cost
per event measured in the same process, on the same machine, in the same minute, so
the ratio means something even when the machine is slow.

The scenario runs in a child process so its peak resident memory is its own
(`ru_maxrss` of the child), not the parent's.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Generator, Sequence
from typing import Any

import simpy

from benchmarks import compare_speedup
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.run_result import RunResult

BARE_EVENTS = 1_000_000


def bare_simpy_seconds_per_event(events: int = BARE_EVENTS, pending: int = 100) -> float:
    """Seconds per event for SimPy alone: processes yielding timeouts, no model.

    `pending` processes keep that many events in SimPy's queue at once; what an event
    costs SimPy grows with the depth of its queue (a heap), so the fair baseline for a
    run is bare SimPy at the run's own queue depth, and both are reported.
    """

    def ticker(env: simpy.Environment, n: int, delay: float) -> Generator[Any, Any, None]:
        for _ in range(n):
            yield env.timeout(delay)

    env = simpy.Environment()
    workers = max(1, pending)
    spacing = random.Random(0)
    for _ in range(workers):
        env.process(ticker(env, events // workers, spacing.uniform(0.5, 1.5)))
    with collector_tuned_for_simulation():  # the settings the scenario ran under
        started = time.perf_counter()
        env.run()
        return (time.perf_counter() - started) / (events // workers * workers)


def event_weighted_queue_depth(samples: dict[str, list[float]]) -> int:
    """The depth of SimPy's queue as the run's events saw it: each minute's sampled
    depth weighted by the events processed in that minute."""
    depth, done = samples.get("pending_events", []), samples.get("processed_events", [])
    weighted = total = 0.0
    for i in range(1, len(done)):
        events = done[i] - done[i - 1]
        weighted += events * (depth[i - 1] + depth[i]) / 2
        total += events
    return round(weighted / total) if total else 100


def _child(name: str, overrides: Sequence[str]) -> None:
    """Run the scenario and print its figures as one JSON line."""
    from scenarios.checking.verdict import judge
    from scenarios.spec.loader import load_scenario
    from scenarios.twin.runtime import run

    scenario = load_scenario(name, overrides)
    last = [0.0]

    def progress(now: float, end: float) -> None:
        if now - last[0] >= end / 10 or now >= end:
            last[0] = now
            print(f"  simulated {now / 3600:5.1f} h of {end / 3600:.1f} h", file=sys.stderr)

    cpu_started = time.process_time()
    result = run(scenario, progress)
    cpu_seconds = time.process_time() - cpu_started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    verdict = judge(result, name, overrides)
    volumes = verdict.metrics["volumes"]
    depth = event_weighted_queue_depth(result.samples.series)
    entries, replay_seconds = journal_replay_seconds(result)
    print(
        json.dumps(
            {
                "peak_rss_bytes": peak_rss,
                "journal_entries": entries,
                "journal_replay_seconds": replay_seconds,
                "simulated_seconds": scenario.duration_s + scenario.drain_s,
                "wall_seconds": result.seal.wall_seconds,
                "cpu_seconds": cpu_seconds,
                "simulated_events": result.seal.sim_events,
                "hub_seconds": result.seal.hub_seconds,
                "hub_calls": result.seal.hub_calls,
                "channel_orders": volumes["channel_orders"],
                "store_sales": volumes["store_sales"],
                "passed": verdict.passed,
                "queue_depth": depth,
            }
        )
    )


def journal_replay_seconds(result: RunResult) -> tuple[int, float]:
    """How long a hub takes to rebuild itself from the run's whole journal, as after a
    crash at the very end of the day: (entries, wall seconds); (0, 0) without one."""
    process = result.estate.hub_process
    if not result.scenario.hub.journal:
        return 0, 0.0
    hub = process.blank_replica()
    started = time.perf_counter()
    with collector_tuned_for_simulation():
        replayed = hub.replay(process.store.entries())
    return replayed, time.perf_counter() - started


def _run_child(name: str, overrides: Sequence[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.run_speed", "--child", name]
    for override in overrides:
        command += ["--set", override]
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def bench(name: str, overrides: Sequence[str]) -> dict[str, Any]:
    figures = _run_child(name, overrides)
    # bare SimPy in a fresh process: one that still holds a finished run's heap (or is
    # about to build one) would price SimPy's events by a state that is not SimPy's
    bare = subprocess.run(
        [sys.executable, "-m", "benchmarks.run_speed", "--bare", str(figures["queue_depth"])],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    figures.update(json.loads(bare.stdout.strip().splitlines()[-1]))
    return figures


def _bare_child(depth: int) -> None:
    print(
        json.dumps(
            {
                "bare_seconds_per_event": bare_simpy_seconds_per_event(),
                "bare_seconds_per_event_at_depth": bare_simpy_seconds_per_event(pending=depth),
            }
        )
    )


def journal_report(on: dict[str, Any], off: dict[str, Any]) -> str:
    """What committing every input costs: the same run with and without the journal."""
    hub_on = on["hub_seconds"] / on["simulated_events"]
    hub_off = off["hub_seconds"] / off["simulated_events"]
    rate = on["journal_entries"] / on["journal_replay_seconds"]
    catch_up = on["simulated_seconds"] / on["journal_replay_seconds"]
    return "\n".join(
        [
            f"hub journal                   {on['journal_entries']:,} entries committed",
            f"  cost, on / off              wall {on['wall_seconds']:,.1f} s / "
            f"{off['wall_seconds']:,.1f} s (ratio {on['wall_seconds'] / off['wall_seconds']:.2f}); "
            f"hub {hub_on * 1e6:.2f} / {hub_off * 1e6:.2f} us per event "
            f"(ratio {hub_on / hub_off:.2f})",
            f"  memory, on / off            {on['peak_rss_bytes'] / 2**20:,.0f} MiB / "
            f"{off['peak_rss_bytes'] / 2**20:,.0f} MiB "
            f"(ratio {on['peak_rss_bytes'] / off['peak_rss_bytes']:.2f})",
            f"  replay after a crash        the whole day in "
            f"{on['journal_replay_seconds']:,.1f} s: {rate:,.0f} entries per second, "
            f"{catch_up:,.0f} simulated seconds per wall second",
        ]
    )


def report(name: str, figures: dict[str, Any]) -> str:
    wall = figures["wall_seconds"]
    events = figures["simulated_events"]
    orders = figures["channel_orders"]
    hub_per_event = figures["hub_seconds"] / events
    bare = figures["bare_seconds_per_event"]
    bare_deep = figures["bare_seconds_per_event_at_depth"]
    depth = figures["queue_depth"]
    lines = [
        f"scenario                      {name} ({'passed' if figures['passed'] else 'FAILED'})",
        f"channel orders / store sales  {orders:,} / {figures['store_sales']:,}",
        f"wall time                     {wall:,.1f} s   (target < 60 s: "
        f"{'met' if wall < 60 else 'missed'}, ratio {wall / 60:.2f}); CPU "
        f"{figures['cpu_seconds']:,.1f} s",
        f"peak memory (RSS)             {figures['peak_rss_bytes'] / 2**20:,.0f} MiB   "
        f"(target < 2048 MiB, ratio {figures['peak_rss_bytes'] / 2**31:.2f})",
        f"orders per wall second        {orders / wall:,.0f}",
        f"simulated events              {events:,}   ({events / wall:,.0f} per wall second)",
        f"bare SimPy, 100 queued        {bare * 1e6:.2f} us per event ({1 / bare:,.0f} events/s)",
        f"bare SimPy, {depth:,} queued".ljust(30) + f"{bare_deep * 1e6:.2f} us per event "
        f"({1 / bare_deep:,.0f} events/s; the run's event-weighted queue depth)",
        f"hub                           {hub_per_event * 1e6:.2f} us per simulated event "
        f"over {figures['hub_calls']:,} hub calls ({figures['hub_seconds']:,.1f} s)",
        f"hub cost / bare SimPy cost    {hub_per_event / bare_deep:.2f}x at the run's queue depth "
        f"(target <= 3x); {hub_per_event / bare:.2f}x against 100 queued",
        f"whole run / bare SimPy cost   {wall / events / bare_deep:.2f}x per event at the run's "
        f"queue depth; {wall / events / bare:.2f}x against 100 queued",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run_speed", description="Time and size a scenario run."
    )
    parser.add_argument("scenario", nargs="?", default="black-friday")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-journal-cost",
        dest="journal_cost",
        action="store_false",
        help="skip the second run without the hub's journal",
    )
    parser.add_argument(
        "--compare-scale",
        type=float,
        default=compare_speedup.DEFAULT_SCALE,
        help="scale of the compare speed-up runs (0: skip them)",
    )
    args = parser.parse_args(argv)
    if args.child:
        _child(args.scenario, args.overrides)
        return 0
    if args.bare is not None:
        _bare_child(args.bare)
        return 0
    print(f"benchmarking {args.scenario} (a full run; progress below)", file=sys.stderr)
    figures = bench(args.scenario, args.overrides)
    print(report(args.scenario, figures))
    if args.journal_cost:
        print("benchmarking the same run without the hub's journal", file=sys.stderr)
        without = _run_child(args.scenario, [*args.overrides, "hub.journal=false"])
        print(journal_report(figures, without))
    if args.compare_scale > 0:
        print(
            "benchmarking compare: the same runs one after another, then in parallel",
            file=sys.stderr,
        )
        print(compare_speedup.report(compare_speedup.measure(args.compare_scale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
