"""report.html in a real browser: it loads offline with no console errors, fetches
nothing, and every chart is an SVG of real size with lines drawn in it, made of the
panels the run calls for (one per channel that took orders, one per backend that
queued, one column per compare variant, all the same size), with the panels left out
named in a line. Screenshots land in out/screenshots/ for people to look at."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "out" / "screenshots"
#: the run's charts are written by `scenarios.reports.svg` (data lines `path.series`, the
#: plot area `rect.plot-area`), the comparison's by matplotlib (its `line2d` and
#: `PathCollection` groups, the axes' background `patch`)
CHART_FACTS = """
const LINES = 'path.series, g[id*="line2d"] path, g[id*="PathCollection"] use, '
  + 'g[id*="PathCollection"] path';
const drawn = node => [...node.querySelectorAll(LINES)]
  .filter(p => { const b = p.getBBox(); return b.width > 0 || b.height > 0; }).length;
return [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const prefix = svg.dataset.chart + '-panel-';
  const panels = [...svg.querySelectorAll(`g[id^="${prefix}"]`)].map(g => {
    // the plot area: the axes' background patch, without tick labels and titles
    const area = ':scope > rect.plot-area, :scope > g[id*="patch"] path';
    const b = g.querySelector(area).getBoundingClientRect();
    return {key: g.id.slice(prefix.length), width: b.width, height: b.height,
            drawn: drawn(g)};
  });
  return {name: svg.dataset.chart, width: box.width, height: box.height,
          drawn: drawn(svg), panels: panels};
});
"""
LEFT_OUT = """
const out = {};
document.querySelectorAll('p.left-out').forEach(p => { out[p.dataset.leftOut] = p.textContent; });
return out;
"""


def retailtwin(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", *args, "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr


@pytest.fixture(scope="module")
def run_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    retailtwin("run", "erp-outage", "--set", "scenario.scale=0.1", "--out", str(out))
    return out / "report.html"


@pytest.fixture(scope="module")
def compare_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare")
    retailtwin(
        "compare",
        "erp-outage",
        "--set",
        "scenario.scale=0.05",
        "--vary",
        "hub.erp_buffer=true,false",
        "--seeds",
        "2",
        "--jobs",
        "1",
        "--no-run-html",
        "--out",
        str(out),
    )
    return out / "report.html"


def load(browser: webdriver.Chrome, page: Path) -> list[dict[str, Any]]:
    browser.set_window_size(1280, 900)
    browser.get(page.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert fetched == [], f"report.html fetched {fetched}"
    facts: list[dict[str, Any]] = browser.execute_script(CHART_FACTS)
    return facts


def screenshot(browser: webdriver.Chrome, name: str) -> Path:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, int(height) + 40)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    assert browser.save_screenshot(str(path))
    assert path.stat().st_size > 50_000  # a page of charts, not a blank
    return path


def _by_name(charts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {chart["name"]: chart for chart in charts}
    assert len(found) == len(charts), [c["name"] for c in charts]
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 150, chart
        assert chart["drawn"] > 0, chart
        for panel in chart["panels"]:
            assert panel["width"] > 100 and panel["height"] > 40, (chart["name"], panel)
    return found


def _keys(chart: dict[str, Any]) -> list[str]:
    return [panel["key"] for panel in chart["panels"]]


def test_run_report_renders_a_panel_per_channel_and_backend(
    browser: webdriver.Chrome, run_report: Path
) -> None:
    report = json.loads((run_report.parent / "report.json").read_text())
    channels = sorted(report["metrics"]["volumes"]["orders_by_channel"])
    charts = _by_name(load(browser, run_report))
    oversold = report["metrics"]["oversell"]["oversold_units"] > 0
    assert list(charts) == [
        "latency-erp",
        "latency-ship",
        "sync-lag",
        "queues",
        *(["oversold"] if oversold else []),
        "hot-skus",
    ]
    # one latency panel per channel that took orders, side by side at the same size
    latency = charts["latency-erp"]
    assert _keys(latency) == channels
    assert len({(round(p["width"]), round(p["height"])) for p in latency["panels"]}) == 1
    assert all(p["drawn"] > 0 for p in latency["panels"]), latency
    # click and collect orders are collected in store: no shipping panel, and a line
    # says so
    assert _keys(charts["latency-ship"]) == [c for c in channels if c != "click_collect"]
    left_out = browser.execute_script(LEFT_OUT)
    assert left_out["latency-ship"] == "No click_collect orders shipped during the run."
    assert _keys(charts["sync-lag"]) == ["web", "marketplace"]
    # the outage queues writes in the ERP lane; every backend that queued has its panel
    queues = _keys(charts["queues"])
    assert queues[0] == "erp" and {"wms", "pos"} <= set(queues), queues
    assert "no dead letters" in left_out["queues"], left_out
    if not oversold:
        assert left_out["oversold"] == "No oversold units during the run."
    verdict_rows = browser.execute_script("return document.querySelectorAll('tbody tr').length")
    assert verdict_rows >= 6 + 4  # six invariants and the scenario's SLAs
    screenshot(browser, "report.png")


def test_compare_report_puts_variants_side_by_side(
    browser: webdriver.Chrome, compare_report: Path
) -> None:
    charts = _by_name(load(browser, compare_report))
    assert list(charts) == ["metric-dots", "over-time"]
    over_time = charts["over-time"]
    panels = {p["key"]: p for p in over_time["panels"]}
    rows = [key.removesuffix("-v1") for key in panels if key.endswith("-v1")]
    assert rows[:2] == ["sync-lag", "erp_queue_depth"], rows
    # the unbuffered design dead-letters writes: that row is drawn for both variants
    assert "dead_letter_depth" in rows
    assert sorted(panels) == sorted(f"{row}-v{v}" for row in rows for v in (1, 2))
    for row in rows:
        left, right = panels[f"{row}-v1"], panels[f"{row}-v2"]
        assert abs(left["width"] - right["width"]) < 2, (left, right)
        assert abs(left["height"] - right["height"]) < 2, (left, right)
    left_out = browser.execute_script(LEFT_OUT)
    assert "lost orders" in left_out["metric-dots"], left_out
    screenshot(browser, "compare.png")
