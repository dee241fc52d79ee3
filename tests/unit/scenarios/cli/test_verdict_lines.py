"""The verdict names what a percentile marked "at least" rests on."""

from __future__ import annotations

from scenarios.cli.run_output import _unfinished


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
