"""The hub under a crash fault: everything in memory lost, rebuilt from its journal.

A hub replayed from its journal must be the hub that wrote it, down to every order's
history and every counter; a crashed and restarted hub must keep every invariant; and a
hub that breaks the journal's rules (acknowledging before committing, sending before
recording) or keeps none must make the checker fail, or the crash test proves nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from runs import failed_checks, verdict_of

from hub.core import Hub
from scenarios.experiments.defect_controls import SLOW_COMMITS
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

#: commits slow enough (2 s a flush) that each crash catches inputs before their commit
SLOW_STORE = SLOW_COMMITS
#: hub-crash's two crashes, at reduced scale
CRASHES = ("scenario.scale=0.3",)


def fingerprint(hub: Hub) -> dict[str, Any]:
    """Everything the hub knows, as comparable text."""
    ctx = hub.ctx
    calls = ctx.calls
    skus = {position.sku for position in ctx.inventory.positions()}
    return {
        "orders": sorted(repr(order) for order in ctx.orders.values()),
        "returns": sorted(repr(ret) for ret in ctx.returns.values()),
        "positions": sorted(repr(position) for position in ctx.inventory.positions()),
        "counters": sorted(ctx.counters.items()),
        "lanes": [
            (s, calls.lane_depth(s), calls.breaker_state(s), calls.breaker_opens(s))
            for s in calls.systems()
        ],
        "dead_letters": len(ctx.dead_letters),
        "parked": hub.parked_count(),
        "handled": hub.messages_handled,
        "duplicates": hub.consumer.duplicates,
        "ats": [hub.availability.ats_ship(sku) for sku in sorted(skus)],
    }


def _rebuild(result: RunResult) -> Hub:
    """A hub built afresh from the run's journal, replayed to its end, not resumed (its
    ports fail the test if it acts)."""
    process = result.estate.hub_process
    hub = process.blank_replica()
    hub.replay(process.store.entries())
    return hub


@pytest.mark.parametrize(
    "overrides",
    [("scenario.scale=0.2",), ("scenario.scale=0.3", "backends.store.commit_latency=20ms")],
    ids=["steady-day", "steady-day-slow-commits"],
)
def test_a_hub_replayed_from_its_journal_is_the_hub_that_wrote_it(
    overrides: tuple[str, ...],
) -> None:
    result = run(load_scenario("steady-day", overrides))
    assert len(result.estate.hub_process.store) > 1000
    assert fingerprint(_rebuild(result)) == fingerprint(result.estate.hub)


def test_a_hub_crashed_twice_is_rebuilt_across_both_lives() -> None:
    """The journal outlives both crashes: replayed from the start, it gives the hub as
    the run ended, and the run kept every invariant and SLA."""
    result = run(load_scenario("hub-crash", CRASHES))
    process = result.estate.hub_process
    assert process.crashes == 2 and len(process.restarts) == 2
    assert all(restart.replayed > 1000 for restart in process.restarts)
    assert sum(restart.redelivered for restart in process.restarts) > 0
    assert fingerprint(_rebuild(result)) == fingerprint(result.estate.hub)
    assert verdict_of("hub-crash", CRASHES).passed


def test_the_checker_sees_a_hub_that_keeps_no_journal() -> None:
    """No durable store: the restarted hub remembers nothing but the opening stock."""
    verdict = verdict_of("hub-crash", (*CRASHES, "hub.journal=false"))
    assert verdict.metrics["volumes"]["hub_entries_replayed"] == 0
    assert "no_lost_order" in failed_checks(verdict)


def test_acknowledging_before_committing_loses_orders() -> None:
    correct = verdict_of("hub-crash", SLOW_STORE)
    assert correct.passed
    assert correct.metrics["volumes"]["hub_entries_lost_uncommitted"] > 0
    broken = verdict_of("hub-crash", (*SLOW_STORE, 'hub.defects=["ack_before_commit"]'))
    assert "no_lost_order" in failed_checks(broken)


def test_sending_before_recording_books_twice_in_a_plain_erp() -> None:
    plain = (*SLOW_STORE, "backends.erp.idempotent_refs=false")
    assert verdict_of("hub-crash", plain).passed
    broken = verdict_of("hub-crash", (*plain, 'hub.defects=["send_before_record"]'))
    assert "exactly_once" in failed_checks(broken)
