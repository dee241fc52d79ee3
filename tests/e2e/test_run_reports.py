"""`retailtwin run --out DIR` writes report.json (sealed), junit.xml (one case per
invariant and SLA, failures carrying the check's detail) and a self-contained
report.html."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from cli_runner import retailtwin

from scenarios.reports.integrity import verify


def test_failing_run_writes_junit_naming_the_broken_invariant_and_sla(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = retailtwin(
        "run",
        "steady-day",
        "--quiet",
        "--set",
        "scenario.scale=0.2",
        "--set",
        "scenario.duration=6h",
        "--set",
        'hub.defects=["unbalanced_journal"]',
        "--set",
        "sla.sync_lag_p95=1s",
        "--out",
        str(out),
    )
    assert result.returncode == 1
    report = json.loads((out / "report.json").read_text())
    verify(report)
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert len(cases) == len(report["invariants"]) + len(report["sla"])
    assert int(suite.get("failures", "0")) == sum(
        not c["passed"] for c in report["invariants"] + report["sla"]
    )
    failure = cases["money_balances"].find("failure")
    detail = next(c["detail"] for c in report["invariants"] if c["name"] == "money_balances")
    assert failure is not None and failure.get("message") == detail
    assert failure.get("type") == "InvariantViolated"
    assert cases["exactly_once"].find("failure") is None
    sla = cases["sync_lag_p95_s"].find("failure")
    assert sla is not None
    assert re.fullmatch(
        r"sync_lag_p95_s = [\d.]+ > threshold 1 \(must be <= 1\)", sla.get("message", "")
    )
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["digest"] == report["digest"]
    assert properties["replay"] == report["replay"]


def test_report_html_is_self_contained(tmp_path: Path) -> None:
    result = retailtwin(
        "run", "erp-outage", "--quiet", "--set", "scenario.scale=0.1", "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "report.html").read_text()
    charts = re.findall(r'<svg class="chart" data-chart="([^"]+)"', html)
    assert html.count("<svg") == len(charts)
    assert {"latency-erp", "latency-ship", "sync-lag", "queues", "hot-skus"} <= set(charts)
    assert "<script" not in html
    # the latency percentiles' bound is stated under the verdict that shows them
    assert re.search(r"<p class=\"meta\" data-precision>[^<]*less than 0\.098 % over it", html)
    # nothing fetched: the only URLs are SVG/XLink namespace names
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    # ids are unique across the inline charts, so no chart borrows another's clip path
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_report_is_titled_by_the_scenario_name_not_the_file(tmp_path: Path) -> None:
    """A scenario run from a file is titled by the name it gives itself; the file's path
    is shown under the title (two files may hold the same name), the replay command keeps
    the path, and the volumes read as words, not a mapping of channel keys."""
    shipped = Path("scenarios/spec/library/steady-day.toml").read_text()
    source = tmp_path / "drafts" / "my-try.toml"
    source.parent.mkdir()
    source.write_text(shipped.replace('name = "steady-day"', 'name = "tuesday-trial"', 1))
    out = tmp_path / "out"
    result = retailtwin(
        "run", str(source), "--quiet", "--set", "scenario.scale=0.05", "--out", str(out)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "report.html").read_text()
    assert re.search(r"<title>tuesday-trial seed 1: retailtwin</title>", html)
    assert re.search(r"<h1>tuesday-trial \(seed 1\) ", html)
    assert f"scenario file: <code>{source}</code>" in html
    assert "my-try.toml" not in html.split("</title>")[0]
    report = json.loads((out / "report.json").read_text())
    assert str(source) in report["replay"]
    assert re.search(r"\d+ channel orders \([\d,]+ web, ", html)
    assert "{'" not in html and "click_collect':" not in html
