"""Operations: the snapshot, the operator mutations, slaBreached and operationsUpdated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import strawberry

from graph.context import GraphInfo
from graph.control import FaultRequest
from graph.errors import BadInput, ensure_live
from graph.events import OPERATIONS_TOPIC
from graph.idempotency import once
from graph.types.common import UserError
from graph.types.inputs import DeadLettersReplayInput, FaultInjectInput
from graph.types.operations import Fault, Operations, SlaBreach
from graph.types.payloads import MutationPayload


@strawberry.type(description="What `faultInject` did: the fault, or why not.")
class FaultInjectPayload(MutationPayload):
    fault: Fault | None = strawberry.field(
        description="The fault started or ended; null when refused."
    )


@strawberry.type(description="What `deadLettersReplay` did: how many went back to work.")
class DeadLettersReplayPayload(MutationPayload):
    replayed_count: int | None = strawberry.field(
        description="Dead letters put back to work (calls and inbound messages); null if refused."
    )
    dead_letter_depth: int | None = strawberry.field(
        description="Dead letters still queued after it (exports stay); null if refused."
    )


async def operations(info: GraphInfo) -> Operations | None:
    read_model = info.context.read_model
    ops = await read_model.document("operations")
    run = await read_model.document("run")
    if ops is None or run is None:
        return None
    return Operations.from_domain(ops, run)


async def inject_fault(info: GraphInfo, data: FaultInjectInput) -> FaultInjectPayload:
    if data.duration_seconds is not None and not data.duration_seconds > 0:
        # a fault of no length would never end: the twin ends a fault after its
        # duration, and a duration of 0 reads as none
        raise BadInput(
            f"durationSeconds: expected more than 0 simulated seconds, got "
            f"{data.duration_seconds:g}; leave it out for a fault that lasts until an END",
            argument="input.durationSeconds",
        )
    request = FaultRequest(
        action=data.action.value,
        target=data.target,
        kind=data.kind,
        rate=data.rate,
        duration_s=data.duration_seconds,
        fault_id=data.fault_id,
    )
    control = info.context.control
    outcome = await once(
        info,
        "faultInject",
        data.idempotency_key,
        {
            "action": request.action,
            "target": request.target,
            "kind": request.kind,
            "rate": request.rate,
            "duration_s": request.duration_s,
            "fault_id": request.fault_id,
        },
        lambda key: control.inject_fault(request, key),
    )
    fault: dict[str, Any] | None = outcome.data.get("fault")
    return FaultInjectPayload(
        fault=None if fault is None else Fault.from_domain(fault),
        user_errors=UserError.all_of(outcome),
    )


async def replay_dead_letters(
    info: GraphInfo, data: DeadLettersReplayInput
) -> DeadLettersReplayPayload:
    control = info.context.control
    outcome = await once(
        info, "deadLettersReplay", data.idempotency_key, {}, control.replay_dead_letters
    )
    return DeadLettersReplayPayload(
        replayed_count=outcome.data.get("replayed"),
        dead_letter_depth=outcome.data.get("depth"),
        user_errors=UserError.all_of(outcome),
    )


async def sla_breaches(info: GraphInfo) -> AsyncIterator[SlaBreach]:
    ensure_live(info.context.control.read_only)
    async for breach in info.context.events.subscribe("sla"):
        yield SlaBreach.from_domain(breach)


async def operations_updates(info: GraphInfo) -> AsyncIterator[Operations]:
    """The operations figures each time the live twin projects a new snapshot. A
    finished run never projects again, so it is refused at once (`ensure_live`), like
    every subscription there."""
    ensure_live(info.context.control.read_only)
    async for _ in info.context.events.subscribe(OPERATIONS_TOPIC):
        snapshot = await operations(info)
        if snapshot is not None:
            yield snapshot
