"""An order's payment transactions, as the payment gateway logged them.

Shopify's `Order.transactions` are the gateway's: each authorisation, capture, refund and
void it made, and each request it refused, with its amount and time. The hub keeps only
where an order's money stands now (its `PaymentState`), not when each step happened, so
for either kind of hub (built-in or external) the transactions come from the gateway's
own records, which the cross-system view reads already.
"""

from __future__ import annotations

from hub.adapters.read_model.records import (
    TransactionKind,
    TransactionRecord,
    TransactionStatus,
)
from scenarios.twin.projection.cross_system import GatewayIndex


def order_transactions(order_id: str, index: GatewayIndex) -> list[TransactionRecord]:
    """Every transaction about `order_id`, oldest first (ties in the gateway's order)."""
    steps: list[tuple[float, int, str, TransactionKind, TransactionStatus, int, str, str]] = []
    auths = index.auths_by_reference.get(order_id, [])
    for auth in auths:
        steps.append(
            (
                auth.created_at,
                len(steps),
                auth.auth_id,
                TransactionKind.AUTHORIZATION,
                TransactionStatus.SUCCESS,
                auth.amount,
                auth.auth_id,
                "",
            )
        )
        for kind, movement in index.movements_by_auth.get(auth.auth_id, []):
            steps.append(
                (
                    movement.at,
                    len(steps),
                    movement.movement_id,
                    TransactionKind(kind),
                    TransactionStatus.SUCCESS,
                    movement.amount,
                    auth.auth_id,
                    "",
                )
            )
    refusals = [*index.refusals_by_key.get(order_id, [])]
    for auth in auths:
        refusals += index.refusals_by_key.get(auth.auth_id, [])
    for refusal in refusals:
        kind = (
            TransactionKind.AUTHORIZATION
            if refusal.operation == "authorize"
            else TransactionKind(refusal.operation)
        )
        steps.append(
            (
                refusal.at,
                len(steps),
                "",
                kind,
                TransactionStatus.FAILURE,
                refusal.amount,
                refusal.auth_id,
                refusal.error,
            )
        )
    steps.sort(key=lambda step: (step[0], step[1]))
    return [
        TransactionRecord(order_id, seq, tid, kind.value, status.value, amount, at, auth_id, error)
        for seq, (at, _, tid, kind, status, amount, auth_id, error) in enumerate(steps)
    ]
