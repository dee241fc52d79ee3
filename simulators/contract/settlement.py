"""The contract of a settling marketplace: the ERP posting a payout is booked with, the
marketplace's own operations for a seller whose buyers it charges, and its settlement
report. Its own module so the ERP's and the marketplace's contracts stay small.
"""

from __future__ import annotations

from simulators.contract.common import ERROR, sim_time
from simulators.contract.erp_parts import JOURNAL, WRITE_NOTE, doc_ref, write_answers
from simulators.contract.schema import array, const, integer, obj, string
from simulators.contract.tables import Answer, Message, Operation
from simulators.settlement import LineType

_ORDER_ID = string("The marketplace's order id.")

#: a payout line's `type`, in the marketplace's words
LINE_TYPES = tuple(kind.value for kind in LineType)

POST_SETTLEMENT = Operation(
    "Book a marketplace payout, line by line",
    "A settling marketplace's payout (its `SETTLEMENT_POSTED` report): the deposit, "
    "and each line applied at your own figure for it. The checker holds every line "
    "of a booked payout to what it should have been (a line the report paid short "
    "is applied at the order's charge, the shortfall a claim on the marketplace), "
    "the receivable `1210-marketplace-receivable` to what the marketplace still "
    "owes, and counts the lines of payouts not booked as unreconciled." + WRITE_NOTE,
    obj(
        "A payout applied.",
        {
            "DocRef": doc_ref("It must be `PAY-{settlementId}`."),
            "SettlementId": string("The report's `settlementId`."),
            "DepositCents": integer("What the marketplace paid into the bank, cents."),
            "Lines": array(
                obj(
                    "One report line, applied.",
                    {
                        "LineId": string("The report line's `lineId`."),
                        "Type": string("The line's type.", enum=LINE_TYPES),
                        "Ref": string("The line's `mpOrderId`."),
                        "ReportedCents": integer("The report's amount, cents (signed)."),
                        "AppliedCents": integer(
                            "The amount applied, at your own figure, cents (signed)."
                        ),
                    },
                    title="ErpPayoutLine",
                ),
                "Every line of the report.",
            ),
            "Journal": JOURNAL,
        },
    ),
    write_answers(),
    {
        "DocRef": "PAY-STL-0001",
        "SettlementId": "STL-0001",
        "DepositCents": 4419,
        "Lines": [
            {
                "LineId": "STL-0001-00001",
                "Type": "ORDER",
                "Ref": "MP-0000001",
                "ReportedCents": 5199,
                "AppliedCents": 5199,
            },
            {
                "LineId": "STL-0001-00002",
                "Type": "FEE",
                "Ref": "MP-0000001",
                "ReportedCents": -780,
                "AppliedCents": -780,
            },
        ],
        "Journal": [
            {"account": "1000-cash", "dr": 4419, "cr": 0},
            {"account": "6100-marketplace-fees", "dr": 780, "cr": 0},
            {"account": "1210-marketplace-receivable", "dr": 0, "cr": 5199},
        ],
    },
)

_CHARGED = obj(
    "The charge.",
    {"id": string("The charge."), "chargedCents": integer("What was charged, cents.")},
    title="MarketplaceCharge",
)

CONFIRM_SHIPMENT = Operation(
    "Confirm what shipped, so the marketplace charges the buyer",
    "Only on a marketplace that collects its buyers' money (its orders carry "
    "`paymentCollectedBy: MARKETPLACE`; 404 otherwise): it charges the buyer "
    "`amountCents` (the goods that left and their tax), once per order; "
    "confirming again answers the first charge. The charge is paid over in a "
    "later settlement.",
    obj(
        "A shipment confirmed.",
        {
            "mpOrderId": _ORDER_ID,
            "amountCents": integer("What to charge, cents, tax included.", minimum=0),
        },
    ),
    (
        Answer(200, "Charged.", _CHARGED),
        Answer(404, "No such order, or payments are not collected here.", ERROR),
        Answer(422, "More than the order's total (`amount_exceeds_order_total`).", ERROR),
        Answer(400, "A field missing or of the wrong kind.", ERROR),
    ),
    {"mpOrderId": "MP-0000001", "amountCents": 6238},
)

REFUND_RETURN = Operation(
    "Refund a buyer for a return",
    "Only on a marketplace that collects its buyers' money (404 otherwise): it "
    "refunds the buyer once per `returnId` (again answers the first refund), never "
    "more than was charged, and deducts it from a later payout.",
    obj(
        "A refund.",
        {
            "mpOrderId": _ORDER_ID,
            "returnId": string("The return's id."),
            "amountCents": integer("What to refund, cents, tax included.", minimum=0),
        },
    ),
    (
        Answer(200, "Refunded.", obj("Refunded.", {"id": string("The refund.")})),
        Answer(404, "No such order, or payments are not collected here.", ERROR),
        Answer(409, "The order was never charged (`order_not_charged`).", ERROR),
        Answer(402, "More than is left of the charge (`amount_exceeds_charged`).", ERROR),
        Answer(400, "A field missing or of the wrong kind.", ERROR),
    ),
    {"mpOrderId": "MP-0000001", "returnId": "MPR-MP-0000001", "amountCents": 6238},
)


SETTLEMENT_POSTED = Message(
    "The marketplace paid out and reports why",
    obj(
        "A payout: what it collected for shipped orders since its last one, less "
        "its commission, refunds and chargebacks. It arrives after the money (late "
        "by `settlement_report_delay`), and a line may be paid short or an order paid "
        "twice: match every line to your own records and apply your figure (0 for an "
        "order or refund already paid over), then book it with the ERP's "
        "`post_settlement`.",
        {
            "event": const("SETTLEMENT_POSTED"),
            "settlementId": string("The payout's id."),
            "paidAt": sim_time("When the money was deposited."),
            "depositCents": integer("What was deposited: the sum of the lines, cents."),
            "lines": array(
                obj(
                    "One line, signed as the money moved to you.",
                    {
                        "lineId": string("The line's id."),
                        "type": string(
                            "`ORDER` pays an order's charge over, `FEE` deducts the "
                            "commission on it, `REFUND` a refund made, `CHARGEBACK` a "
                            "charge the buyer disputed.",
                            enum=LINE_TYPES,
                        ),
                        "mpOrderId": _ORDER_ID,
                        "amountCents": integer("The amount, cents (signed)."),
                    },
                    {"returnId": string("The return a `REFUND` line is for.")},
                ),
                "The lines.",
            ),
        },
        title="MarketplaceSettlementPosted",
    ),
    "settlementId",
    {
        "event": "SETTLEMENT_POSTED",
        "settlementId": "STL-0001",
        "paidAt": 14400.0,
        "depositCents": 4419,
        "lines": [
            {
                "lineId": "STL-0001-00001",
                "type": "ORDER",
                "mpOrderId": "MP-0000001",
                "amountCents": 5199,
            },
            {
                "lineId": "STL-0001-00002",
                "type": "FEE",
                "mpOrderId": "MP-0000001",
                "amountCents": -780,
            },
        ],
    },
)
