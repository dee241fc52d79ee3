"""A settling marketplace's payouts in the read model: their writes and the reads the
payouts list and a payout's lines make (their rows, and how a payout the hub
reconciles becomes them, are payout_records.py's).

A payout is the money a marketplace that collects its buyers' money paid over, with a
report line per order charged, commission, refund and chargeback
(hub/model/settlement.py). The list shows each payout's reconciliation state and the
totals a finance screen needs (deposit, fees, chargebacks, refunds, claims), kept on
the payout's row so a page reads no lines; its lines are read by payout, in the
report's order.

Two kinds of hub are shown alike. The built-in hub's payouts carry its own state
(matching, posting, booked, failed). An external hub's cannot be read, so its payouts
are rebuilt from the marketplace's and the ERP's records (scenarios/live): a payout
the ERP booked is `booked`, with each line as the ERP applied it; one reported and not
booked yet is `reported`, since what such a hub has made of it is its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.adapters.read_model import payout_tables
from hub.adapters.read_model.keyset import Page, Window
from hub.adapters.read_model.payout_records import PayoutLineRecord, PayoutRecord, PayoutSnapshot
from hub.adapters.read_model.price_queries import PriceQueries
from hub.adapters.read_model.sorting import PayoutSort, Sort
from hub.adapters.read_model.store import ReadModelStore

_payouts = payout_tables.payouts
_lines = payout_tables.payout_lines

#: the order the payouts list has when the client asks for none: the latest paid first
DEFAULT_PAYOUTS = Sort(PayoutSort.PAID_AT, descending=True)


@dataclass(frozen=True, slots=True)
class PayoutFilter:
    #: only payouts in these states (any, when empty)
    states: tuple[str, ...] = ()
    #: only payouts with a claim (True) or without one (False)
    paid_short: bool | None = None


@dataclass(frozen=True, slots=True)
class PayoutLineFilter:
    #: only lines in these states (any, when empty)
    states: tuple[str, ...] = ()
    #: only lines matched at another figure than reported (True), or the others (False)
    paid_short: bool | None = None


def payout_line_clauses(where: PayoutLineFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if where.states:
        clauses.append(_lines.c.state.in_(where.states))
    if where.paid_short is not None:
        short = _lines.c.matched & (_lines.c.applied_cents > _lines.c.reported_cents)
        clauses.append(short if where.paid_short else ~short)
    return clauses


def payout_clauses(where: PayoutFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if where.states:
        clauses.append(_payouts.c.state.in_(where.states))
    if where.paid_short is not None:
        short = _payouts.c.claims_cents > 0
        clauses.append(short if where.paid_short else ~short)
    return clauses


class PayoutStore(ReadModelStore):
    """The payouts' writes: a payout's row and its lines replaced together."""

    engine: AsyncEngine

    async def write_payouts(self, snapshots: Sequence[PayoutSnapshot]) -> None:
        if not snapshots:
            return
        ids = [s.payout.id for s in snapshots]
        async with self.engine.begin() as conn:
            await self._replace(conn, _payouts, "id", ids, [s.payout for s in snapshots])
            await self._replace(
                conn, _lines, "payout_id", ids, [line for s in snapshots for line in s.lines]
            )


class PayoutQueries(PriceQueries):
    """The payouts' reads; a database written before payouts were projected has no
    such tables and reads as holding none."""

    def _no_payouts(self) -> bool:
        return bool(self.gaps) and self.gaps.narrowed(_payouts) is None

    async def payouts_page(
        self, where: PayoutFilter, window: Window, sort: Sort = DEFAULT_PAYOUTS
    ) -> Page[PayoutRecord]:
        if self._no_payouts():
            return Page([], [], 0, False, False)
        return await self._page(_payouts, payout_clauses(where), sort, window, PayoutRecord)

    async def payouts_by_id(self, ids: Sequence[str]) -> dict[str, PayoutRecord]:
        if self._no_payouts():
            return {}
        return await self._by_id(_payouts, "id", ids, PayoutRecord)

    async def payout_lines(self, ids: Sequence[str]) -> dict[str, list[PayoutLineRecord]]:
        """Each payout's lines, in the report's order."""
        return await self._by_parent(
            _lines, "payout_id", ids, [_lines.c.payout_id, _lines.c.seq], PayoutLineRecord
        )

    async def payout_lines_page(
        self, payout_id: str, where: PayoutLineFilter, window: Window, sort: Sort
    ) -> Page[PayoutLineRecord]:
        """One payout's lines, a page at a time, in the report's order."""
        if self._no_payouts():
            return Page([], [], 0, False, False)
        clauses = [_lines.c.payout_id == payout_id, *payout_line_clauses(where)]
        return await self._page(_lines, clauses, sort, window, PayoutLineRecord)
