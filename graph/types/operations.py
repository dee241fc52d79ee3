"""The operations view: the integration's health now, for the people who run it.

Read from the operations snapshot the run or the live projector writes (see
scenarios/checking/operations.py for what each number means). The SLA report's types
are in graph/types/sla.py, the enums in graph/types/operations_kinds.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from graph.types.credentials import BackendCredential, credentials
from graph.types.faults import FaultKind
from graph.types.operations_kinds import (
    BreakerState,
    DeadLetterCategory,
    FaultOrigin,
    RunMode,
    SyncLagScope,
)
from graph.types.sla import InvariantResult, SlaBreach, SlaReport, SlaResult, sla_report
from graph.types.systems import IntegrationSystem
from graph.types.time import at, maybe_at

#: the SLA types moved to graph/types/sla.py and the enums to operations_kinds.py are
#: still importable from here, where they were
__all__ = [
    "BreakerState",
    "Counter",
    "DeadLetter",
    "DeadLetters",
    "Fault",
    "InvariantResult",
    "Lane",
    "Operations",
    "Reconciliation",
    "RunInfo",
    "SlaBreach",
    "SlaReport",
    "SlaResult",
    "SyncLag",
    "sla_report",
]

#: what an external hub's unreadable state is shown as (see `Operations.from_domain`)
_NO_DEAD_LETTERS: dict[str, Any] = {"depth": 0, "total": 0, "replayed": 0, "items": []}
_NO_RECONCILIATION: dict[str, Any] = {"runs": 0, "drift_corrected": 0, "last_drift": 0}


@strawberry.type(description="The hub's connection to one backend: its queue and breaker.")
class Lane:
    system: str = strawberry.field(
        description="The backend's lowercase name.",
        deprecation_reason="Use `backend`: the same, as an enum.",
    )
    backend: IntegrationSystem = strawberry.field(description="The backend this lane calls.")
    queue_depth: int = strawberry.field(
        description="Calls accepted but not yet answered: queued, in flight or awaiting a retry."
    )
    breaker: BreakerState = strawberry.field(description="The lane's circuit breaker now.")
    breaker_opens: int = strawberry.field(description="Times the breaker has opened in this run.")


@strawberry.type(description="One piece of work the hub could not complete, kept with its reason.")
class DeadLetter:
    kind: str = strawberry.field(
        description="What it is, as a lowercase word.",
        deprecation_reason="Use `category`: the same, as an enum.",
    )
    category: DeadLetterCategory = strawberry.field(
        description="A call, an inbound message or a stock export."
    )
    key: str = strawberry.field(
        description=(
            "What it was: `system:operation:key` for a call, `source:messageId` for a "
            "message, `system:stock_snapshot[:location]` for an export."
        )
    )
    reason: str = strawberry.field(
        description="Why it failed, in words for a person; free text, not to branch on."
    )
    at: datetime = strawberry.field(description="When it was dead-lettered (simulated time).")


@strawberry.type(description="The dead-letter queue: work kept until an operator replays it.")
class DeadLetters:
    depth: int = strawberry.field(description="Dead letters waiting now.")
    total: int = strawberry.field(description="Ever dead-lettered in this run.")
    replayed: int = strawberry.field(description="Ever taken out by a replay in this run.")
    items: list[DeadLetter] = strawberry.field(description="The oldest 50.")


@strawberry.type(
    description=(
        "Lag percentiles, in simulated seconds, of one source or one channel (`lagScope`); "
        "null while nothing has been measured."
    )
)
class SyncLag:
    scope: str = strawberry.field(
        description="`source` or `channel`.",
        deprecation_reason="Use `lagScope`: the same, as an enum.",
    )
    lag_scope: SyncLagScope = strawberry.field(description="What the lag is measured between.")
    name: str = strawberry.field(
        description="The source system (`wms`, `pos`, ...) or the channel (`web`, `marketplace`).",
        deprecation_reason="Use `system`: the same, as an enum.",
    )
    system: IntegrationSystem = strawberry.field(
        description="The source system, or the channel (`WEB` is the storefront's view)."
    )
    count: int = strawberry.field(description="Lags measured so far.")
    p50_seconds: float | None = strawberry.field(description="Median lag; null if none yet.")
    p95_seconds: float | None = strawberry.field(description="95th percentile; null if none yet.")
    p99_seconds: float | None = strawberry.field(description="99th percentile; null if none yet.")
    max_seconds: float | None = strawberry.field(description="Longest lag; null if none yet.")


@strawberry.type(
    description=(
        "Stock reconciliation: the hub compares its positions with the systems' stock "
        "snapshots and corrects the ones it had wrong."
    )
)
class Reconciliation:
    runs: int = strawberry.field(description="Reconciliation runs started in this run.")
    drift_corrected: int = strawberry.field(
        description="Positions the hub had wrong and corrected, over the run."
    )
    last_drift: int = strawberry.field(description="Positions the latest run found wrong.")


@strawberry.type(
    description=("A fault in force or over: a system, link or store region going wrong on purpose.")
)
class Fault:
    id: strawberry.ID = strawberry.field(
        description="The fault's id: what `faultInject` with END takes to end it."
    )
    target: str = strawberry.field(
        description=(
            "What it hits: a system (`erp`), a link (`link:SRC->DST`) or a store region "
            "(`pos:REGION`); an open set of names, so a string."
        )
    )
    kind: FaultKind = strawberry.field(description="What goes wrong.")
    rate: float = strawberry.field(
        description="Probability, requests per second or slow-down factor, as `kind` needs."
    )
    active: bool = strawberry.field(description="True while the fault is in force.")
    started_at: datetime = strawberry.field(description="When it started (simulated time).")
    ended_at: datetime | None = strawberry.field(
        description="When it ended (simulated time); null while it is in force."
    )
    origin: str = strawberry.field(
        description="scenario (its fault schedule) or api.",
        deprecation_reason="Use `startedBy`: the same, as an enum.",
    )
    started_by: FaultOrigin = strawberry.field(description="Who started it.")

    @classmethod
    def from_domain(cls, f: dict[str, Any]) -> Fault:
        return cls(
            id=strawberry.ID(f["id"]),
            target=f["target"],
            kind=FaultKind(f["kind"]),
            rate=float(f["rate"]),
            active=bool(f["active"]),
            started_at=at(f["started_at"]),
            ended_at=maybe_at(f["ended_at"]),
            origin=f["origin"],
            started_by=FaultOrigin(f["origin"]),
        )


@strawberry.type(description="One of the hub's running counts.")
class Counter:
    name: str = strawberry.field(
        description="What it counts (`orders_received`); an open set of names, so a string."
    )
    value: int = strawberry.field(description="The count so far in this run.")


@strawberry.type(description="The run the API serves: its scenario, clock and verdict.")
class RunInfo:
    scenario: str = strawberry.field(description="The scenario's name, from its file.")
    seed: int = strawberry.field(description="The seed every random draw of the run comes from.")
    mode: str = strawberry.field(
        description="live or finished.", deprecation_reason="Use `runMode`: the same, as an enum."
    )
    run_mode: RunMode = strawberry.field(description="A live twin or a finished run.")
    speed: float = strawberry.field(description="Simulated seconds per wall second (live).")
    sim_time: datetime = strawberry.field(description="The twin's clock now (simulated time).")
    duration_seconds: float = strawberry.field(
        description="The trading day's length in simulated seconds, as the scenario sets it."
    )
    finished: bool = strawberry.field(description="True once the day has run and drained.")
    digest: str | None = strawberry.field(
        description="The sealed run's fingerprint (same seed, same digest); null until sealed."
    )
    passed: bool | None = strawberry.field(
        description="The verdict: every SLA and invariant held; null until there is one."
    )

    @classmethod
    def from_domain(cls, run: dict[str, Any]) -> RunInfo:
        return cls(
            scenario=run["scenario"],
            seed=int(run["seed"]),
            mode=run["mode"],
            run_mode=RunMode(run["mode"]),
            speed=float(run["speed"]),
            sim_time=at(run["sim_time_s"]),
            duration_seconds=float(run["duration_s"]),
            finished=bool(run["finished"]),
            digest=run.get("digest"),
            passed=run.get("passed"),
        )


def _lag(row: dict[str, Any]) -> SyncLag:
    return SyncLag(
        scope=row["scope"],
        lag_scope=SyncLagScope(row["scope"]),
        name=row["name"],
        system=IntegrationSystem.from_domain(row["name"]),
        count=int(row["count"]),
        p50_seconds=row["p50"],
        p95_seconds=row["p95"],
        p99_seconds=row["p99"],
        max_seconds=row["max"],
    )


def _lane(lane: dict[str, Any]) -> Lane:
    return Lane(
        system=lane["system"],
        backend=IntegrationSystem.from_domain(lane["system"]),
        queue_depth=lane["queue_depth"],
        breaker=BreakerState(lane["breaker"]),
        breaker_opens=lane["breaker_opens"],
    )


def _dead_letter(letter: dict[str, Any]) -> DeadLetter:
    return DeadLetter(
        kind=letter["kind"],
        category=DeadLetterCategory(letter["kind"]),
        key=letter["key"],
        reason=letter["reason"],
        at=at(letter["at"]),
    )


@strawberry.type(
    description=(
        "The integration's health now. Over an external hub, whose insides the twin cannot "
        "read, the hub's own figures (lanes, dead letters, parked events, pending feed, "
        "reconciliation, duplicates) show as empty or zero."
    )
)
class Operations:
    sim_time: datetime = strawberry.field(description="The moment these figures are from.")
    run: RunInfo = strawberry.field(description="The run being served.")
    lanes: list[Lane] = strawberry.field(description="The hub's lane to each backend.")
    dead_letters: DeadLetters = strawberry.field(description="The dead-letter queue.")
    sync_lag: list[SyncLag] = strawberry.field(
        description="Lag per source system, then per channel."
    )
    reconciliation: Reconciliation = strawberry.field(description="Stock reconciliation so far.")
    parked_events: int = strawberry.field(
        description="Facts about orders or returns the hub has not seen yet, held back."
    )
    feed_pending_changes: int = strawberry.field(
        description="Stock positions changed but not yet sent to the channels' feeds."
    )
    erp_backlog: int = strawberry.field(description="Requests waiting inside the ERP.")
    duplicates_absorbed: int = strawberry.field(
        description="Messages delivered twice that the hub recognized and ignored."
    )
    faults: list[Fault] = strawberry.field(
        description="Every fault started so far, in force or over."
    )
    sla: SlaReport = strawberry.field(description="The SLAs and invariants, so far or final.")
    counters: list[Counter] = strawberry.field(
        description="The hub's counts; over an external hub, what crossed its boundary."
    )
    credentials: list[BackendCredential] = strawberry.field(
        description=(
            "Every backend whose API wants an access token this run, from its token "
            "endpoint's and its API's records (over an external hub too); empty when none "
            "does."
        )
    )

    @classmethod
    def from_domain(cls, ops: dict[str, Any], run: dict[str, Any]) -> Operations:
        """A hub judged from the systems' records alone (an external one) has no lanes,
        dead letters, parked events, pending feed or reconciliation the twin can read:
        its document holds None for them, shown here as empty or zero because these
        fields are not nullable (the schema's next revision says "unknown" instead)."""
        letters = ops["dead_letters"] or _NO_DEAD_LETTERS
        rec = ops["reconciliation"] or _NO_RECONCILIATION
        return cls(
            sim_time=at(ops["sim_time_s"]),
            run=RunInfo.from_domain(run),
            lanes=[_lane(lane) for lane in ops["lanes"] or ()],
            dead_letters=DeadLetters(
                depth=letters["depth"],
                total=letters["total"],
                replayed=letters["replayed"],
                items=[_dead_letter(d) for d in letters["items"]],
            ),
            sync_lag=[_lag(row) for row in ops["sync_lag"]],
            reconciliation=Reconciliation(
                runs=rec["runs"],
                drift_corrected=rec["drift_corrected"],
                last_drift=rec["last_drift"],
            ),
            parked_events=ops["parked_events"] or 0,
            feed_pending_changes=ops["feed_pending_changes"] or 0,
            erp_backlog=ops["erp_backlog"],
            duplicates_absorbed=ops["duplicates_absorbed"] or 0,
            faults=[Fault.from_domain(f) for f in ops["faults"]],
            sla=sla_report(ops["sla"]),
            counters=[Counter(name=k, value=int(v)) for k, v in (ops["counters"] or {}).items()],
            credentials=credentials(ops),
        )
