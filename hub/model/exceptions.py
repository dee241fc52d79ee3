"""The exception queue's view of one aggregate: open problems by facet.

Orders and returns both keep their problems per facet (payment, ERP, fulfilment,
refund...) because a success in one facet settles that facet's problem and only that
one: a capture going through says nothing about a sales order the ERP never booked.
"""

from __future__ import annotations


class ExceptionFacets:
    """Mixed into a slotted dataclass that declares `exceptions: dict[str, str] | None`
    and `exception_since: float`."""

    __slots__ = ()
    exceptions: dict[str, str] | None
    #: when the aggregate entered the exception queue (-1: it is not in it), so an
    #: operator, and the SLA on the queue's age, can see how long problems wait
    exception_since: float

    @property
    def exception(self) -> str:
        """Every open problem, or "" when there is none."""
        return "; ".join(self.exceptions.values()) if self.exceptions else ""

    def flag(self, facet: str, reason: str, at: float) -> None:
        """Put the aggregate in the exception queue, at `at`, for a problem in one facet."""
        if self.exceptions is None:
            # the slot is the dataclass's own; mypy looks only at this class's empty slots
            self.exceptions = {}  # type: ignore[misc]
        if not self.exceptions:
            self.exception_since = at  # type: ignore[misc]
        self.exceptions[facet] = reason

    def clear(self, facet: str) -> None:
        """A success in a facet settles that facet's problem, and only that one."""
        if self.exceptions:
            self.exceptions.pop(facet, None)
            if not self.exceptions:
                self.exception_since = -1.0  # type: ignore[misc]
