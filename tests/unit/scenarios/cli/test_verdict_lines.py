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


def test_at_80_columns_every_check_name_is_whole_and_volumes_are_words() -> None:
    from scenarios.checking.verdict import judge
    from scenarios.spec.loader import load_scenario
    from scenarios.twin.runtime import run

    overrides = ("scenario.scale=0.03", "scenario.duration=18h", "scenario.drain=8h")
    verdict = judge(run(load_scenario("estate-peak-weekday", overrides)), "estate", overrides)
    console = Console(record=True, width=80)
    print_verdict(console, verdict)
    lines = console.export_text().splitlines()
    # every line fits, but the replay command, kept whole on one line to be copied
    assert all(len(line.rstrip()) <= 80 for line in lines if "replay with:" not in line)
    names = [check.name for check in verdict.invariants] + [sla.name for sla in verdict.sla]
    assert "marketplace_ack_within_window_pct" in names
    table_rows = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    for name in names:
        assert name in table_rows, f"{name} is not whole in the table"
    details = {line.split(":")[0] for line in lines if ":" in line and "│" not in line}
    assert {check.name for check in verdict.invariants} <= details  # after the table
    volumes = next(line for line in lines if "channel orders" in line)
    assert "channel orders (" in volumes and " web, " in volumes and "{" not in volumes


def test_the_progress_bar_estimates_the_time_left() -> None:
    import io
    import re
    import time

    from scenarios.cli.run_output import day_progress
    from scenarios.spec.loader import load_scenario

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    scenario = load_scenario("steady-day")
    with day_progress(console, scenario, quiet=False) as advance:
        for step in range(1, 6):
            advance(step * 3600.0, scenario.duration_s + scenario.drain_s)
            time.sleep(0.05)
        console.file.flush()
    shown = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.getvalue())
    assert "simulated 05:00 / 30:00" in shown
    assert re.search(r"\d+:\d\d:\d\d left \d+:\d\d:\d\d", shown), shown[-300:]
