"""The fraud screen's contract: `screen` an authorised order, and the analysts'
`review.decided` messages about the orders it held.

The screen answers a reference with its first answer again, so a retry after a timeout
opens no second case. An order answered `review` must reach no warehouse and no store
until its decision comes; a rejected one must be cancelled with everything undone
(`holds_respected` in docs/invariants.md).
"""

from __future__ import annotations

from simulators.contract.common import bad_request, sim_time, unavailable
from simulators.contract.schema import const, integer, obj, string
from simulators.contract.tables import Answer, Message, Operation, Source, System

__all__ = ["SOURCE", "SYSTEM"]

_REFERENCE = string(
    "The channel's order reference: the checker matches the screen's cases and the "
    "warehouse's and stores' releases by it.",
    min_length=1,
)
_CASE = string("The review case (`case_...`).")

_OPERATIONS = {
    "screen": Operation(
        "Score an authorised order",
        "`accept`: release it. `review`: hold it; an analyst's decision follows as a "
        "`review.decided` message. The same reference again gets the first answer again.",
        obj(
            "An order to score.",
            {
                "reference": _REFERENCE,
                "amount_cents": integer("What was authorised, cents.", minimum=0),
            },
            {
                "customer": string("The customer."),
                "channel": string("The sales channel."),
            },
        ),
        (
            Answer(
                200,
                "Scored.",
                obj(
                    "The screen's answer.",
                    {
                        "reference": string("The order."),
                        "decision": string(
                            "`accept` (release it) or `review` (hold it for an analyst).",
                            enum=("accept", "review"),
                        ),
                    },
                    {"case_id": _CASE},
                    title="FraudScreening",
                ),
            ),
        ),
        {"reference": "W-0000001", "amount_cents": 17996, "customer": "C-000386", "channel": "web"},
    )
}

SYSTEM = System(
    "fraud",
    "Fraud screen",
    "A fraud service (as Signifyd, Riskified or Kount are) between payment and "
    "fulfilment. Only in an estate whose scenario has one (`backends.fraud.enabled`; "
    "`day.started` lists it in `topology.systems`). Its analysts work the held orders "
    "at their own pace; a `slow` fault stretches its answers and their reviews.",
    _OPERATIONS,
    (bad_request("fraud screen"), unavailable("fraud screen")),
)

SOURCE = Source(
    "fraud",
    "Fraud screen",
    "The analysts' decisions on held orders. Every message carries `type`.",
    "type",
    {
        "review.decided": Message(
            "An analyst decided a held order",
            obj(
                "Approve: release it. Reject: cancel it, void its authorisation, release "
                "its stock and cancel its ERP sales order.",
                {
                    "type": const("review.decided"),
                    "case_id": _CASE,
                    "reference": _REFERENCE,
                    "decision": string("`approve` or `reject`.", enum=("approve", "reject")),
                    "decided_at": sim_time("When the analyst decided."),
                },
                title="ReviewDecided",
            ),
            "reference",
            {
                "type": "review.decided",
                "case_id": "case_0000001",
                "reference": "W-0000001",
                "decision": "approve",
                "decided_at": 1200.0,
            },
        )
    },
)
