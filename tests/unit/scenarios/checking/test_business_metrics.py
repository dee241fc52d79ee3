"""The business metrics (scenarios/checking/business_metrics.py): OpenMetrics that
parses, every declared family and nothing else, the checker's own figures, counters
that only grow while a day runs, and orders never booked shown, not hidden."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from functools import cache

import pytest
import simpy
from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from scenarios.checking import business_metrics, latency, latency_families, observations
from scenarios.checking.metric_families import FAMILIES, LATENCY_BUCKETS_S, series_names
from scenarios.checking.truth import Truth, gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run, start

SMALL = ("scenario.scale=0.3", "scenario.duration=6h")
#: issue 13's fail-fast design: with the ERP down it gives up on orders it never books
FAIL_FAST = (
    "scenario.scale=0.1",
    "hub.erp_buffer=false",
    "hub.retry.max_attempts=2",
    "hub.breaker.failure_threshold=3",
    "hub.breaker.open=2m",
    "hub.auto_replay=false",
)


@cache
def judged(name: str, overrides: tuple[str, ...]) -> tuple[RunResult, Truth, Verdict]:
    result = run(load_scenario(name, overrides))
    truth = gather(result)
    return result, truth, judge(result, name, overrides, truth)


def families_of(text: bytes) -> list[Metric]:
    """The strict OpenMetrics parser's families: it refuses anything OpenMetrics does
    not allow (a histogram without +Inf, a counter without _total, a missing # EOF)."""
    return list(text_string_to_metric_families(text.decode()))  # type: ignore[no-untyped-call]


def parsed(text: bytes) -> dict[str, list[Sample]]:
    """Samples by sample name, from OpenMetrics text."""
    samples: dict[str, list[Sample]] = {}
    for family in families_of(text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    return samples


def value(samples: dict[str, list[Sample]], name: str, **labels: str) -> float:
    found = [s.value for s in samples[name] if labels.items() <= s.labels.items()]
    return float(sum(found))


def test_the_text_is_openmetrics_with_every_declared_family_and_unit() -> None:
    result, truth, _ = judged("steady-day", SMALL)
    text = business_metrics.exposition_text(result, truth, final=True)
    assert text.endswith(b"# EOF\n")
    families = {f.name: f for f in families_of(text)}
    for declared in FAMILIES:
        base = declared.name.removesuffix("_total") if declared.kind == "counter" else declared.name
        assert base in families, declared.name
        assert families[base].type == declared.kind
        assert families[base].unit == declared.unit
        for sample in families[base].samples:
            assert set(sample.labels) - {"le"} == set(declared.labels), sample
    assert set(families) == {
        f.name.removesuffix("_total") if f.kind == "counter" else f.name for f in FAMILIES
    }
    names = {s.name for f in families.values() for s in f.samples}
    assert names <= series_names()


def test_histograms_hold_the_checkers_records_by_channel() -> None:
    result, truth, verdict = judged("steady-day", SMALL)
    samples = parsed(business_metrics.exposition_text(result, truth, final=True))
    booked = [item for item in latency.order_to_erp(result, truth) if not item.censored]
    for channel in ("web", "marketplace", "click_collect"):
        mine = [item.seconds for item in booked if item.group == channel]
        assert mine, channel
        count = value(samples, "retailtwin_order_to_erp_seconds_count", channel=channel)
        assert count == len(mine)
        assert value(samples, "retailtwin_order_to_erp_seconds_sum", channel=channel) == (
            pytest.approx(sum(mine))
        )
        for bound in (0.5, 1.0, 60.0):
            in_bucket = value(
                samples, "retailtwin_order_to_erp_seconds_bucket", channel=channel, le=str(bound)
            )
            assert in_bucket == sum(1 for s in mine if s <= bound)
    # each measure: finished items in the histogram, censored ones beside it
    for measure, key, groups in (
        ("order_to_ship", "order_to_ship_s", ("web", "marketplace")),
        ("sync_lag", "sync_lag_s", ("web", "marketplace")),
        ("return_to_refund", "return_to_refund_s", ("gateway", "till")),
    ):
        label = "route" if measure == "return_to_refund" else "channel"
        for group in groups:
            summary = verdict.metrics[key].get(group) or {"count": 0, "censored": 0}
            count = value(samples, f"retailtwin_{measure}_seconds_count", **{label: group})
            assert count == summary["count"] - summary["censored"], (measure, group)
            waiting = value(samples, f"retailtwin_{measure}_unfinished", **{label: group})
            assert waiting == summary["censored"], (measure, group)
    assert value(samples, "retailtwin_sync_lag_seconds_count", channel="web") > 0


def test_counters_and_gauges_are_the_reports_figures() -> None:
    result, truth, verdict = judged("steady-day", SMALL)
    samples = parsed(business_metrics.exposition_text(result, truth, final=True))
    volumes, oversell = verdict.metrics["volumes"], verdict.metrics["oversell"]
    for channel, orders in volumes["orders_by_channel"].items():
        assert value(samples, "retailtwin_orders_total", channel=channel) == orders
    assert value(samples, "retailtwin_ordered_units_total") == oversell["accepted_units"]
    assert value(samples, "retailtwin_oversold_units_total") == oversell["oversold_units"]
    assert value(samples, "retailtwin_messages_sent_total") == volumes["messages_sent"]
    assert (
        value(samples, "retailtwin_duplicates_delivered_total") == (volumes["duplicates_delivered"])
    )
    assert (
        value(samples, "retailtwin_dead_letters_total")
        == (verdict.metrics["recovery"]["dead_lettered_total"])
    )
    assert (
        value(samples, "retailtwin_reconciliation_drift_positions_total")
        == (volumes["reconciliation_drift"])
    )
    # the run converged: no position out of sync, in either book
    assert value(samples, "retailtwin_stock_positions_out_of_sync", book="hub") == 0
    assert value(samples, "retailtwin_stock_positions_out_of_sync", book="erp") == 0
    metrics = verdict.metrics
    assert (
        value(samples, "retailtwin_reconciliation_backlog")
        == (metrics["reconciliation_backlog"]["at_end"])
    )
    effects = metrics["duplicated_effects"]
    for effect in ("sales_order", "capture", "refund"):
        assert (
            value(samples, "retailtwin_duplicated_effects_total", effect=effect)
            == (effects[f"extra_{effect}s"])
        )
    assert (
        value(samples, "retailtwin_erp_ledger_written_off_positions_total")
        == (metrics["erp_ledger"]["positions_written_off"])
    )
    assert value(samples, "retailtwin_exception_queue_depth") == metrics["exception_queue"]["open"]
    assert value(samples, "retailtwin_exception_queue_oldest_age_seconds") == pytest.approx(
        metrics["exception_queue"]["oldest_age_s"], abs=0.001
    )
    for system in ("erp", "wms", "payment"):
        states = {
            s.labels["state"]: s.value
            for s in samples["retailtwin_breaker_state"]
            if s.labels["system"] == system
        }
        assert states == {"closed": 1.0, "open": 0.0, "half_open": 0.0}


def test_orders_never_booked_are_shown_as_unfinished() -> None:
    """The fail-fast design's histogram to the ERP looks fine over the orders it booked;
    the ones it gave up on are there beside it, as many as the report censors, with how
    long they have waited."""
    result, truth, verdict = judged("erp-outage", FAIL_FAST)
    samples = parsed(business_metrics.exposition_text(result, truth, final=True))
    censored = verdict.metrics["order_to_erp_s"]["all"]["censored"]
    assert censored > 10
    assert value(samples, "retailtwin_order_to_erp_unfinished") == censored
    oldest = value(samples, "retailtwin_order_to_erp_unfinished_oldest_seconds", channel="web")
    assert oldest > 3600
    # and the books show it: facts the ERP never booked, orders in the exception queue,
    # positions where the ERP's ledger is not what the shelves count
    metrics = verdict.metrics
    backlog = value(samples, "retailtwin_reconciliation_backlog")
    assert backlog == metrics["reconciliation_backlog"]["at_end"] > 0
    queued = value(samples, "retailtwin_exception_queue_depth")
    assert queued == metrics["exception_queue"]["open"] > 0
    off = value(samples, "retailtwin_stock_positions_out_of_sync", book="erp")
    assert off == metrics["erp_ledger"]["positions_off_at_end"] > 0


def _monotonic(samples: dict[str, list[Sample]]) -> dict[tuple[str, str], float]:
    """Counter and histogram samples (what may never go down), by name and labels."""
    kinds = {f.name: f.kind for f in FAMILIES}
    grows = {
        name
        for family in FAMILIES
        if kinds[family.name] in ("counter", "histogram")
        for name in family.series()
    }
    return {
        (name, repr(sorted(s.labels.items()))): s.value
        for name, found in samples.items()
        if name in grows
        for s in found
    }


def _during(name: str, overrides: Iterable[str], hours: Iterable[float]) -> list[bytes]:
    env = simpy.Environment()
    result = start(load_scenario(name, tuple(overrides)), env).result
    texts = []
    for hour in hours:
        env.run(until=hour * 3600)
        texts.append(business_metrics.exposition_text(result, gather(result), final=False))
    return texts


def test_counters_and_buckets_only_grow_while_the_day_runs() -> None:
    """Prometheus reads a counter that went down as a restart: in-flight orders must
    not count as oversold and then stop counting."""
    # hub-crash: the hub down at 11:30 for two minutes, and the link to it at 12:15 for
    # 45, so orders wait unreleased (oversold, for the checker, if the day ended then)
    texts = _during("hub-crash", ("scenario.scale=0.1",), [11 + i / 12 for i in range(27)])
    before = _monotonic(parsed(texts[0]))
    assert before[("retailtwin_orders_total", "[('channel', 'web')]")] > 0
    for text in texts[1:]:
        after = _monotonic(parsed(text))
        went_down = {
            key: (before[key], after.get(key)) for key in before if after.get(key, -1) < before[key]
        }
        assert not went_down
        before = after


def test_buckets_are_cumulative_and_end_at_infinity() -> None:
    buckets, total = latency_families.histogram_buckets([0.1, 0.3, 86400.0, 90000.0])
    counts = dict(buckets)
    assert counts["0.1"] == 1  # a value on a bound is in that bucket (le: <=)
    assert counts["0.5"] == 2 and counts["86400.0"] == 3 and counts["+Inf"] == 4
    assert [le for le, _ in buckets][:-1] == [repr(b) for b in LATENCY_BUCKETS_S]
    assert total == pytest.approx(176400.4)


@pytest.mark.parametrize(("name", "overrides"), [("steady-day", SMALL), ("erp-outage", FAIL_FAST)])
def test_a_verdicts_figures_give_the_same_text(name: str, overrides: tuple[str, ...]) -> None:
    """A finished run's metrics.prom takes the figures its verdict computed already
    (`judged`): the text is the one computed from scratch, byte for byte."""
    result, truth, verdict = judged(name, overrides)
    fresh = business_metrics.exposition_text(result, truth, final=True)
    shared = business_metrics.exposition_text(
        result, truth, final=True, judged_from=verdict.judged_from, judged=verdict.metrics
    )
    assert shared == fresh


def test_a_verdicts_figures_are_taken_not_computed_again() -> None:
    """The figures handed over are the ones shown: a doctored verdict shows through
    (the delivery figures, the reconciliation backlog, the ERP ledger, the duplicated
    effects), and a figure the verdict lacks is computed (`receivables`: no portal)."""
    result, truth, verdict = judged("steady-day", SMALL)
    metrics = dict(verdict.metrics)
    assert "receivables" not in metrics
    metrics["reconciliation_backlog"] = {**metrics["reconciliation_backlog"], "at_end": 4321}
    metrics["erp_ledger"] = {**metrics["erp_ledger"], "units_written_off": 77}
    metrics["duplicated_effects"] = {**metrics["duplicated_effects"], "extra_refunds": 5}
    by_channel = metrics["delivery"]["by_channel"]
    metrics["delivery"] = {
        **metrics["delivery"],
        "by_channel": {**by_channel, "web": {**by_channel["web"], "parcels": 999}},
    }
    samples = parsed(business_metrics.exposition_text(result, truth, final=True, judged=metrics))
    assert value(samples, "retailtwin_reconciliation_backlog") == 4321
    assert value(samples, "retailtwin_erp_ledger_written_off_units_total") == 77
    assert value(samples, "retailtwin_duplicated_effects_total", effect="refund") == 5
    assert value(samples, "retailtwin_parcels_total", channel="web") == 999
    assert value(samples, "retailtwin_receivables_open_cents") == 0


@pytest.mark.parametrize(("name", "overrides"), [("steady-day", SMALL), ("erp-outage", FAIL_FAST)])
def test_latencies_walked_once_give_the_same_text(name: str, overrides: tuple[str, ...]) -> None:
    """metrics.prom from the latencies the verdict tallied (`observations.walk`, as
    `run --out` hands them over) is the text walked afresh, byte for byte: the
    buckets, sums, and the unfinished orders' gauges (the fail-fast design leaves
    orders never booked)."""
    result, truth, verdict = judged(name, overrides)
    fresh = business_metrics.exposition_text(
        result, truth, final=True, judged_from=verdict.judged_from, judged=verdict.metrics
    )
    walked = observations.walk(result, truth)
    assert walked.order_to_erp.unfinished or name == "steady-day"
    shared = business_metrics.exposition_text(
        result,
        truth,
        final=True,
        judged_from=verdict.judged_from,
        judged=verdict.metrics,
        walked=walked,
    )
    assert shared == fresh


def test_a_tallys_buckets_are_the_items_buckets() -> None:
    """`observations.Buckets`, added to one item at a time, gives the buckets and the
    sum `histogram_buckets` makes of the items held: bounds included in their bucket
    (le), and the exact sum (`math.fsum`), not the running one, whatever the order."""
    rng = random.Random(7)
    values = [0.1, 0.25, 86400.0, 90000.0, 0.0] + [
        rng.choice((rng.random(), rng.expovariate(1 / 600), 1e-9 * rng.random(), 1e6))
        for _ in range(5000)
    ]
    rng.shuffle(values)
    buckets = observations.Buckets()
    for seconds in values:
        buckets.add(seconds)
    assert buckets.cumulative() == latency_families.histogram_buckets(values)
    running = 0.0
    for seconds in values:
        running += seconds
    assert buckets.cumulative()[1] == math.fsum(values) != running
    assert observations.Buckets().cumulative() == latency_families.histogram_buckets([])
