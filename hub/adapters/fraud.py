"""The fraud screen: an authorised order out for a score, the analysts' decisions on the
orders it held back in.

The screen answers the same reference with its first answer again, so a retry after a
timeout opens no second case: no idempotency key is needed.
"""

from __future__ import annotations

from hub.adapters.errors import MalformedPayload
from hub.messages import InboundEvent, ReviewDecided
from hub.model.order import Order
from hub.ports import Body

SYSTEM = SOURCE = "fraud"
#: the screen's answer that holds an order for an analyst
REVIEW = "review"


def screen(order: Order, amount_cents: int) -> dict[str, object]:
    return {
        "reference": order.order_id,
        "customer": order.customer_id,
        "channel": order.channel,
        "amount_cents": amount_cents,
    }


def held_for_review(body: Body) -> bool:
    return body.get("decision") == REVIEW


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("type")
    if kind != "review.decided":
        raise MalformedPayload(f"fraud: unknown message type {kind!r}")
    decision = payload["decision"]
    if decision not in ("approve", "reject"):
        raise MalformedPayload(f"fraud: unknown decision {decision!r}")
    return ReviewDecided(
        str(payload["reference"]),
        str(payload["case_id"]),
        decision == "approve",
        float(payload["decided_at"]),
    )
