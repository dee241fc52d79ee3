"""A legacy ERP that only books on its import runs: writes are accepted with 202 and
their outcome arrives later as a message; nothing may be lost or doubled meanwhile."""

from __future__ import annotations

from runs import failed_checks, verdict_of

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True


def test_legacy_batch_erp_keeps_invariants_and_books_on_import_runs() -> None:
    overrides = (
        "scenario.scale=0.3",
        "scenario.duration=8h",
        "backends.erp.mode=legacy_batch",
        "backends.erp.import_interval=15m",
    )
    verdict = verdict_of("steady-day", overrides)
    assert not failed_checks(verdict)
    to_erp = verdict.metrics["order_to_erp_s"]["all"]
    # booked at the next import run: minutes, not the API's seconds, and within one
    # interval (the max may include an order the broker lost and redelivered later)
    assert 60 < to_erp["p50"] < 15 * 60
    assert to_erp["p95"] <= 15 * 60 + 120
    assert verdict.metrics["volumes"]["hub_counters"]["erp_writes_awaiting_import"] > 0
