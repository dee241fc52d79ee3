"""Where an order's tax stands with the tax engine, as the hub understands it.

A string enum whose values are the words the read model, the reports and the API show,
like the payment states beside it (hub/model/payment.py).
"""

from __future__ import annotations

from enum import StrEnum


class TaxState(StrEnum):
    """An order's tax: quoted by the engine, estimated from the channel, filed."""

    #: no tax engine in the estate: the channel's tax is the tax
    NONE = "none"
    #: asked the engine for a quote; under `hold`, nothing is charged or released yet
    QUOTING = "quoting"
    #: the engine's quote is what the customer is charged
    QUOTED = "quoted"
    #: the engine did not answer in time: the channel's estimate is charged, and the
    #: liability is trued up when the delivered goods are committed
    ESTIMATED = "estimated"
    #: the delivered goods are committed at the engine: the liability is filed
    COMMITTED = "committed"
