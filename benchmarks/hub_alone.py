"""The hub alone: its CPU per input with nothing else in the process.

`make bench` prices the hub inside a whole run, beside bare SimPy, which is the figure
issue 18 is judged by; but inside a run the hub shares the caches with the simulation,
and on a shared machine two runs of the same tree differ by several per cent, more
than most single cuts to the hub are worth. This feeds a finished run's journal (every
input its hub handled, in order, with its time) through a fresh hub on the same
policy, random stream and topology, live: journal on, committing to a store of its
own, on ports that drop what it decides. Its handlers are deterministic (a crash
replay relies on it), so it decides what the run's hub decided, and the same work is
timed with no simulation around it. Comparing two trees, run each alternately and
compare the best of each process's rounds.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from time import thread_time
from typing import Any

import simpy

from hub.core import Hub
from hub.durability.entries import Answered, Entry, OperatorAction, Received, TimerFired
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.hub_process import HubProcess
from scenarios.twin.hub_store import SimJournalStore


class _Clock:
    """The time of the input being fed."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = 0.0

    def now(self) -> float:
        return self.at


class _Drop:
    """Transport and scheduler both: what the hub decides goes nowhere (its answers
    and timers are in the journal, as inputs of their own)."""

    def request(self, *_: Any, **__: Any) -> None:
        return None

    def publish(self, *_: Any) -> None:
        return None

    def acknowledge(self, *_: Any) -> None:
        return None

    def call_later(self, *_: Any) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Refed:
    """A fresh hub after the run's inputs: it, and the CPU it took."""

    hub: Hub
    inputs: int
    cpu_seconds: float


def refeed(process: HubProcess, entries: Sequence[Entry]) -> Refed:
    """Feed `entries` through a fresh live hub built like `process`'s; timed in the
    thread's CPU, under the run's garbage-collector settings."""
    clock, drop = _Clock(), _Drop()
    store = SimJournalStore(simpy.Environment(), 0.0)
    hub = process.live_replica(clock, drop, drop, store)
    with collector_tuned_for_simulation():
        started = thread_time()
        for entry in entries:
            clock.at = entry.at
            if isinstance(entry, Received):
                hub.receive(entry.source, entry.message_id, entry.payload)
            elif isinstance(entry, Answered):
                hub.on_response(entry.system, entry.call_id, entry.status, entry.body)
            elif isinstance(entry, TimerFired):
                hub.on_timer(entry.timer)
            elif entry.action is OperatorAction.LOAD_STOCK:
                hub.load_stock(entry.args[0])
            elif entry.action is OperatorAction.END_OF_DAY:
                hub.end_of_day()
            else:
                hub.replay_dead_letters()
        cpu = thread_time() - started
    store.close()
    return Refed(hub, len(entries), cpu)


def main(argv: Sequence[str] | None = None) -> int:
    from benchmarks.scenario_arguments import add_scenario_arguments, scenario_or_exit
    from scenarios.twin.runtime import run

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.hub_alone",
        description="The hub's CPU per input, a run's inputs fed again with no simulation.",
    )
    add_scenario_arguments(parser, default="black-friday")
    parser.add_argument("--rounds", type=int, default=3, help="fresh hubs fed, one after another")
    args = parser.parse_args(argv)
    scenario = scenario_or_exit(parser, args.scenario, args.overrides)
    if not scenario.hub.journal:
        parser.error("the hub keeps no journal (hub.journal=false): nothing to feed again")
    result = run(scenario)
    process = result.estate.hub_process
    entries = list(process.store.entries())
    best = float("inf")
    for round_ in range(1, args.rounds + 1):
        refed = refeed(process, entries)
        per_input = refed.cpu_seconds / refed.inputs
        best = min(best, per_input)
        print(
            f"round {round_}: {refed.inputs:,} inputs in {refed.cpu_seconds:.3f} s CPU, "
            f"{per_input * 1e6:.2f} us an input"
        )
    print(f"best {best * 1e6:.2f} us CPU an input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
