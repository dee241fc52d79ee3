"""The run's service levels: each SLA against its threshold, the checker's invariants,
and the breach a live twin pushes when an SLA stops being met.

Read from the SLA report of the operations snapshot (scenarios/checking/operations.py):
the verdict's for a finished run, the metrics so far for a live one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from graph.types.operations_kinds import SlaThresholdType
from graph.types.time import at

_BOUND_HELP = "max: value must not exceed; min: not fall below."
_BOUND_DEPRECATION = "Use `thresholdType`: the same, as an enum."


@strawberry.type(description="One SLA of the scenario, measured against its threshold.")
class SlaResult:
    name: str = strawberry.field(
        description="The SLA as the scenario file keys it; the checker adds SLAs, so a string."
    )
    value: float | None = strawberry.field(
        description="The measured value, in the SLA's unit; null when not measurable."
    )
    threshold: float = strawberry.field(description="The limit the scenario sets.")
    bound: str = strawberry.field(description=_BOUND_HELP, deprecation_reason=_BOUND_DEPRECATION)
    threshold_type: SlaThresholdType = strawberry.field(
        description="Whether `threshold` is a maximum or a minimum."
    )
    passed: bool = strawberry.field(description="True while the value is on the right side.")


@strawberry.type(description="One of the checker's invariants over a finished run.")
class InvariantResult:
    name: str = strawberry.field(
        description="The invariant (`no_lost_order`); the checker adds invariants, so a string."
    )
    passed: bool = strawberry.field(description="True when no violation was found.")
    detail: str = strawberry.field(description="What was found, in words for a person.")
    violations: int = strawberry.field(description="How many violations were found.")


@strawberry.type(
    description=(
        "The run's SLA report. While a live run is still going (`final: false`) the SLA "
        "values are the metrics so far and the invariants are pending."
    )
)
class SlaReport:
    final: bool = strawberry.field(description="True once it is the finished run's verdict.")
    passed: bool | None = strawberry.field(
        description="Every SLA and invariant held; null until `final`."
    )
    results: list[SlaResult] = strawberry.field(description="Each SLA of the scenario.")
    invariants: list[InvariantResult] = strawberry.field(
        description="Each invariant; empty until `final`."
    )


def _result(r: dict[str, Any]) -> SlaResult:
    return SlaResult(
        name=r["name"],
        value=r["value"],
        threshold=r["threshold"],
        bound=r["bound"],
        threshold_type=SlaThresholdType(r["bound"]),
        passed=r["passed"],
    )


def sla_report(sla: dict[str, Any]) -> SlaReport:
    return SlaReport(
        final=bool(sla["final"]),
        passed=sla["passed"],
        results=[_result(r) for r in sla["results"]],
        invariants=[
            InvariantResult(
                name=i["name"], passed=i["passed"], detail=i["detail"], violations=i["violations"]
            )
            for i in sla["invariants"]
        ],
    )


@strawberry.type(description="An SLA that was met and is not any more.")
class SlaBreach:
    name: str = strawberry.field(description="The SLA's name in the scenario file.")
    value: float | None = strawberry.field(
        description="The value that broke it, in the SLA's unit; null when not measurable."
    )
    threshold: float = strawberry.field(description="The limit the scenario sets.")
    bound: str = strawberry.field(description=_BOUND_HELP, deprecation_reason=_BOUND_DEPRECATION)
    threshold_type: SlaThresholdType = strawberry.field(
        description="Whether `threshold` is a maximum or a minimum."
    )
    at: datetime = strawberry.field(description="When it broke (simulated time).")

    @classmethod
    def from_domain(cls, breach: dict[str, Any]) -> SlaBreach:
        return cls(
            name=breach["name"],
            value=breach["value"],
            threshold=breach["threshold"],
            bound=breach["bound"],
            threshold_type=SlaThresholdType(breach["bound"]),
            at=at(breach["at"]),
        )
