"""The settling marketplace's payments desk (simulators/settlement.py): it charges a
buyer once, never refunds more than it charged, and pays out what it collected less
its commission, refunds and chargebacks, reporting every line both as paid and as it
should have been."""

from __future__ import annotations

import random
from typing import Any

import simpy

from hub.model.settlement import PayoutLineKind
from simulators.settlement import LineType, SettlementConfig, SettlementDesk

HOUR = 3600.0


def desk(error_rate: float = 0.0, chargeback_rate: float = 0.0) -> tuple[SettlementDesk, list[Any]]:
    sent: list[Any] = []
    env = simpy.Environment()
    config = SettlementConfig(HOUR, 15.0, 60.0, error_rate, chargeback_rate)
    return SettlementDesk(env, random.Random(3), config, lambda k, p: sent.append(p)), sent


def test_a_buyer_is_charged_once_and_refunded_no_more_than_charged() -> None:
    money, _ = desk()
    assert money.charge("MP-1", 1000, 1200) == (200, {"id": "CH-MP-1", "chargedCents": 1000})
    assert money.charge("MP-1", 1200, 1200)[1]["chargedCents"] == 1000
    assert money.charge("MP-2", 1300, 1200)[0] == 422
    assert money.refund("MP-3", "MPR-MP-3", 10)[0] == 409
    assert money.refund("MP-1", "MPR-MP-1", 1001)[0] == 402
    assert money.refund("MP-1", "MPR-MP-1", 400)[0] == 200
    assert money.refund("MP-1", "MPR-MP-1", 400)[0] == 200  # the same return: no second refund
    assert [m.amount for m in money.charges] == [1000]
    assert [m.amount for m in money.refunds] == [400]


def test_a_payout_pays_what_was_collected_less_commission_and_refunds_then_reports() -> None:
    money, sent = desk()
    money.charge("MP-1", 1000, 1000)
    money.refund("MP-1", "MPR-MP-1", 300)
    money.env.run(until=HOUR + 1)
    payout = money.payouts[0]
    kinds = [(line.kind, line.reported_cents) for line in payout.lines]
    assert kinds == [(LineType.ORDER, 1000), (LineType.FEE, -150), (LineType.REFUND, -300)]
    assert payout.deposit_cents == 550
    assert sent == []  # the report comes after the money
    money.env.run(until=4 * HOUR)
    assert sent[0]["settlementId"] == payout.settlement_id
    assert sent[0]["depositCents"] == 550
    assert money.payouts[1:] == []  # nothing collected since: no empty payout


def test_a_wrong_line_is_paid_as_reported_but_known_for_what_it_should_have_been() -> None:
    """Every order's line wrong: short-paid by 5 to 50%, or paid twice (a second line
    that should not be there, worth 0); the deposit is what the report says."""
    money, _ = desk(error_rate=1.0, chargeback_rate=1.0)
    for n in range(20):
        money.charge(f"MP-{n}", 1000, 1000)
    money.env.run(until=HOUR + 1)
    payout = money.payouts[0]
    orders = [line for line in payout.lines if line.kind == LineType.ORDER]
    short = [line for line in orders if line.reported_cents < line.correct_cents]
    twice = [line for line in orders if line.correct_cents == 0]
    assert short and twice and len(short) + 2 * len(twice) == len(orders)
    assert all(500 <= line.reported_cents < 1000 for line in short)
    assert all(line.reported_cents == 1000 for line in twice)
    chargebacks = [line for line in payout.lines if line.kind == LineType.CHARGEBACK]
    assert len(chargebacks) == 20 and all(line.correct_cents == -1000 for line in chargebacks)
    assert payout.deposit_cents == sum(line.reported_cents for line in payout.lines)


def test_the_hub_reads_the_line_types_the_marketplace_writes() -> None:
    assert [kind.value for kind in PayoutLineKind] == [kind.value for kind in LineType]
