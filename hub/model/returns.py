"""Returns: goods coming back, whether bought online or in a store, returned by post to
a DC or over a store counter. A return is refunded only once it has been received
(unless the scenario's policy allows refund on authorisation), and every refund needs
a credit memo in the ERP so the books agree with the money that left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from hub.model.exceptions import ExceptionFacets
from hub.model.payment import RefundState


class ReturnStatus(IntEnum):
    REQUESTED = 0
    AUTHORISED = 10
    RECEIVED = 20
    INSPECTED = 30
    REFUNDED = 40
    CLOSED = 50
    REJECTED = 90

    @property
    def label(self) -> str:
        return _RETURN_LABELS[self]


#: one string per status, shared: each status notice carries its label to the channel,
#: which keeps every notice it heard (a fresh `name.lower()` each was 1.7 MiB of a
#: peak weekend at a quarter scale)
_RETURN_LABELS = {status: status.name.lower() for status in ReturnStatus}


@dataclass(slots=True)
class ReturnLine:
    sku: str
    quantity: int
    refund_cents: int
    tax_cents: int


@dataclass(slots=True, init=False)
class ReturnStatusChange:
    status: ReturnStatus
    at: float
    source: str

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and a status
    # change is built for every step of every return
    def __init__(
        self,
        status: ReturnStatus,
        at: float,
        source: str,
    ) -> None:
        self.status = status
        self.at = at
        self.source = source


@dataclass(slots=True, init=False)
class Return(ExceptionFacets):
    return_id: str
    order_id: str
    channel: str
    requested_at: float
    lines: list[ReturnLine]
    location: str = ""
    status: ReturnStatus = ReturnStatus.REQUESTED
    history: list[ReturnStatusChange] = field(default_factory=list)
    received_at: float = -1.0
    #: resellable | damaged, from inspection
    grade: str = ""
    #: restock | quarantine
    disposition: str = ""
    refund_id: str = ""
    refund_state: RefundState = RefundState.NONE
    refunded_at: float = -1.0
    credit_memo_no: str = ""
    #: the liability the tax engine reversed for these goods (-1: not reversed there)
    tax_reversed_cents: int = -1
    #: open problems by facet ("refund", "erp", "wms"), for the exception queue
    exceptions: dict[str, str] | None = None
    exception_since: float = -1.0

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every return
    # the hub opens, and every one read back from its archive, is built here
    def __init__(
        self,
        return_id: str,
        order_id: str,
        channel: str,
        requested_at: float,
        lines: list[ReturnLine],
        location: str = "",
        status: ReturnStatus = ReturnStatus.REQUESTED,
        history: list[ReturnStatusChange] | None = None,
        received_at: float = -1.0,
        grade: str = "",
        disposition: str = "",
        refund_id: str = "",
        refund_state: RefundState = RefundState.NONE,
        refunded_at: float = -1.0,
        credit_memo_no: str = "",
        tax_reversed_cents: int = -1,
        exceptions: dict[str, str] | None = None,
        exception_since: float = -1.0,
    ) -> None:
        self.return_id = return_id
        self.order_id = order_id
        self.channel = channel
        self.requested_at = requested_at
        self.lines = lines
        self.location = location
        self.status = status
        self.history = [] if history is None else history
        self.received_at = received_at
        self.grade = grade
        self.disposition = disposition
        self.refund_id = refund_id
        self.refund_state = refund_state
        self.refunded_at = refunded_at
        self.credit_memo_no = credit_memo_no
        self.tax_reversed_cents = tax_reversed_cents
        self.exceptions = exceptions
        self.exception_since = exception_since

    def advance(self, status: ReturnStatus, at: float, source: str, ordered: bool) -> bool:
        if status == self.status or (ordered and status < self.status):
            return False
        self.status = status
        self.history.append(ReturnStatusChange(status, at, source))
        return True

    @property
    def refund_total_cents(self) -> int:
        return sum(line.refund_cents + line.tax_cents for line in self.lines)

    @property
    def is_terminal(self) -> bool:
        return self.status in (ReturnStatus.CLOSED, ReturnStatus.REJECTED)
