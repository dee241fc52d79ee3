"""What the twin's HTTP face adds to the simulators' own answers: its refusals of bodies
that never reach a simulator, the headers that carry a 429's wait in wall and simulated
time, the clock, and the headers every webhook delivery carries.

Why here and not in the face: the face is one occupant of the contract (a starlette app
in scenarios/), and the document must say what it answers without importing it.
"""

from __future__ import annotations

from typing import Any

from simulators.contract.common import ERROR, sim_time
from simulators.contract.schema import array, boolean, number, obj, string
from simulators.contract.tables import Answer

__all__ = [
    "ACCEPTED",
    "CLOCK",
    "PROBLEMS",
    "REFUSALS",
    "THROTTLE_HEADERS",
    "WEBHOOK_HEADERS",
    "unprocessable",
]

PROBLEMS = obj(
    "The body breaks the request schema: each problem names the field and what was expected.",
    {
        "error": string("What was refused."),
        "problems": array(string("`Field.path: what was expected`."), min_items=1),
    },
    title="Problems",
)
ACCEPTED = obj(
    "Handed to the channel (over its link: it arrives after the network's latency).",
    {"accepted": {"type": "boolean", "const": True}},
    title="Accepted",
)
CLOCK = obj(
    "The run's clock.",
    {
        "now_s": sim_time("Now."),
        "speed": number("Simulated seconds per wall second.", minimum=0),
        "end_s": sim_time("When the run ends."),
        "finished": boolean("Whether the run has ended."),
    },
    title="Clock",
)

#: the face's own refusals, before a body reaches a simulator or channel
REFUSALS = (
    Answer(400, "The body is not a JSON object.", ERROR),
    Answer(404, "No such system and operation (or channel and topic).", ERROR),
    Answer(422, "The body breaks the request schema; nothing reached the system.", PROBLEMS),
)


def unprocessable(what: str, problems: list[str]) -> dict[str, Any]:
    """The 422 body for `problems` with a request to `what` (`erp/create_sales_order`)."""
    return {"error": f"the body does not match {what}'s request schema", "problems": problems}


def _header(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "required": True, "schema": schema}


THROTTLE_HEADERS = {
    "Retry-After": _header(
        "Wall seconds to wait: the answer's `retry_after_s` at the run's speed, rounded up.",
        {"type": "integer", "minimum": 0},
    ),
    "X-Retailtwin-Retry-After-Sim-S": _header(
        "Simulated seconds to wait, exactly (the answer's `retry_after_s`).",
        {"type": "number", "minimum": 0},
    ),
}

#: every webhook delivery's headers, as OpenAPI header parameters
WEBHOOK_HEADERS = [
    {"name": name, "in": "header", **_header(description, schema)}
    for name, description, schema in (
        (
            "X-Message-Id",
            "The message's id: a decimal integer, unique within a run, the same on every "
            "redelivery and on the network's duplicates. Deduplicate on it.",
            {"type": "string", "pattern": "^[0-9]+$"},
        ),
        (
            "X-Correlation-Id",
            "The business key the message is about: an order ref, a return id, a till "
            "transaction, a receipt; the message id when it has none.",
            {"type": "string"},
        ),
        (
            "X-Retailtwin-Sim-Time",
            "Simulated seconds since the run's start at delivery.",
            {"type": "number", "minimum": 0},
        ),
        (
            "X-Retailtwin-Attempt",
            "Which delivery of this message this is: 1, then 2, 3, ... for the "
            "redeliveries that follow when it is not acknowledged.",
            {"type": "integer", "minimum": 1},
        ),
    )
]
