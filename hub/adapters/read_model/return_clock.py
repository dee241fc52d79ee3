"""How long a return has taken, and whether it broke the run's return-to-refund SLA:
SQL expressions, so the returns queue can filter on a breach in the database and a
return's fields say the same thing the filter does.

The SLA is the scenario's (`[sla] return_to_refund_p95`, or a per-return
`return_to_refund.gateway.max` where the file sets one), measured as the checker
measures it (scenarios/checking/latency.py `return_to_refund`): from the goods'
receipt to the card refund. A refund paid at a till is instant and never breaches (nor
does a return of goods never charged for); a return not received yet has not started
the clock. The run writes the threshold and its current simulated time into its `run`
document (`return_refund_sla_s`, `sim_time_s`), which is where the read model learns
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, false, func, literal, select

from hub.adapters.read_model import tables

#: the run document's keys this module reads
SIM_TIME_KEY = "sim_time_s"
SLA_KEY = "return_refund_sla_s"

_returns = tables.returns
_history = tables.return_history

#: refund states with no card refund to wait for (hub.model.payment.RefundState): paid
#: over a counter, or never charged
NO_CARD_REFUND = ("at_till", "not_charged")

#: statuses that close a return (hub.model.returns.Return.is_terminal)
CLOSING_STATUSES = ("closed", "rejected")


@dataclass(frozen=True, slots=True)
class ReturnClock:
    """The data's current simulated time, and the run's return-to-refund SLA (None: the
    scenario sets none, and nothing breaches)."""

    now_s: float
    sla_s: float | None

    @classmethod
    def read(cls, conn: Connection) -> ReturnClock:
        """From the run document; before a run has written one, time 0 and no SLA."""
        t = tables.documents
        body = conn.execute(select(t.c.body).where(t.c.name == "run")).scalar_one_or_none()
        facts: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
        sla = facts.get(SLA_KEY)
        return cls(
            float(facts.get(SIM_TIME_KEY) or 0.0),
            None if sla is None else float(sla),
        )

    def now(self) -> ColumnElement[float]:
        """Now, for one return: the run document's time, or the time the return itself
        was projected if that is later. A live twin writes its returns before its run
        document, so a request can read returns one projection newer than the clock;
        without this, a return requested since would be minus seconds old."""
        stamped = _returns.c.updated_at
        return case((stamped > self.now_s, stamped), else_=literal(self.now_s))

    def age_s(self) -> ColumnElement[float]:
        """Seconds from the request to the return's closure (closed or rejected), or to
        now while it is open."""
        closed = (
            select(func.min(_history.c.at))
            .where(_history.c.owner_id == _returns.c.id, _history.c.status.in_(CLOSING_STATUSES))
            .scalar_subquery()
        )
        return func.coalesce(closed, self.now()) - _returns.c.requested_at

    def sla_breached(self) -> ColumnElement[bool]:
        """Goods received and refunded to the card later than the SLA allows, or
        received and still not refunded when it has passed."""
        if self.sla_s is None:
            return false()
        refunded_or_now = case(
            (_returns.c.refunded_at >= 0, _returns.c.refunded_at), else_=self.now()
        )
        return and_(
            _returns.c.refund_state.not_in(NO_CARD_REFUND),
            _returns.c.received_at >= 0,
            refunded_or_now - _returns.c.received_at > self.sla_s,
        )


#: for queries that need neither the time nor the SLA
STOPPED = ReturnClock(0.0, None)
