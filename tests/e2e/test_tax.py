"""The tax engine judged from ground truth on tax-degraded (a quarter of its scale):
the two fallbacks an architect chooses between when the engine does not answer, and
what each costs. The seeded defect that never reverses a refund's tax is a defect
control (tests/e2e/test_defect_controls.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from scenarios.checking.truth import gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

SCALE = "scenario.scale=0.25"


@cache
def day(fallback: str) -> tuple[RunResult, Verdict]:
    overrides = (SCALE, f"hub.tax_fallback={fallback}")
    result = run(load_scenario("tax-degraded", overrides))
    return result, judge(result, "tax-degraded", overrides)


def tax(fallback: str) -> dict[str, Any]:
    metrics: dict[str, Any] = day(fallback)[1].metrics["tax"]
    return metrics


def ship_p95(fallback: str) -> float:
    return float(day(fallback)[1].metrics["order_to_ship_s"]["all"]["p95"])


def test_both_fallbacks_keep_every_invariant() -> None:
    for fallback in ("estimate", "hold"):
        verdict = day(fallback)[1]
        assert verdict.passed, [c.detail for c in verdict.invariants if not c.passed]


def test_estimate_charges_short_and_trues_the_liability_up() -> None:
    """Orders taken while the engine was throttled or down paid the channel's flat-rate
    estimate; the engine's commit filed the full liability and the ERP booked it, the
    difference absorbed in 6300-tax-true-up."""
    result, _ = day("estimate")
    figures = tax("estimate")
    assert figures["orders_charged_an_estimate"] > 20
    assert figures["absorbed_cents"] > 0
    journal = result.estate.erp.journal
    assert journal.balance("6300-tax-true-up") == -figures["absorbed_cents"] + figures[
        "over_collected_cents"
    ] - _true_up_on_refunds(result)
    assert figures["unfiled_orders"] == figures["unreversed_returns"] == 0


def _true_up_on_refunds(result: RunResult) -> int:
    """What refunds moved on the true-up account: tax paid back over the liability the
    engine reversed (a return of an order charged the estimate pays back less)."""
    engine = result.estate.tax
    assert engine is not None
    return sum(r.refunded_cents - r.tax_cents for r in engine.reversals.values())


def test_hold_absorbs_nothing_and_ships_later() -> None:
    """Holding every order until the engine quotes it charges the right tax every
    time, and pays for it in parcels: the slowest orders wait out the throttle and the
    outage before they are even released."""
    held = tax("hold")
    assert held["orders_charged_an_estimate"] == 0
    assert held["absorbed_cents"] == 0
    assert ship_p95("hold") > 2 * ship_p95("estimate")


def test_each_delivered_order_is_filed_once_at_the_engines_own_rate() -> None:
    """The engine answered hundreds of 429s and timed-out requests were retried; each
    order whose money was taken is still filed once, on exactly the goods that left
    (by the WMS's and the stores' records), at the rate of where they went."""
    result, _ = day("estimate")
    engine = result.estate.tax
    assert engine is not None and engine.throttled > 100
    truth = gather(result)
    charged = {ref for ref in truth.captures if ref in truth.orders}
    assert set(engine.transactions) == charged
    for ref in charged:
        filed, delivered = engine.transactions[ref], truth.orders[ref]
        owed = sum(
            engine.tax_cents(sku, filed.region, price * delivered.fulfilled_units.get(sku, 0))
            for sku, _, price, _ in delivered.order.lines
        )
        assert filed.tax_cents == owed, ref
