"""The exception queue's view of one aggregate: open problems by facet.

Orders and returns both keep their problems per facet (payment, ERP, fulfilment,
refund...) because a success in one facet settles that facet's problem and only that
one: a capture going through says nothing about a sales order the ERP never booked.
"""

from __future__ import annotations


class ExceptionFacets:
    """Mixed into a slotted dataclass that declares `exceptions: dict[str, str] | None`."""

    __slots__ = ()
    exceptions: dict[str, str] | None

    @property
    def exception(self) -> str:
        """Every open problem, or "" when there is none."""
        return "; ".join(self.exceptions.values()) if self.exceptions else ""

    def flag(self, facet: str, reason: str) -> None:
        """Put the aggregate in the exception queue for a problem in one facet."""
        if self.exceptions is None:
            # the slot is the dataclass's own; mypy looks only at this class's empty slots
            self.exceptions = {}  # type: ignore[misc]
        self.exceptions[facet] = reason

    def clear(self, facet: str) -> None:
        """A success in a facet settles that facet's problem, and only that one."""
        if self.exceptions:
            self.exceptions.pop(facet, None)
