"""`run --out` and `compare --out` leave metrics.prom beside report.json: OpenMetrics a
strict parser takes, listed in the folder's manifest (so `serve --db` and `replay` take
the folder), holding the same figures as the report."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import retailtwin
from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from scenarios.checking.metric_families import FAMILIES
from scenarios.reports import manifest
from scenarios.reports.finished_folder import complete_run_folder, servable_read_model
from scenarios.reports.metrics_file import METRICS_FILE

SMALL = ("--set", "scenario.scale=0.1", "--set", "scenario.duration=4h")


def families_in(path: Path) -> dict[str, Metric]:
    parsed = text_string_to_metric_families(path.read_text())  # type: ignore[no-untyped-call]
    return {family.name: family for family in parsed}


def total(families: dict[str, Metric], family: str, name: str, **labels: str) -> float:
    return float(
        sum(
            s.value
            for s in families[family].samples
            if s.name == name and labels.items() <= s.labels.items()
        )
    )


def test_run_out_writes_metrics_prom_with_the_reports_figures(tmp_path: Path) -> None:
    out = tmp_path / "run"
    for _ in range(2):  # a folder that holds an earlier run's metrics.prom is replaced
        result = retailtwin("run", "steady-day", "--quiet", *SMALL, "--out", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
    assert METRICS_FILE in result.stdout
    sealed = complete_run_folder(out, str(out))  # every listed file as written
    assert sealed.lists(METRICS_FILE)
    servable_read_model(out)  # and serve --db takes the folder
    families = families_in(out / METRICS_FILE)
    assert {f.name.removesuffix("_total") if f.kind == "counter" else f.name for f in FAMILIES} <= (
        set(families)
    )
    report = json.loads((out / "report.json").read_text())
    for channel, orders in report["metrics"]["volumes"]["orders_by_channel"].items():
        assert total(families, "retailtwin_orders", "retailtwin_orders_total", channel=channel) == (
            orders
        )
    booked = report["metrics"]["order_to_erp_s"]["all"]["count"]
    name = "retailtwin_order_to_erp_seconds"
    assert total(families, name, f"{name}_count") == booked > 0


def test_compare_out_writes_one_metrics_prom_per_run(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = retailtwin(
        "compare",
        "steady-day",
        *SMALL,
        "--vary",
        "hub.sync=event,batch:15m",
        "--seeds",
        "1",
        "--jobs",
        "1",
        "--quiet",
        "--no-run-html",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    top = manifest.verify(out, str(out))
    run_dirs = sorted(out.glob("runs/*/seed-*"))
    assert len(run_dirs) == 2
    lag_sums = []
    for run_dir in run_dirs:
        relative = (run_dir / METRICS_FILE).relative_to(out).as_posix()
        assert top.lists(relative)
        assert complete_run_folder(run_dir, str(run_dir)).lists(METRICS_FILE)
        families = families_in(run_dir / METRICS_FILE)
        name = "retailtwin_sync_lag_seconds"
        lag_sums.append(
            total(families, name, f"{name}_sum") / total(families, name, f"{name}_count")
        )
    event, batch = lag_sums  # runs/v1-... is the first variant: event-driven feeds
    assert batch > 10 * event


def test_metrics_prom_counts_the_stale_prices_the_report_counts(tmp_path: Path) -> None:
    out = tmp_path / "prices"
    done = retailtwin(
        "run", "promotion-launch", "--quiet", "--set", "scenario.scale=0.1", "--out", str(out)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    families = families_in(out / METRICS_FILE)
    pricing = json.loads((out / "report.json").read_text())["metrics"]["pricing"]
    stale = "retailtwin_stale_price_orders"
    for channel, counts in pricing["by_channel"].items():
        assert (
            total(families, stale, f"{stale}_total", channel=channel)
            == (counts["stale_price_orders"])
        )
        sales = "retailtwin_sales_at_moving_prices"
        assert total(families, sales, f"{sales}_total", channel=channel) == counts["sales"]
    assert total(families, stale, f"{stale}_total") == pricing["stale_price_orders"] > 0
    money = "retailtwin_price_difference_cents"
    assert (
        total(families, money, f"{money}_total", direction="overcharged")
        == (pricing["overcharged_cents"])
    )
    assert (
        total(families, money, f"{money}_total", direction="given_away")
        == (pricing["undercharged_cents"])
    )


def test_metrics_prom_counts_the_holds_and_the_tax_the_report_counts(tmp_path: Path) -> None:
    """The fraud screen's holds on fraud-review and the tax engine's figures on
    tax-degraded, the same in metrics.prom as in report.json."""
    for scenario in ("fraud-review", "tax-degraded"):
        out = tmp_path / scenario
        done = retailtwin(
            "run", scenario, "--quiet", "--set", "scenario.scale=0.1", "--out", str(out)
        )
        assert done.returncode == 0, done.stdout + done.stderr
        families = families_in(out / METRICS_FILE)
        metrics = json.loads((out / "report.json").read_text())["metrics"]
        if scenario == "fraud-review":
            fraud = metrics["fraud"]
            for family, key in (
                ("retailtwin_fraud_held_orders", "held"),
                ("retailtwin_fraud_false_holds", "false_holds"),
                ("retailtwin_fraud_rejected_orders", "rejected"),
            ):
                assert total(families, family, f"{family}_total") == fraud[key] > 0, family
            waits = "retailtwin_fraud_review_seconds"
            finished = metrics["fraud_review_s"]["all"]
            assert total(families, waits, f"{waits}_count") == (
                finished["count"] - finished["censored"]
            )
        else:
            figures = metrics["tax"]
            liability = "retailtwin_tax_liability_cents"
            assert total(families, liability, liability) == figures["liability_cents"] > 0
            absorbed = "retailtwin_tax_absorbed_cents"
            assert total(families, absorbed, f"{absorbed}_total") == figures["absorbed_cents"]
