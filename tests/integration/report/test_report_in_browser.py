"""report.html in a real browser: it loads offline with no console errors, fetches
nothing, and every chart is an SVG of real size with lines drawn in it. Screenshots
land in out/screenshots/ for people to look at."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "out" / "screenshots"
CHART_FACTS = """
return [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const lines = [...svg.querySelectorAll('g[id*="line2d"] path, g[id*="PathCollection"] use,'
                                         + ' g[id*="PathCollection"] path')]
    .filter(p => { const b = p.getBBox(); return b.width > 0 || b.height > 0; });
  return {name: svg.dataset.chart, width: box.width, height: box.height,
          drawn: lines.length};
});
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


def test_run_report_renders_every_chart(browser: webdriver.Chrome, run_report: Path) -> None:
    charts = load(browser, run_report)
    assert [c["name"] for c in charts] == ["latency", "sync-lag", "queues", "hot-skus"]
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 150, chart
        assert chart["drawn"] > 0, chart
    verdict_rows = browser.execute_script("return document.querySelectorAll('tbody tr').length")
    assert verdict_rows >= 6 + 4  # six invariants and the scenario's SLAs
    screenshot(browser, "report.png")


def test_compare_report_renders_every_chart(
    browser: webdriver.Chrome, compare_report: Path
) -> None:
    charts = load(browser, compare_report)
    assert [c["name"] for c in charts] == ["metric-dots", "over-time"]
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 150, chart
        assert chart["drawn"] > 0, chart
    screenshot(browser, "compare.png")
