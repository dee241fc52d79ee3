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

from hub.adapters.read_model.records import (
    TransactionKind,
    TransactionRow,
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


#: a transaction's fields after its order id and sequence number, in the record's order:
#: (transaction id, kind, status, amount, processed at, authorisation id, error)
_Fields = tuple[str, str, str, int, float, str, str]


def order_transactions(order_id: str, index: GatewayIndex) -> list[TransactionRow]:
    """Every transaction about `order_id`, oldest first (ties in the gateway's order),
    as rows (`TransactionRow`: the stores bind them as they are).
    Each order's transactions are rebuilt whenever its view is, every order once for a
    finished run."""
    made: list[_Fields] = []
    auths = index.auths_by_reference.get(order_id, [])
    refusals: list[Refusal] = list(index.refusals_by_key.get(order_id, []))
    for auth in auths:
        made.append(_made(auth.auth_id, "authorize", auth.amount, auth.created_at, auth.auth_id))
        for operation, movement in index.movements_by_auth.get(auth.auth_id, []):
            made.append(
                _made(movement.movement_id, operation, movement.amount, movement.at, auth.auth_id)
            )
        refusals += index.refusals_by_key.get(auth.auth_id, [])
    for operation, movement in index.desk_movements_by_order.get(order_id, []):
        made.append(_made(movement.movement_id, operation, movement.amount, movement.at, ""))
    made += [
        (
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
    made.sort(key=_processed_at)
    return [(order_id, seq, *fields) for seq, fields in enumerate(made)]


def _processed_at(fields: _Fields) -> float:
    return fields[4]


def _made(transaction_id: str, operation: str, amount: int, at: float, auth_id: str) -> _Fields:
    return (
        transaction_id,
        _KIND_OF_OPERATION[operation].value,
        TransactionStatus.SUCCESS.value,
        amount,
        at,
        auth_id,
        "",
    )
