"""The operations snapshot: how the integration is doing right now, as one document.

Sync lag per source (a fact at the WMS or a till, to the hub) and per channel (a stock
change at its source, to the channel's view), queue and dead-letter depths, circuit
breakers, reconciliation drift, the faults in force, and the SLA report. For a finished
run the SLA report is the verdict's; for a live twin it is the SLA metrics so far, and
the invariants are pending until the day has drained, because the checker's invariants
are statements about a finished run (an order in flight is not a lost order).

For a hub judged from ground truth only (an external one), the sections that are the
hub's own state are None: the twin cannot read them, and zero would be a claim. The
counters of an external hub are the twin's own count of what crossed the boundary
(webhooks sent, delivered, refused; the hub's calls), not the hub's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scenarios.checking import latency, metrics
from scenarios.checking.credentials import credentials_state
from scenarios.checking.histogram import record_all
from scenarios.checking.judging import JudgedFrom, resolve
from scenarios.checking.truth import gather
from scenarios.checking.verdict import Verdict, invariant_rows, sla_rows
from scenarios.spec.scenario import Scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.timeline import TimelineRecorder

#: dead letters listed in the snapshot (the depth counts them all)
DEAD_LETTERS_LISTED = 50


@dataclass(frozen=True, slots=True)
class FaultState:
    id: str
    target: str
    kind: str
    rate: float
    active: bool
    started_at: float
    ended_at: float
    origin: str  # "scenario" | "api"


def sync_lags(
    result: RunResult,
    observer: TimelineRecorder | None,
    by_channel: dict[str, latency.Summary] | None = None,
) -> list[dict[str, Any]]:
    """Per source (a fact at the WMS or a till, to the hub) and per channel (a stock
    movement at its source, to the channel's view; unseen movements censored now).
    `by_channel`: the channels' summaries if measured already (a verdict's
    `sync_lag_s`, the same figures: a day's tens of thousands of movements are not
    walked again)."""
    lags = []
    if observer is not None:
        # the recorder's arrays straight into a histogram: every wait reached the hub
        # (none censored), and a `Latency` object each (steady-day: 27,857) is not built
        for source in sorted(observer.source_lag_s):
            summary = latency.summary_of(record_all(observer.source_lag_s[source]))
            lags.append({"scope": "source", "name": source, **summary})
    if by_channel is None:
        by_channel = latency.sync_lag(result)
    for channel in (result.estate.storefront, *result.estate.marketplaces):
        summary = by_channel.get(channel.name) or latency.summarize([])
        lags.append({"scope": "channel", "name": channel.name, **summary})
    return lags


def sla_report(
    result: RunResult, verdict: Verdict | None, *, judged_from: JudgedFrom | None = None
) -> dict[str, Any]:
    """The verdict's SLA report once there is one; until then the SLA metrics so far,
    judged as the run calls for (`judging.judged_from`) unless told otherwise."""
    if verdict is not None:
        return {
            "final": True,
            "passed": verdict.passed,
            "results": sla_rows(verdict.sla),
            "invariants": invariant_rows(verdict.invariants),
        }
    mode = resolve(result, judged_from)
    measured = metrics.compute(result, gather(result), judged_from=mode)
    results = metrics.evaluate(result.scenario.sla, measured, judged_from=mode)
    return {
        "final": False,
        "passed": None,
        "results": sla_rows(results),
        "invariants": [],
    }


#: the snapshot's sections that are the hub's own state: None for a hub judged from
#: ground truth only, whose insides the twin cannot read
HUB_STATE_SECTIONS = (
    "lanes",
    "dead_letters",
    "parked_events",
    "feed_pending_changes",
    "reconciliation",
    "duplicates_absorbed",
    "counters",
)


def snapshot(
    result: RunResult,
    observer: TimelineRecorder | None,
    verdict: Verdict | None,
    faults: Iterable[FaultState],
    sla: dict[str, Any] | None = None,
    *,
    judged_from: JudgedFrom | None = None,
    channel_lags: dict[str, latency.Summary] | None = None,
) -> dict[str, Any]:
    """The operations document. Judged from ground truth only, the hub's own state
    (`HUB_STATE_SECTIONS`) is None: absent, not zero. `channel_lags`: the channels'
    sync lag summaries of a finished run, if measured already (`sync_lags`)."""
    if resolve(result, judged_from) == JudgedFrom.IN_PROCESS:
        now = result.estate.hub.ctx.clock.now()
        hub = _hub_state(result)
    else:
        now = result.estate.now
        hub = dict.fromkeys(HUB_STATE_SECTIONS)
        external = result.estate.external_hub
        if external is not None:  # not the hub's counters: what crossed the boundary
            hub["counters"] = dict(sorted(external.report().items()))
    return {
        "sim_time_s": now,
        "lanes": hub["lanes"],
        "dead_letters": hub["dead_letters"],
        "parked_events": hub["parked_events"],
        "feed_pending_changes": hub["feed_pending_changes"],
        "erp_backlog": result.estate.erp.queue_length,
        "sync_lag": sync_lags(result, observer, channel_lags),
        "reconciliation": hub["reconciliation"],
        "duplicates_absorbed": hub["duplicates_absorbed"],
        "counters": hub["counters"],
        "faults": [
            {
                "id": f.id,
                "target": f.target,
                "kind": f.kind,
                "rate": f.rate,
                "active": f.active,
                "started_at": f.started_at,
                "ended_at": f.ended_at,
                "origin": f.origin,
            }
            for f in faults
        ],
        "sla": sla if sla is not None else sla_report(result, verdict, judged_from=judged_from),
        "credentials": credentials_state(result),
    }


def _hub_state(result: RunResult) -> dict[str, Any]:
    """The built-in hub's lanes, breakers, dead letters, feed and reconciliation."""
    hub = result.estate.hub
    calls = hub.ctx.calls
    letters = hub.ctx.dead_letters
    entries = letters.entries()
    return {
        "lanes": [
            {
                "system": system,
                "queue_depth": calls.lane_depth(system),
                "breaker": calls.breaker_state(system).value,
                "breaker_opens": calls.breaker_opens(system),
            }
            for system in calls.systems()
        ],
        "dead_letters": {
            "depth": len(letters),
            "total": letters.total_dead_lettered,
            "replayed": letters.total_replayed,
            "items": [
                {"kind": e.kind, "key": e.key, "reason": e.reason, "at": e.at}
                for e in entries[:DEAD_LETTERS_LISTED]
            ],
        },
        "parked_events": hub.parked_count(),
        "feed_pending_changes": hub.availability.pending_changes(),
        "reconciliation": {
            "runs": hub.reconciliation.runs,
            "drift_corrected": hub.reconciliation.drift_corrected,
            "last_drift": hub.reconciliation.last_drift,
            "erp_ledger": {
                "runs": hub.reconciliation.erp_ledger.runs,
                "drift": hub.reconciliation.erp_ledger.drift,
                "last_drift": hub.reconciliation.erp_ledger.last_drift,
                "adjusted_units": hub.reconciliation.erp_ledger.adjusted_units,
                "findings": list(hub.reconciliation.erp_ledger.findings),
            },
        },
        "duplicates_absorbed": hub.consumer.duplicates,
        "counters": dict(sorted(hub.ctx.counters.items())),
    }


def scheduled_faults(result: RunResult, now: float) -> list[FaultState]:
    """The scenario's own fault schedule, as it stands at `now`."""
    states = []
    for i, fault in enumerate(result.scenario.faults):
        end = fault.start_s + fault.duration_s
        if fault.start_s > now:
            continue
        states.append(
            FaultState(
                f"scenario-{i}",
                fault.target,
                fault.kind,
                fault.rate,
                now < end,
                fault.start_s,
                end if now >= end else -1.0,
                "scenario",
            )
        )
    return states


def run_document(
    result: RunResult,
    mode: str,
    finished: bool,
    speed: float,
    verdict: Verdict | None,
    *,
    judged_from: JudgedFrom | None = None,
) -> dict[str, Any]:
    scenario = result.scenario
    in_process = resolve(result, judged_from) == JudgedFrom.IN_PROCESS
    return {
        "scenario": scenario.name,
        "seed": scenario.seed,
        "mode": mode,
        "speed": speed,
        "sim_time_s": result.estate.hub.ctx.clock.now() if in_process else result.estate.now,
        "duration_s": scenario.duration_s,
        "drain_s": scenario.drain_s,
        "finished": finished,
        "digest": None if result.sealed is None else result.sealed.digest,
        "passed": None if verdict is None else verdict.passed,
        # the read model's returns measure their SLA against it (return_clock.py)
        "return_refund_sla_s": return_refund_sla_s(scenario),
    }


def return_refund_sla_s(scenario: Scenario) -> float | None:
    """The most a card refund may take after the goods are back, for one return: the
    scenario's per-return limit (`return_to_refund.gateway.max`) if it sets one, else
    its p95 (`return_to_refund_p95`), else none."""
    limits = scenario.sla.return_to_refund.gateway
    if limits.max_s is not None:
        return limits.max_s
    if scenario.sla.return_to_refund_p95_s is not None:
        return scenario.sla.return_to_refund_p95_s
    return limits.p95_s
