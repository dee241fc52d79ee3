"""The verdict as the command line prints it: what a percentile marked "at least" rests
on, and a threshold that could not be measured said to be so."""

from __future__ import annotations

from rich.console import Console

from scenarios.checking.metrics import Bound, SlaResult, Unit
from scenarios.checking.verdict import Verdict
from scenarios.cli.run_output import _unfinished, print_verdict


def test_unfinished_items_are_named_with_their_count() -> None:
    metrics = {
        "order_to_erp_s": {"all": {"censored": 73}},
        "order_to_ship_s": {"all": {"censored": 0}},
        "return_to_refund_s": {"all": {"censored": 1}},
        "sync_lag_s": {"all": {"count": 0}},
    }
    assert _unfinished(metrics) == (
        "73 orders never booked in the ERP, 1 return received and not refunded"
    )


def test_nothing_unfinished_says_nothing() -> None:
    assert _unfinished({"order_to_erp_s": {"all": {"censored": 0}}}) == ""


def test_the_table_says_a_threshold_was_not_measurable() -> None:
    verdict = Verdict(
        scenario="erp-outage",
        seed=1,
        overrides=[],
        digest="ab12",
        invariants=[],
        sla=[
            SlaResult(
                "dead_letter_drain_s",
                None,
                1800.0,
                Bound.MAX,
                True,
                unit=Unit.SECONDS,
                not_measurable="reads the hub's dead-letter queue",
            )
        ],
        metrics={
            "volumes": {
                "channel_orders": 1,
                "orders_by_channel": {"web": 1},
                "store_sales": 0,
                "returns": 0,
                "duplicates_delivered": 0,
                "reordered_messages": 0,
            },
            "oversell": {"oversold_units": 0},
        },
    )
    console = Console(record=True, width=160)
    print_verdict(console, verdict)
    text = console.export_text()
    row = next(line for line in text.splitlines() if "dead_letter_drain_s" in line)
    assert "not measurable" in row and "n/a" in row and "never" not in row
    assert "reads the hub's dead-letter queue" in row
    assert "PASSED" in text
