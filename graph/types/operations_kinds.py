"""The fixed sets the operations view reports in, as GraphQL enums.

Each member's value is the word the operations snapshot stores (scenarios/checking/
operations.py writes it), so a converter looks it up by value; the string fields that
carried those words stay, deprecated, beside the enum fields that replace them.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.types.enum_values import enum_value


@strawberry.enum(description="A circuit breaker's state: whether the hub calls the backend.")
class BreakerState(Enum):
    CLOSED = enum_value("closed", description="Calls flow: the backend answers.")
    OPEN = enum_value(
        "open", description="Calls are held back after repeated failures; they wait in the lane."
    )
    HALF_OPEN = enum_value(
        "half_open", description="One probe call is out to see whether the backend is back."
    )


@strawberry.enum(description="Whether the API serves a twin still running or a finished run.")
class RunMode(Enum):
    LIVE = enum_value(
        "live", description="A live twin (`retailtwin serve`): the day moves, mutations work."
    )
    FINISHED = enum_value(
        "finished", description="A finished run's read model (`serve --db`): read only."
    )


@strawberry.enum(description="What a sync lag measures the time between.")
class SyncLagScope(Enum):
    SOURCE = enum_value(
        "source",
        description="A fact at a backend (WMS, a till, a channel) to the hub receiving it.",
    )
    CHANNEL = enum_value(
        "channel", description="A stock change at its source to that channel's view of it."
    )


@strawberry.enum(description="Which side of its threshold an SLA's value must stay on.")
class SlaThresholdType(Enum):
    MAXIMUM = enum_value(
        "max", description="The value must not exceed the threshold (a lag, a depth)."
    )
    MINIMUM = enum_value("min", description="The value must not fall below the threshold (a rate).")


@strawberry.enum(description="Who started a fault.")
class FaultOrigin(Enum):
    SCENARIO = enum_value("scenario", description="The scenario's fault schedule.")
    API = enum_value("api", description="An operator, with the `faultInject` mutation.")


@strawberry.enum(description="What the hub could not complete, and so dead-lettered.")
class DeadLetterCategory(Enum):
    CALL = enum_value("call", description="A call to a backend whose retries ran out; replayable.")
    INBOUND = enum_value(
        "inbound", description="A message from a system the hub could not handle; replayable."
    )
    SNAPSHOT = enum_value(
        "snapshot", description="A stock export the hub could not read; not replayable."
    )
