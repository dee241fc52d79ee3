"""The charts as drawn: one panel per channel present in the run, on axes the panels
share; a queue panel per backend that queued; panels with nothing in them left out and
named; compare variants in columns of their own with the same axes. The run's charts
are drawn without matplotlib (`scenarios.reports.svg`), the comparison's with it."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scenarios.checking.histogram import record_all
from scenarios.reports import compare_charts, run_charts
from scenarios.reports.charts import styled
from scenarios.reports.series import LagBins, RunSeries, quantiles
from scenarios.reports.svg.scale import Linear, Log

ROOT = Path(__file__).resolve().parents[4]

MINUTES = 180


def _series(
    *,
    erp_peak: float = 90.0,
    dead_letters: bool = False,
    lag: float = 2.0,
    oversold: float = 0.0,
    seed: int = 1,
) -> RunSeries:
    t = [60.0 * i for i in range(MINUTES)]
    zero = [0.0] * MINUTES
    erp = [erp_peak if 60 <= i < 70 else float(i % 2) for i in range(MINUTES)]
    gauges = {
        "erp_queue_depth": erp,
        "erp_backlog": zero,
        "wms_queue_depth": [float(i % 3 == 0) for i in range(MINUTES)],
        "wms_pick_backlog": [4.0 if 100 <= i < 120 else 0.0 for i in range(MINUTES)],
        "payment_queue_depth": zero,
        "marketplace_queue_depth": zero,
        "pos_queue_depth": zero,
        "pos_backlog": zero,
        "dead_letter_depth": [5.0 if dead_letters and i > 70 else 0.0 for i in range(MINUTES)],
        "parked_events": zero,
        "feed_pending_changes": zero,
    }
    bins = LagBins(
        start_s=[600.0 * k for k in range(18)],
        p50_s=[lag] * 18,
        p95_s=[lag * 2] * 18,
        max_s=[lag * 10] * 18,
        count=[40] * 18,
    )
    return RunSeries(
        scenario="synthetic",
        seed=seed,
        duration_s=2.5 * 3600,
        end_s=3 * 3600.0,
        channels=["click_collect", "marketplace", "web"],
        t=t,
        gauges=gauges,
        faults=[(3600.0, 4200.0, "erp outage")],
        order_to_erp_s={
            "click_collect": quantiles(record_all([0.5, 0.8, 1.2])),
            "marketplace": quantiles(record_all([0.3 * k for k in range(1, 200)])),
            "web": quantiles(record_all([0.2 * k for k in range(1, 900)] + [2400.0])),
        },
        # click and collect orders are collected in store, never shipped
        order_to_ship_s={
            "web": quantiles(record_all([3600.0, 5400.0])),
            "marketplace": quantiles(record_all([4000.0])),
        },
        sync_lag={"all": bins, "web": bins, "marketplace": LagBins()},
        oversold_cumulative={
            "all": [oversold] * MINUTES,
            "web": [oversold] * MINUTES,
            "marketplace": zero,
            "click_collect": zero,
        },
        hot_skus={"SKU-1": ([10.0] * MINUTES, [9.0] * MINUTES)},
        thresholds={
            "order_to_erp_p95_s": 600.0,
            "order_to_ship_p95_s": None,
            "sync_lag_p95_s": 60.0,
            "erp_queue_depth_max": None,
        },
    )


def _panels(fig: Figure) -> dict[str, Axes]:
    return {str(ax.get_gid()).removeprefix("panel-"): ax for ax in fig.axes if ax.get_gid()}


def test_latency_has_one_panel_per_channel_on_shared_axes() -> None:
    series = _series()
    fig, drawn, missing = run_charts.latency_figure(
        "latency-erp", series.order_to_erp_s, series.channels, 600.0
    )
    assert fig is not None and missing == []
    found = fig.by_key()
    assert list(found) == drawn == ["click_collect", "marketplace", "web"]
    # one latency scale and one percentile scale: the web's 40-minute tail and click
    # and collect's second are drawn against the same ticks
    assert len({panel.y.scale for panel in found.values()}) == 1
    assert len({panel.x.scale for panel in found.values()}) == 1
    scale = found["click_collect"].y.scale
    assert isinstance(scale, Log)
    assert scale.low <= 0.2 and scale.high >= 2400.0
    # the latency axis is labelled once, left of the row; the threshold is drawn
    assert [p.y.tick_labels for p in found.values()] == [True, False, False]
    assert found["click_collect"].y.label == "latency (log scale)"
    assert [e.label for e in found["web"].entries] == ["p95 threshold"]
    assert found["web"].title.startswith("web: 900 orders, max 40 min")


def test_a_channel_with_nothing_to_draw_is_named_not_drawn() -> None:
    chart = run_charts.latency_ship_chart(_series())
    assert chart.panels == ("marketplace", "web")
    assert chart.left_out == "No click_collect orders shipped during the run."
    assert chart.svg is not None
    ids = set(re.findall(r'id="(latency-ship-panel-[^"]+)"', chart.svg))
    assert ids == {"latency-ship-panel-marketplace", "latency-ship-panel-web"}


def test_a_queue_panel_per_backend_that_queued_the_rest_named() -> None:
    chart = run_charts.queues_chart(_series(dead_letters=True))
    assert chart.panels == ("erp", "wms", "dead_letters")
    assert chart.left_out == (
        "No ERP backlog, no payment gateway queue, no marketplace queue, no store (POS) "
        "queue, no parked events and no feed backlog during the run."
    )
    assert chart.svg is not None and chart.svg.count('id="queues-panel-') == 3


def test_queue_panels_share_the_time_axis_and_start_at_zero() -> None:
    series = _series()
    fig, drawn, _ = run_charts.queues_figure(series)
    assert fig is not None
    found = fig.by_key()
    assert list(found) == drawn == ["erp", "wms"]
    assert {panel.x.scale for panel in found.values()} == {Linear(0.0, 3.0)}
    erp = found["erp"].y.scale
    assert erp.low == 0.0 and erp.high >= 90.0
    # the WMS never held more than one call: its own scale, not the ERP's, and never
    # a 0..1 axis of nothing
    assert found["wms"].y.scale.high < 5.0
    # each panel's legend names its lines; only the last panel labels the time axis
    assert [e.label for e in found["wms"].entries] == [
        "hub's calls to it (waiting, in flight, retrying)",
        "orders waiting for a picker",
    ]
    assert [p.x.label for p in found.values()] == ["", "simulated time (h)"]


def test_charts_with_nothing_to_draw_are_a_sentence() -> None:
    chart = run_charts.oversold_chart(_series(oversold=0.0))
    assert chart.svg is None and chart.panels == ()
    assert chart.left_out == "No oversold units during the run."
    drawn = run_charts.oversold_chart(_series(oversold=7.0))
    assert drawn.panels == ("web",)
    assert drawn.left_out == (
        "No oversold units on click_collect and no oversold units on marketplace during the run."
    )


def test_sync_lag_has_a_panel_per_channel_that_received_feeds() -> None:
    chart = run_charts.sync_lag_chart(_series())
    assert chart.panels == ("web",)
    assert chart.left_out == "No feeds received by the marketplace during the run."
    fig = run_charts.sync_lag_figure(_series())[0]
    assert fig is not None
    web = fig.by_key()["web"]
    assert isinstance(web.y.scale, Log) and web.show_legend
    assert [e.label for e in web.entries] == ["p95", "max", "p95 threshold"]
    assert web.title == "web: 720 stock movements"


def test_hot_skus_legend_names_the_hub_and_the_shop() -> None:
    chart = run_charts.hot_skus_chart(_series())
    assert chart.panels == ("SKU-1",) and chart.svg is not None
    assert ">hub ATS</text>" in chart.svg and ">web shop&#x27;s view</text>" in chart.svg


def test_fixed_margins_keep_every_label_and_legend_inside_the_figure() -> None:
    """The run's charts are laid out with fixed margins, not measured: no title, tick
    label, axis label or legend (the queue panels' long ones included) may stick out
    of the figure, where the SVG would cut it off (text widths estimated wide,
    `svg.metrics`)."""
    series = _series(dead_letters=True)
    figures = [
        run_charts.queues_figure(series)[0],
        run_charts.sync_lag_figure(series)[0],
        run_charts.latency_figure("latency-erp", series.order_to_erp_s, series.channels, 600.0)[0],
        run_charts.hot_skus_figure(series),
    ]
    for fig in figures:
        assert fig is not None
        texts = fig.texts()
        assert any(t.text == "simulated time (h)" or t.text.startswith("percentile") for t in texts)
        for text in texts:
            left, top, right, bottom = text.box()
            assert left >= 0 and right <= fig.width, (fig.name, text)
            assert top >= 0 and bottom <= fig.height, (fig.name, text)


def test_every_chart_is_an_svg_with_ids_of_its_own() -> None:
    """Six charts share one page: every id starts with its chart's name and is unique,
    every reference points at an id of the same chart, and text is escaped."""
    series = _series(dead_letters=True, oversold=3.0)
    series.hot_skus = {"SKU<&>": series.hot_skus["SKU-1"]}
    ids: list[str] = []
    for _, _, draw in run_charts.RUN_CHARTS:
        chart = draw(series)
        assert chart.svg is not None, chart.name
        assert chart.svg.startswith(f'<svg class="chart" data-chart="{chart.name}" ')
        mine = re.findall(r'\bid="([^"]+)"', chart.svg)
        assert all(i.startswith(f"{chart.name}-") for i in mine), chart.name
        assert set(re.findall(r"url\(#([^)]+)\)", chart.svg)) <= set(mine)
        assert len(re.findall(r'<g id="[^"]+-panel-', chart.svg)) == len(chart.panels)
        ids += mine
    assert len(ids) == len(set(ids))
    hot = run_charts.hot_skus_chart(series).svg
    assert hot is not None and ">SKU&lt;&amp;&gt;</text>" in hot and "SKU<&>" not in hot


def test_drawing_the_run_charts_imports_no_matplotlib(tmp_path: Path) -> None:
    """`run --out` draws these on every run: a fresh interpreter drawing all six from a
    run's series must not import matplotlib (nor numpy, which it brings)."""
    pickled = tmp_path / "series.pickle"
    pickled.write_bytes(pickle.dumps(_series(dead_letters=True, oversold=3.0)))
    code = (
        "import json, pickle, sys\n"
        "from scenarios.reports.run_page import chart_sections\n"
        f"series = pickle.loads(open({str(pickled)!r}, 'rb').read())\n"
        "sections = chart_sections(series)\n"
        "assert sum(s.count('<svg class=\"chart\"') for s in sections) == 6\n"
        "print(json.dumps(sorted({'matplotlib', 'numpy'} & set(sys.modules))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_compare_puts_each_variant_in_its_own_column_with_the_same_axes() -> None:
    buffered = [_series(erp_peak=120.0, seed=s) for s in (1, 2)]
    unbuffered = [_series(erp_peak=8.0, dead_letters=True, lag=5.0, seed=s) for s in (1, 2)]
    with styled():
        fig, drawn, left_out = compare_charts.side_by_side_figure(
            ["erp_buffer=true", "erp_buffer=false"], [buffered, unbuffered]
        )
    assert fig is not None
    found = _panels(fig)
    assert list(found) == drawn
    rows = [key.removesuffix("-v1") for key in drawn if key.endswith("-v1")]
    assert rows == [
        "sync-lag",
        "erp_queue_depth",
        "wms_queue_depth",
        "wms_pick_backlog",
        "dead_letter_depth",
    ]
    # one panel per variant in every row, never one variant drawn over the other
    assert sorted(drawn) == sorted(f"{row}-v{v}" for row in rows for v in (1, 2))
    for row in rows:
        left, right = found[f"{row}-v1"], found[f"{row}-v2"]
        assert left.get_ylim() == right.get_ylim(), row
        assert left.get_yscale() == right.get_yscale(), row
    # the buffered design's ERP queue sets the shared scale the unbuffered one is read on
    assert found["erp_queue_depth-v2"].get_ylim()[1] >= 120.0
    # dead letters: zero in one variant, drawn on the other's scale rather than left out
    assert found["dead_letter_depth-v1"].get_ylim()[1] >= 5.0
    assert len({ax.get_xlim() for ax in found.values()}) == 1
    assert "no dead letters" not in " ".join(left_out)
    assert left_out[:2] == ["ERP backlog", "queue at the payment"]


def _comparison(values: dict[str, list[list[float | None]]]) -> dict[str, Any]:
    keys = list(values)
    variants = []
    for v in range(2):
        runs = [{"metrics": {k: values[k][v][s] for k in keys}} for s in range(2)]
        summary = {k: {"mean": _mean(values[k][v])} for k in keys}  # only the mean is drawn
        variants.append({"label": f"variant {v + 1}", "runs": runs, "summary": summary})
    metrics = [
        {"key": k, "label": k.replace("_", " "), "unit": "", "better": "lower"} for k in keys
    ]
    return {"variants": variants, "metrics": metrics}


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def test_metrics_zero_or_never_reached_in_every_run_are_named_not_drawn() -> None:
    chart = compare_charts.metric_dots(
        _comparison(
            {
                "oversold_units": [[3.0, 5.0], [10.0, 12.0]],
                "lost_orders": [[0.0, 0.0], [0.0, 0.0]],
                "dead_lettered_total": [[0.0, 0.0], [60.0, 70.0]],
                "dead_letter_drain_s": [[None, None], [None, None]],
                "order_to_erp_p95_s": [[None, 90.0], [60.0, None]],
            }
        )
    )
    assert chart.panels == ("oversold_units", "dead_lettered_total", "order_to_erp_p95_s")
    assert chart.left_out == (
        "Zero in every run, not drawn: lost orders. "
        "Never reached in any run, not drawn: dead letter drain s."
    )
