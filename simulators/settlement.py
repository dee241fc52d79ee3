"""A marketplace's payments desk: it collects from the buyers and pays the seller out on
a schedule, net of its commission, the refunds it made and the chargebacks it lost.

When a marketplace settles (`[backends.marketplace] settlement_interval`), it, not the
seller's gateway, takes the buyer's money: the seller confirms what it shipped
(`confirm_shipment`) and the marketplace charges the buyer that much; the seller refunds
a return through the marketplace (`refund_return`). Every interval the desk pays out
what it collected since the last payout, less its commission on each order, the refunds
and the chargebacks, and sends a settlement report with a line per movement. The
report leaves after the payout (a lognormal delay: reports are late in practice), and
now and then (`error_rate`) an order's line is short-paid, or the order is paid over
twice: the deposit is what the report says, and the seller has to notice that it is
less than the order was worth, or more than it was owed.

The desk keeps both figures for every line: `reported_cents` (what the report says and
the bank received) and `correct_cents` (what it should have been), which is the truth
the checker holds the hub's reconciliation to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import simpy

from simulators.later import Later
from simulators.payment import MoneyMovement
from simulators.records import RecordLog
from simulators.rng import LogNormal
from simulators.types import Emit

#: the webhook a settlement report arrives as
REPORT_EVENT = "SETTLEMENT_POSTED"


class LineType(StrEnum):
    """What a payout line pays or deducts."""

    #: an order's charge paid over (positive)
    ORDER = "ORDER"
    #: the marketplace's commission on an order (negative)
    FEE = "FEE"
    #: a refund the marketplace made to a buyer on the seller's behalf (negative)
    REFUND = "REFUND"
    #: an order's charge taken back after the buyer disputed it with the card issuer
    CHARGEBACK = "CHARGEBACK"


@dataclass(frozen=True, slots=True)
class SettlementConfig:
    interval_s: float
    commission_pct: float
    report_delay_median_s: float
    #: probability an order's line in a report is wrong: short-paid, or paid twice
    error_rate: float
    #: probability an order charged is disputed and taken back in its payout
    chargeback_rate: float


@dataclass(frozen=True, slots=True)
class PayoutLine:
    line_id: str
    kind: LineType
    order_ref: str
    #: the return a refund line is for ("" for the other kinds)
    return_id: str
    #: what the report says, and what the bank received
    reported_cents: int
    #: what the line should have been: differs from `reported_cents` on a short-paid
    #: line, and is 0 on an order's second line (paid twice)
    correct_cents: int

    def as_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "lineId": self.line_id,
            "type": self.kind.value,
            "mpOrderId": self.order_ref,
            "amountCents": self.reported_cents,
        }
        if self.return_id:
            wire["returnId"] = self.return_id
        return wire


@dataclass(slots=True)
class Payout:
    settlement_id: str
    #: when the money was deposited (the end of the settlement period)
    paid_at: float
    lines: list[PayoutLine]
    #: when the report was sent (-1: not yet)
    reported_at: float = -1.0

    @property
    def deposit_cents(self) -> int:
        return sum(line.reported_cents for line in self.lines)


@dataclass(slots=True)
class _Charged:
    movement: MoneyMovement
    refunded: int = 0


class SettlementDesk:
    """The marketplace's money: charges, refunds and payouts, each kept as it happened."""

    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        config: SettlementConfig,
        send: Emit,
        id_prefix: str = "STL",
    ) -> None:
        self.env = env
        #: settlement ids are PREFIX-0001...: one of several marketplaces has its own
        self.id_prefix = id_prefix
        self.rng = rng
        self.config = config
        self.send = send
        #: final as made: with a store they leave memory at once (simulators/records.py)
        self.charges: RecordLog[MoneyMovement] = RecordLog()
        self.refunds: RecordLog[MoneyMovement] = RecordLog()
        self.payouts: list[Payout] = []
        self._charged: dict[str, _Charged] = {}
        self._refunded: dict[str, MoneyMovement] = {}
        #: movements since the last payout: (kind, order, return, signed amount)
        self._unsettled: list[tuple[LineType, str, str, int]] = []
        self._delay = LogNormal(rng, config.report_delay_median_s, config.report_delay_median_s * 3)
        Later(env, config.interval_s, self._settle, None)

    # -- the seller API ---------------------------------------------------------------

    def charge(self, ref: str, amount: int, order_total: int) -> tuple[int, dict[str, Any]]:
        """Charge the buyer of `ref` for what the seller confirmed shipped; once per
        order (a confirmation sent again gets the first charge back)."""
        charged = self._charged.get(ref)
        if charged is not None:
            return 200, {
                "id": charged.movement.movement_id,
                "chargedCents": charged.movement.amount,
            }
        if amount < 0 or amount > order_total:
            return 422, {"error": "amount_exceeds_order_total"}
        movement = MoneyMovement(f"CH-{ref}", ref, ref, amount, self.env.now)
        self._charged[ref] = _Charged(movement)
        self.charges.append(movement)
        self._unsettled.append((LineType.ORDER, ref, "", amount))
        return 200, {"id": movement.movement_id, "chargedCents": amount}

    def refund(self, ref: str, return_id: str, amount: int) -> tuple[int, dict[str, Any]]:
        """Refund the buyer for a return, once per return, never more than was charged."""
        done = self._refunded.get(return_id)
        if done is not None:
            return 200, {"id": done.movement_id}
        charged = self._charged.get(ref)
        if charged is None:
            return 409, {"error": "order_not_charged"}
        if amount < 0 or amount > charged.movement.amount - charged.refunded:
            return 402, {"error": "amount_exceeds_charged"}
        charged.refunded += amount
        movement = MoneyMovement(f"MPRF-{return_id}", ref, return_id, amount, self.env.now)
        self._refunded[return_id] = movement
        self.refunds.append(movement)
        self._unsettled.append((LineType.REFUND, ref, return_id, -amount))
        return 200, {"id": movement.movement_id}

    # -- payouts ----------------------------------------------------------------------

    def _settle(self, _event: Any) -> None:
        Later(self.env, self.config.interval_s, self._settle, None)
        if not self._unsettled:
            return
        settlement_id = f"{self.id_prefix}-{len(self.payouts) + 1:04d}"
        lines: list[PayoutLine] = []

        def add(kind: LineType, ref: str, return_id: str, reported: int, correct: int) -> None:
            line_id = f"{settlement_id}-{len(lines) + 1:05d}"
            lines.append(PayoutLine(line_id, kind, ref, return_id, reported, correct))

        for kind, ref, return_id, amount in self._unsettled:
            if kind != LineType.ORDER:
                add(kind, ref, return_id, amount, amount)
                continue
            reported, twice = self._as_reported(amount)
            add(kind, ref, "", reported, amount)
            if twice:  # the same order paid over again: a line that should not be there
                add(kind, ref, "", amount, 0)
            fee = -round(amount * self.config.commission_pct / 100)
            add(LineType.FEE, ref, "", fee, fee)
            if self.rng.random() < self.config.chargeback_rate:
                add(LineType.CHARGEBACK, ref, "", -amount, -amount)
        self._unsettled = []
        payout = Payout(settlement_id, self.env.now, lines)
        self.payouts.append(payout)
        Later(self.env, self._delay(), self._report, payout)

    def _as_reported(self, amount: int) -> tuple[int, bool]:
        """An order's line as the report has it, and whether the report pays the order
        twice: now and then (`error_rate`) one or the other mistake, evenly, the line
        short-paid by 5 to 50% or the order paid over again on a second line."""
        if amount <= 1 or self.rng.random() >= self.config.error_rate:
            return amount, False
        if self.rng.random() < 0.5:
            return amount, True
        return amount - max(1, int(amount * self.rng.uniform(0.05, 0.5))), False

    def _report(self, event: Any) -> None:
        payout: Payout = event.value
        payout.reported_at = self.env.now
        self.send(
            REPORT_EVENT,
            {
                "event": REPORT_EVENT,
                "settlementId": payout.settlement_id,
                "paidAt": payout.paid_at,
                "depositCents": payout.deposit_cents,
                "lines": [line.as_wire() for line in payout.lines],
            },
        )
