"""Where an order stands with the fraud screen, as the hub understands it.

A string enum whose values are the words the read model, the reports and the API show,
like the payment and tax states beside it.
"""

from __future__ import annotations

from enum import StrEnum


class ReviewState(StrEnum):
    """An order's passage through the fraud screen."""

    #: no fraud screen in the estate, or not screened yet
    NONE = "none"
    #: sent to the screen, no answer yet: held
    SCREENING = "screening"
    #: the screen accepted it: released
    CLEARED = "cleared"
    #: an analyst has it: held, nothing released until the decision
    IN_REVIEW = "in_review"
    #: an analyst approved it: released
    APPROVED = "approved"
    #: an analyst rejected it: cancelled, with the authorisation voided, the stock
    #: released and the ERP sales order cancelled
    REJECTED = "rejected"


#: states in which an order may not be released to fulfilment
HELD = frozenset({ReviewState.SCREENING, ReviewState.IN_REVIEW})
