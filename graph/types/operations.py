"""The operations view: the integration's health now, for the people who run it.

Read from the operations snapshot the run or the live projector writes (see
scenarios/checking/operations.py for what each number means).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from graph.types.faults import FaultKind
from graph.types.time import at, maybe_at

#: what an external hub's unreadable state is shown as (see `Operations.from_domain`)
_NO_DEAD_LETTERS: dict[str, Any] = {"depth": 0, "total": 0, "replayed": 0, "items": []}
_NO_RECONCILIATION: dict[str, Any] = {"runs": 0, "drift_corrected": 0, "last_drift": 0}


@strawberry.enum
class BreakerState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@strawberry.type(description="The hub's connection to one backend: its queue and breaker.")
class Lane:
    system: str
    queue_depth: int
    breaker: BreakerState
    breaker_opens: int


@strawberry.type
class DeadLetter:
    kind: str
    key: str
    reason: str
    at: datetime


@strawberry.type
class DeadLetters:
    depth: int
    total: int = strawberry.field(description="Ever dead-lettered in this run.")
    replayed: int
    items: list[DeadLetter] = strawberry.field(description="The oldest 50.")


@strawberry.type(
    description=(
        "Lag percentiles: scope `source` is a fact at a backend (WMS, a till, a channel) to the "
        "hub receiving it; scope `channel` is a stock change at its source to that channel's "
        "view."
    )
)
class SyncLag:
    scope: str
    name: str
    count: int
    p50_seconds: float | None
    p95_seconds: float | None
    p99_seconds: float | None
    max_seconds: float | None


@strawberry.type
class Reconciliation:
    runs: int
    drift_corrected: int
    last_drift: int


@strawberry.type
class SlaResult:
    name: str
    value: float | None
    threshold: float
    bound: str = strawberry.field(description="max: value must not exceed; min: not fall below.")
    passed: bool


@strawberry.type
class InvariantResult:
    name: str
    passed: bool
    detail: str
    violations: int


@strawberry.type(
    description=(
        "The run's SLA report. While a live run is still going (`final: false`) the SLA "
        "values are the metrics so far and the invariants are pending."
    )
)
class SlaReport:
    final: bool
    passed: bool | None
    results: list[SlaResult]
    invariants: list[InvariantResult]


@strawberry.type
class Fault:
    id: strawberry.ID
    target: str
    kind: FaultKind
    rate: float
    active: bool
    started_at: datetime
    ended_at: datetime | None
    origin: str = strawberry.field(description="scenario (its fault schedule) or api.")

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
        )


@strawberry.type
class Counter:
    name: str
    value: int


@strawberry.type
class RunInfo:
    scenario: str
    seed: int
    mode: str = strawberry.field(description="live or finished.")
    speed: float = strawberry.field(description="Simulated seconds per wall second (live).")
    sim_time: datetime
    duration_seconds: float
    finished: bool
    digest: str | None
    passed: bool | None

    @classmethod
    def from_domain(cls, run: dict[str, Any]) -> RunInfo:
        return cls(
            scenario=run["scenario"],
            seed=int(run["seed"]),
            mode=run["mode"],
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
        name=row["name"],
        count=int(row["count"]),
        p50_seconds=row["p50"],
        p95_seconds=row["p95"],
        p99_seconds=row["p99"],
        max_seconds=row["max"],
    )


def sla_report(sla: dict[str, Any]) -> SlaReport:
    return SlaReport(
        final=bool(sla["final"]),
        passed=sla["passed"],
        results=[
            SlaResult(
                name=r["name"],
                value=r["value"],
                threshold=r["threshold"],
                bound=r["bound"],
                passed=r["passed"],
            )
            for r in sla["results"]
        ],
        invariants=[
            InvariantResult(
                name=i["name"], passed=i["passed"], detail=i["detail"], violations=i["violations"]
            )
            for i in sla["invariants"]
        ],
    )


@strawberry.type
class Operations:
    sim_time: datetime
    run: RunInfo
    lanes: list[Lane]
    dead_letters: DeadLetters
    sync_lag: list[SyncLag]
    reconciliation: Reconciliation
    parked_events: int = strawberry.field(
        description="Facts about orders or returns the hub has not seen yet, held back."
    )
    feed_pending_changes: int
    erp_backlog: int = strawberry.field(description="Requests waiting inside the ERP.")
    duplicates_absorbed: int
    faults: list[Fault]
    sla: SlaReport
    counters: list[Counter]

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
            lanes=[
                Lane(
                    system=lane["system"],
                    queue_depth=lane["queue_depth"],
                    breaker=BreakerState(lane["breaker"]),
                    breaker_opens=lane["breaker_opens"],
                )
                for lane in ops["lanes"] or ()
            ],
            dead_letters=DeadLetters(
                depth=letters["depth"],
                total=letters["total"],
                replayed=letters["replayed"],
                items=[
                    DeadLetter(kind=d["kind"], key=d["key"], reason=d["reason"], at=at(d["at"]))
                    for d in letters["items"]
                ],
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
        )


@strawberry.type(description="An SLA that was met and is not any more.")
class SlaBreach:
    name: str
    value: float | None
    threshold: float
    bound: str
    at: datetime
