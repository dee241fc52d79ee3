"""Where the money of an order and of a return stands, as the hub understands it.

Both are string enums whose values are the words the read model, the reports and the
API have always shown, so a state is stored and compared as that word; graph/ turns
them into its own types from here (graph/types/common.py, graph/types/returns.py).
"""

from __future__ import annotations

from enum import StrEnum


class PaymentState(StrEnum):
    """An order's card payment at the gateway."""

    #: nothing authorised yet (or the authorisation's answer is still out)
    NONE = "none"
    AUTHORISED = "authorised"
    CAPTURED = "captured"
    #: the authorisation was released: the customer was never charged
    VOIDED = "voided"
    #: the gateway refused the authorisation (or a re-authorisation after shipping)
    DECLINED = "declined"
    #: the capture was finally refused: the goods left, the money did not come
    FAILED = "failed"
    #: invoiced on payment terms (a company's order): nothing charged, the company owes
    #: the invoice and pays it later
    ON_ACCOUNT = "on_account"


class RefundState(StrEnum):
    """A return's money on its way back to the customer."""

    NONE = "none"
    #: the goods came back before the order's payment was captured; the refund waits
    AWAITING_CAPTURE = "awaiting_capture"
    #: sent to the gateway, no answer yet
    PENDING = "pending"
    REFUNDED = "refunded"
    #: refused by the gateway, or dead-lettered (then a replay may refund it yet)
    FAILED = "failed"
    #: paid out over a store counter; the gateway is not involved
    AT_TILL = "at_till"
    #: the order's payment was never taken, so nothing goes back
    NOT_CHARGED = "not_charged"
