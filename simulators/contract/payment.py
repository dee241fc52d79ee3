"""The payment gateway's contract: authorise, capture, refund, void.

The gateway honours idempotency keys, as real gateways do: a request whose
`idempotency_key` it has seen before (for any operation) is answered with the first
answer again and moves no money. A request without one is taken at face value, so a
retry after a timeout can charge or refund twice. The checker credits captures to the
authorisation's `reference` and refunds to theirs, so those references are contract.
"""

from __future__ import annotations

from simulators.contract.common import ERROR, bad_request, unavailable
from simulators.contract.schema import Schema, const, integer, nullable, obj, string
from simulators.contract.tables import Answer, Operation, System

__all__ = ["SYSTEM"]

_AUTHORIZATION = string("The authorisation's id (`auth_...`).")
_AMOUNT = integer("Cents.", minimum=0)
_KEY = nullable(
    string(
        "The idempotency key, per operation: the same key again on the same operation gets "
        "the first answer again and moves no money. Null or absent: no protection."
    )
)
_MOVEMENT = obj("A money movement.", {"id": string("Its id.")}, title="PaymentMovement")
_NO_AUTHORIZATION = Answer(404, "No authorisation has that id (`no_such_authorization`).", ERROR)


def _request(description: str, required: dict[str, Schema]) -> Schema:
    return obj(description, required, {"idempotency_key": _KEY})


_OPERATIONS = {
    "authorize": Operation(
        "Hold money on the customer's card",
        "An authorisation expires after the gateway's `auth_ttl`: a capture after that "
        "is refused, so slow fulfilment costs a re-authorisation.",
        _request(
            "An authorisation.",
            {
                "reference": string(
                    "The channel's order reference: the checker credits the captures of "
                    "this authorisation to that order.",
                    min_length=1,
                ),
                "amount": _AMOUNT,
            },
        ),
        (
            Answer(
                200,
                "Authorised.",
                obj(
                    "An authorisation.",
                    {"id": _AUTHORIZATION, "status": const("authorized")},
                    title="PaymentAuthorization",
                ),
            ),
            Answer(402, "Declined (`card_declined`).", ERROR),
        ),
        {"reference": "W-0000001", "amount": 17996, "idempotency_key": "auth:W-0000001"},
    ),
    "capture": Operation(
        "Take authorised money",
        "Up to what the authorisation still holds.",
        _request("A capture.", {"authorization": _AUTHORIZATION, "amount": _AMOUNT}),
        (
            Answer(200, "Captured.", _MOVEMENT),
            Answer(
                402,
                "The authorisation expired (`authorization_expired`) or holds less "
                "(`amount_exceeds_authorization`).",
                ERROR,
            ),
            _NO_AUTHORIZATION,
            Answer(409, "The authorisation was voided (`authorization_voided`).", ERROR),
        ),
        {
            "authorization": "auth_000000001",
            "amount": 17996,
            "idempotency_key": "cap:W-0000001:SHP00000001:auth_000000001",
        },
    ),
    "refund": Operation(
        "Pay captured money back",
        "Up to what was captured and not yet refunded. The checker wants one refund per "
        "returned parcel, and none before its goods came back.",
        _request(
            "A refund.",
            {
                "authorization": _AUTHORIZATION,
                "amount": _AMOUNT,
                "reference": string(
                    "The return's id (RMA, marketplace returnId or till return txn): the "
                    "checker matches refunds to returns by it.",
                    min_length=1,
                ),
            },
        ),
        (
            Answer(200, "Refunded.", _MOVEMENT),
            Answer(402, "More than was captured (`amount_exceeds_captured`).", ERROR),
            _NO_AUTHORIZATION,
        ),
        {
            "authorization": "auth_000000018",
            "amount": 17996,
            "reference": "RMA-W-0000001",
            "idempotency_key": "refund:RMA-W-0000001",
        },
    ),
    "void": Operation(
        "Release an authorisation nothing was captured on",
        "The customer's money is freed.",
        _request("A void.", {"authorization": _AUTHORIZATION}),
        (
            Answer(200, "Voided; `id` is the authorisation's.", _MOVEMENT),
            _NO_AUTHORIZATION,
            Answer(409, "Money was captured on it (`already_captured`).", ERROR),
        ),
        {"authorization": "auth_000000206", "idempotency_key": "void:CC-0000083"},
    ),
}

SYSTEM = System(
    "payment",
    "Payment gateway",
    "A card gateway. It commits a request as it takes it and answers after its service "
    "time, which a `slow` fault stretches past a caller's timeout; an answer can also be "
    "lost (`backends.payment.lost_response_rate`). Either way the work was done: the "
    "idempotency key is what makes the retry safe. A key seen before, for any "
    "operation, gets the first answer again (whatever its status) and moves no money.",
    _OPERATIONS,
    (bad_request("gateway"), unavailable("gateway")),
)
