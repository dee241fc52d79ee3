"""The ground-truth checks (scenarios/checking/ground_invariants.py, ground_stock.py),
each shown to fail on the record it reads: a sound small day passes, then one system's
record is changed as a broken hub would have left it, and the check must name it."""

from __future__ import annotations

import pytest

from scenarios.checking.findings import CheckResult
from scenarios.checking.invariants import check
from scenarios.checking.judging import JudgedFrom
from scenarios.checking.truth import gather
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from simulators.channel import ChannelOrder


@pytest.fixture
def day() -> RunResult:
    """A fresh small steady day for each test, which the test may tamper with."""
    return run(load_scenario("steady-day", ("scenario.scale=0.1",)))


def judged(result: RunResult) -> dict[str, CheckResult]:
    checks = check(result, gather(result), judged_from=JudgedFrom.GROUND_TRUTH)
    return {str(c.name): c for c in checks}


def failing(result: RunResult, invariant: str) -> str:
    found = judged(result)[invariant]
    assert not found.passed, f"{invariant} passed: {found.detail}"
    return found.detail


def shipped(day: RunResult, channel: str = "web") -> ChannelOrder:
    """A shipped order the channel heard of, taken to tamper with: through `change`,
    since a finished order read back from the run's store is a copy."""
    truth = gather(day)
    ref = next(
        t.order.ref
        for t in truth.orders.values()
        if t.fulfilment == "shipped" and t.order.channel == channel and t.order.notices
    )
    for sales_channel in (day.estate.storefront, *day.estate.marketplaces):
        order = sales_channel.change(ref)
        if order is not None:
            return order
    raise AssertionError(f"no channel took {ref}")


def test_a_sound_day_passes_and_says_what_it_read(day: RunResult) -> None:
    results = judged(day)
    assert all(c.passed for c in results.values()), [c.detail for c in results.values()]
    assert "accounted for from the systems' records" in results["no_lost_order"].detail


def test_an_order_no_system_heard_of_never_reached_the_hub(day: RunResult) -> None:
    order = ChannelOrder("W-9999999", "web", "C-1", "north", 10.0, [("SKU-00001", 1, 100, 20)])
    day.estate.storefront.accept(order)
    assert "W-9999999 (web) never reached the hub" in failing(day, "no_lost_order")


def test_a_shipped_order_the_channel_never_heard_had_shipped(day: RunResult) -> None:
    order = shipped(day)
    kept = [notice for notice in order.notices if notice[1] != "shipped"]
    order.told, order.heard_at = (), b""
    for version, status, at in kept:
        order.hear(version, status, at)
    detail = failing(day, "no_lost_order")
    assert f"{order.ref} was shipped but the hub last told web accepted" in detail


def test_a_cancelled_order_still_holding_the_customers_money(day: RunResult) -> None:
    truth = gather(day)
    voided = {
        auth.reference: auth for auth in day.estate.payment.authorizations.values() if auth.voided
    }
    ref = next(r for r, t in truth.orders.items() if t.fulfilment != "shipped" and r in voided)
    auth = day.estate.payment.authorizations.for_update(voided[ref].auth_id)
    assert auth is not None  # a finished authorisation is kept as a copy
    auth.voided = False
    assert f"{ref} was cancelled but authorisation" in failing(day, "no_lost_order")


def test_a_return_refunded_but_never_credited(day: RunResult) -> None:
    truth = gather(day)
    return_id = next(iter(truth.refunds))
    del day.estate.erp.by_ref[f"CM-{return_id}"]
    assert f"return {return_id}" in failing(day, "no_lost_order")
    assert "was refunded but has no ERP credit memo" in failing(day, "exactly_once")


def test_a_view_offering_more_than_the_dcs_hold(day: RunResult) -> None:
    sku = day.estate.world.skus[0].sku_id
    day.estate.storefront.ship_view[sku] += 1
    detail = failing(day, "convergence")
    assert f"web shows {day.estate.storefront.ship_view[sku]} of {sku}, more than the DCs" in detail
    assert f"of {sku}, the marketplace" in detail


def test_a_view_offering_less_than_is_there_when_no_order_holds_any(day: RunResult) -> None:
    views = day.estate.marketplace.ship_view
    for sku in views:
        views[sku] = max(0, views[sku] - 1)
    assert "marketplace shows" in failing(day, "convergence")
    assert ", the DCs can sell " in failing(day, "convergence")


def test_a_status_told_after_the_order_had_shipped(day: RunResult) -> None:
    order = shipped(day)
    version = max(order.notices)[0]
    order.hear(version + 1, "cancelled", 1.0)
    detail = failing(day, "no_status_regression")
    assert f"{order.ref}: told the channel cancelled (v{version + 1}) after shipped" in detail


def test_a_lower_status_told_after_a_higher_one(day: RunResult) -> None:
    order = shipped(day)
    order.hear(max(order.notices)[0] + 1, "accepted", 1.0)
    assert "after a later status" in failing(day, "no_status_regression")


def test_a_return_told_an_earlier_status_after_it_was_refunded(day: RunResult) -> None:
    notices = day.estate.storefront.return_statuses
    return_id = next(r for r, told in notices.items() if told[-1].status == "refunded")
    last = notices[return_id][-1]
    notices.add(return_id, "authorised", last.sent_at + 1.0, last.received_at)
    detail = failing(day, "no_status_regression")
    assert f"return {return_id}: told the channel authorised" in detail


def test_an_invoice_billing_units_that_never_left(day: RunResult) -> None:
    documents = day.estate.erp.documents
    number = next(d.number for d in documents.values() if d.kind == "invoice")
    invoice = documents.for_update(number)  # a finished document is kept as a copy
    assert invoice is not None
    sku, units = invoice.items[0]
    invoice.items = ((sku, units + 1), *invoice.items[1:])
    assert f"invoice {invoice.number} bills" in failing(day, "oversell_measured")
