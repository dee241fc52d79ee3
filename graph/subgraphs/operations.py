"""The operations subgraph: the integration's health (`operations`, and
`operationsUpdated` as it moves), the operator's mutations (`faultInject`,
`deadLettersReplay`) and `slaBreached`. It owns no entity."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from graph.auth import OperatorOnly
from graph.context import GraphInfo
from graph.resolvers import operations as resolve
from graph.resolvers.operations import DeadLettersReplayPayload, FaultInjectPayload
from graph.subgraphs.roots import ROOT_HELP, RootTypes
from graph.types.inputs import DeadLettersReplayInput, FaultInjectInput
from graph.types.operations import Operations, SlaBreach


@strawberry.type(description=ROOT_HELP["Query"])
class Query:
    @strawberry.field(
        description="Sync lag, queues, breakers, drift, faults and the SLA "
        "report. Null before the first snapshot."
    )
    async def operations(self, info: GraphInfo) -> Operations | None:
        return await resolve.operations(info)


@strawberry.type(description=ROOT_HELP["Mutation"])
class Mutation:
    @strawberry.mutation(
        permission_classes=[OperatorOnly],
        description="Operator only: start or end a fault in the live twin.",
    )
    async def fault_inject(
        self,
        info: GraphInfo,
        input: Annotated[
            FaultInjectInput, strawberry.argument(description="The fault to start or end.")
        ],
    ) -> FaultInjectPayload:
        return await resolve.inject_fault(info, input)

    @strawberry.mutation(
        permission_classes=[OperatorOnly],
        description="Operator only: retry every dead-lettered call and message.",
    )
    async def dead_letters_replay(
        self,
        info: GraphInfo,
        input: Annotated[
            DeadLettersReplayInput, strawberry.argument(description="The replay's idempotency key.")
        ],
    ) -> DeadLettersReplayPayload:
        return await resolve.replay_dead_letters(info, input)


@strawberry.type(description=ROOT_HELP["Subscription"])
class Subscription:
    @strawberry.subscription(description="An SLA that was met and is not any more.")
    async def sla_breached(self, info: GraphInfo) -> AsyncGenerator[SlaBreach, None]:
        async for breach in resolve.sla_breaches(info):
            yield breach

    @strawberry.subscription(
        description=(
            "The operations figures (as the `operations` query gives them) each time the "
            "live twin projects a new snapshot: about every tick of the simulated clock. "
            "When the day ends the last snapshot (run.finished true) is the last push. "
            "Refused on a finished run (`serve --db`), which never changes."
        )
    )
    async def operations_updated(self, info: GraphInfo) -> AsyncGenerator[Operations, None]:
        async for snapshot in resolve.operations_updates(info):
            yield snapshot


ROOTS = RootTypes(query=Query, mutation=Mutation, subscription=Subscription)
