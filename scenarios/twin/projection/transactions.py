"""An order's payment transactions, as the payment gateway logged them.

Shopify's `Order.transactions` are the gateway's: each authorisation, capture, refund and
void it made, and each request it refused, with its amount and time. The hub keeps only
where an order's money stands now (its `PaymentState`), not when each step happened, so
for either kind of hub (built-in or external) the transactions come from the gateway's
own records, which the cross-system view reads already. An order a settling
marketplace collects never meets the gateway: its transactions are the marketplace
payments desk's charge of the buyer (a SALE, for what shipped) and its refunds.
"""

from __future__ import annotations

from dataclasses import replace

from hub.adapters.read_model.records import (
    TransactionKind,
    TransactionRecord,
    TransactionStatus,
)
from scenarios.twin.projection.cross_system import GatewayIndex
from simulators.payment import Refusal

#: the gateway's operation names as transaction kinds (an authorize is an AUTHORIZATION)
_KIND_OF_OPERATION = {
    "authorize": TransactionKind.AUTHORIZATION,
    "capture": TransactionKind.CAPTURE,
    "refund": TransactionKind.REFUND,
    "void": TransactionKind.VOID,
    "sale": TransactionKind.SALE,
    "desk_refund": TransactionKind.REFUND,
}


def order_transactions(order_id: str, index: GatewayIndex) -> list[TransactionRecord]:
    """Every transaction about `order_id`, oldest first (ties in the gateway's order)."""
    made: list[TransactionRecord] = []
    auths = index.auths_by_reference.get(order_id, [])
    refusals: list[Refusal] = list(index.refusals_by_key.get(order_id, []))
    for auth in auths:
        made.append(
            _made(order_id, auth.auth_id, "authorize", auth.amount, auth.created_at, auth.auth_id)
        )
        for operation, movement in index.movements_by_auth.get(auth.auth_id, []):
            made.append(
                _made(
                    order_id,
                    movement.movement_id,
                    operation,
                    movement.amount,
                    movement.at,
                    auth.auth_id,
                )
            )
        refusals += index.refusals_by_key.get(auth.auth_id, [])
    for operation, movement in index.desk_movements_by_order.get(order_id, []):
        made.append(
            _made(order_id, movement.movement_id, operation, movement.amount, movement.at, "")
        )
    made += [
        TransactionRecord(
            order_id,
            0,
            "",
            _KIND_OF_OPERATION[refusal.operation].value,
            TransactionStatus.FAILURE.value,
            refusal.amount,
            refusal.at,
            refusal.auth_id,
            refusal.error,
        )
        for refusal in refusals
    ]
    # a stable sort: at the same moment, the order they were gathered in
    made.sort(key=lambda transaction: transaction.processed_at)
    return [replace(transaction, seq=seq) for seq, transaction in enumerate(made)]


def _made(
    order_id: str, transaction_id: str, operation: str, amount: int, at: float, auth_id: str
) -> TransactionRecord:
    return TransactionRecord(
        order_id,
        0,
        transaction_id,
        _KIND_OF_OPERATION[operation].value,
        TransactionStatus.SUCCESS.value,
        amount,
        at,
        auth_id,
        "",
    )
