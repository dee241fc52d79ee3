"""The payment gateway: authorise at order time, capture on shipment or collection,
refund after a return, void on cancellation. With idempotency on, every money movement
carries an idempotency key, so a retry after a timeout cannot move money twice."""

from __future__ import annotations

SYSTEM = "payment"


def authorize(order_id: str, amount_cents: int, key: str | None) -> dict[str, object]:
    return {"reference": order_id, "amount": amount_cents, "idempotency_key": key}


def capture(auth_id: str, amount_cents: int, key: str | None) -> dict[str, object]:
    return {"authorization": auth_id, "amount": amount_cents, "idempotency_key": key}


def refund(auth_id: str, amount_cents: int, reference: str, key: str | None) -> dict[str, object]:
    return {
        "authorization": auth_id,
        "amount": amount_cents,
        "reference": reference,
        "idempotency_key": key,
    }


def void(auth_id: str, key: str | None) -> dict[str, object]:
    return {"authorization": auth_id, "idempotency_key": key}
