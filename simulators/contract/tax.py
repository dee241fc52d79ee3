"""The tax engine's contract: quote, commit, reverse.

Every request names its document by `code`: the engine records a commit or a reversal
once per code, so a retry after a timeout gets the first answer again and files nothing
twice. The checker reads the engine's records: a commit per order whose money was
taken, a reversal per refunded return, and the liability they leave must be what the
ERP's journal carries as tax payable.
"""

from __future__ import annotations

from simulators.contract.common import ERROR, QUANTITY, bad_request, throttled, unavailable
from simulators.contract.schema import Schema, array, integer, obj, string
from simulators.contract.tables import Answer, Operation, System

__all__ = ["SYSTEM"]

_CODE = string(
    "The document: the order's reference for a quote and a commit, the return's id for a "
    "reversal. The checker matches commits to orders and reversals to refunds by it.",
    min_length=1,
)
_REGION = string(
    "Where the goods are handed over (the order's ship-to region, or its pickup store's): "
    "the jurisdiction whose rate the engine adds to the SKU's. Empty: the SKU's rate only."
)
_LINES = array(
    obj(
        "One line to tax.",
        {
            "sku": string("The SKU."),
            "qty": QUANTITY,
            "net_cents": integer("The line's value before tax, cents.", minimum=0),
        },
    ),
    "The lines.",
)
_TAXED = obj(
    "The engine's tax, per line in the order they were sent, and in all.",
    {
        "code": string("The document."),
        "tax_cents": integer("Tax on every line, cents.", minimum=0),
        "lines": array(
            obj(
                "One line's tax.",
                {"sku": string("The SKU."), "tax_cents": integer("Cents.", minimum=0)},
            ),
            "Each line's tax, in the order of the request.",
        ),
    },
    title="TaxAnswer",
)


def _request(description: str, fields: dict[str, Schema]) -> Schema:
    return obj(description, {"code": _CODE, **fields})


_OPERATIONS = {
    "quote": Operation(
        "The tax on an order",
        "Records nothing: the hub asks while it captures an order, to charge the engine's "
        "tax rather than the channel's flat-rate estimate.",
        _request("A quote.", {"region": _REGION, "lines": _LINES}),
        (Answer(200, "Quoted.", _TAXED),),
        {
            "code": "W-0000001",
            "region": "north",
            "lines": [{"sku": "SKU-00001", "qty": 3, "net_cents": 14997}],
        },
    ),
    "commit": Operation(
        "File the tax on delivered goods",
        "The liability the retailer owes on what left the building, recorded with the tax "
        "the customer paid on it. A code committed before gets the first answer again.",
        _request(
            "A commit.",
            {
                "region": _REGION,
                "lines": _LINES,
                "collected_cents": integer(
                    "The tax the customer paid on these lines (an estimate, when the order "
                    "was taken while the engine did not answer).",
                    minimum=0,
                ),
            },
        ),
        (Answer(200, "Committed (or committed before, under this code).", _TAXED),),
        {
            "code": "W-0000001",
            "region": "north",
            "lines": [{"sku": "SKU-00001", "qty": 3, "net_cents": 14997}],
            "collected_cents": 3029,
        },
    ),
    "reverse": Operation(
        "Give back the tax on returned goods",
        "Against the order's committed transaction, at its region's rate. A code reversed "
        "before gets the first answer again.",
        _request(
            "A reversal.",
            {
                "transaction": string("The order's code its goods were committed under."),
                "lines": _LINES,
                "refunded_cents": integer(
                    "The tax paid back to the customer with the refund.", minimum=0
                ),
            },
        ),
        (
            Answer(200, "Reversed (or reversed before, under this code).", _TAXED),
            Answer(404, "No transaction was committed under that code.", ERROR),
        ),
        {
            "code": "RMA-W-0000001",
            "transaction": "W-0000001",
            "lines": [{"sku": "SKU-00001", "qty": 1, "net_cents": 4999}],
            "refunded_cents": 1009,
        },
    ),
}

SYSTEM = System(
    "tax",
    "Tax engine",
    "A tax service (as Avalara or Vertex are): the SKU's rate plus the region's own. Only "
    "in an estate whose scenario has one (`backends.tax.enabled`; `day.started` lists it "
    "in `topology.systems`). It records a commit or a reversal as it takes it and answers "
    "after its service time, which a `slow` fault stretches; its rate limit answers 429.",
    _OPERATIONS,
    (
        bad_request("tax engine"),
        throttled("Over the engine's rate limit (`backends.tax.rate_limit_per_s`)."),
        unavailable("tax engine"),
    ),
)
