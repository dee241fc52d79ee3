"""Pieces every system's contract shares: simulated time, identifiers, the error bodies
and the failure answers backends give whatever the operation.

Why shared: a hub's retry logic reads a 429 or a 503 the same way from every backend,
so there is one `Throttled` and one `Error` body in the document, not five lookalikes.
"""

from __future__ import annotations

from simulators.contract.schema import Schema, integer, number, obj, string
from simulators.contract.tables import Answer

__all__ = [
    "ERROR",
    "QUANTITY",
    "SIM_TIME",
    "SIM_TIME_CEILING_S",
    "THROTTLED",
    "bad_request",
    "sim_time",
    "throttled",
    "unavailable",
]


#: the latest moment a sim time may name: far past any run (a scenario lasts at most 14
#: days and drains at most 7), and finite, so a whole number past what a float holds
#: (`1e400` written out, which JSON Schema's number admits and Python reads exactly) is
#: refused at the face, not raised on where a channel reads the time as a float
SIM_TIME_CEILING_S = 1e9


def sim_time(description: str) -> Schema:
    """A moment of the run: simulated seconds since its start (never wall time)."""
    return number(
        f"{description} Simulated seconds since the run's start.",
        minimum=0,
        maximum=SIM_TIME_CEILING_S,
    )


SIM_TIME = sim_time("When it happened.")
#: units of one SKU on a line
QUANTITY = integer("Units.", minimum=0)

ERROR = obj(
    "A refusal or failure, in words.",
    {"error": string("What went wrong.")},
    title="Error",
)
THROTTLED = obj(
    "Too many requests: come back later. The same `retry_after_s` is in the headers: "
    "`X-Retailtwin-Retry-After-Sim-S` exactly and `Retry-After` in wall seconds, rounded up.",
    {
        "error": string("Why: `rate limit` (the API's token bucket) or a full work queue."),
        "retry_after_s": number(
            "Simulated seconds to wait before the next attempt is likely to be admitted.",
            minimum=0,
        ),
    },
    title="Throttled",
)


def bad_request(system: str) -> Answer:
    return Answer(
        400,
        f"The {system} could not read the request (a field of the wrong kind, or a value "
        "it does not know, such as a location that is not one of its own, or a SKU or "
        "plant its master data does not have).",
        ERROR,
    )


def throttled(why: str) -> Answer:
    return Answer(429, why, THROTTLED)


def unavailable(system: str) -> Answer:
    return Answer(
        503,
        f"The {system} is down (an outage or maintenance window of the scenario): nothing "
        "was done; try again later.",
        ERROR,
    )
