"""benchmarks/hub_alone.py: a run's inputs fed again through a fresh hub make it decide
what the run's hub decided, so what it times is the run's hub's work."""

from __future__ import annotations

from benchmarks.hub_alone import refeed
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run


def test_a_fresh_hub_fed_the_runs_inputs_ends_where_the_runs_hub_ended() -> None:
    result = run(load_scenario("steady-day", ["scenario.scale=0.02"]))
    process = result.estate.hub_process
    entries = list(process.store.entries())
    refed = refeed(process, entries)
    ran, fresh = process.hub, refed.hub
    assert refed.inputs == len(entries) > 1000
    assert refed.cpu_seconds > 0
    assert fresh.messages_handled == ran.messages_handled > 0
    assert fresh.ctx.counters == ran.ctx.counters
    assert fresh.ctx.calls.sent == ran.ctx.calls.sent
    assert sorted(fresh.ctx.orders) == sorted(ran.ctx.orders) != []
    assert [o.status for _, o in fresh.ctx.orders.entries()] == [
        o.status for _, o in ran.ctx.orders.entries()
    ]
