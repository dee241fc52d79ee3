"""A real Prometheus scraping a real `retailtwin serve`: the project's script installs
and starts it, it scrapes /metrics, and PromQL answers order latency by channel; every
query of the Grafana dashboard runs on it, and promtool's linter finds nothing to say
about the names. And the script itself: a Prometheus that cannot be had, or a target it
cannot scrape, is said why, never skipped."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
import pytest
from dashboard_support import dashboard_queries
from graph_support import serve_process
from prometheus_support import (
    ROOT,
    SCRIPT,
    PrometheusUnavailable,
    prometheus_scraping,
    start_prometheus,
    wait_for_series,
)

#: the module's tests on one pytest-xdist worker (tests/workers.py): one checks that a
#: start that fails leaves no Prometheus folder behind in /tmp, and the folder of
#: another test's Prometheus started beside it would count as left behind
pytestmark = pytest.mark.xdist_group("prometheus-folders")

#: a live steady day from 9 in the morning, ten simulated minutes a wall second
SERVE = ("steady-day", "--start-at", "9h", "--speed", "600", "--set", "scenario.scale=0.5")
CHANNELS = {"web", "marketplace", "click_collect"}
#: the median: the broker loses 0.5% of messages and redelivers them half an hour later,
#: so a p95 over the first scrapes' few orders can be one lost order's (it was 435 s)
LATENCY_MEDIAN = (
    "histogram_quantile(0.5, sum by (le, channel) "
    "(rate(retailtwin_order_to_erp_seconds_bucket[1m])))"
)


@pytest.mark.prometheus
def test_prometheus_scrapes_serve_and_answers_order_latency_by_channel() -> None:
    with (
        serve_process(*SERVE, "--fresh") as base,
        prometheus_scraping(urlsplit(base).netloc) as prom,
    ):
        median = wait_for_series(prom, LATENCY_MEDIAN, {"channel": CHANNELS})
        by_channel = {s["metric"]["channel"]: float(s["value"][1]) for s in median}
        # steady day, nothing broken: an order typically reaches the ERP within seconds
        assert all(0 < seconds < 60 for seconds in by_channel.values()), by_channel
        buckets = prom.query('retailtwin_order_to_erp_seconds_bucket{le="+Inf"}')
        assert {s["metric"]["channel"] for s in buckets} == CHANNELS
        assert all(s["metric"]["job"] == "retailtwin" for s in buckets)
        breakers = prom.query('retailtwin_breaker_state{system="erp",state="closed"}')
        assert [s["value"][1] for s in breakers] == ["1"]
        # Prometheus's own linter on the classic format: names, units, _total, help
        lint = subprocess.run(
            [promtool(), "check", "metrics"],
            input=httpx2.get(f"{base}/metrics", timeout=10).text,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (lint.returncode, lint.stdout + lint.stderr) == (0, "")
        for title, expr in dashboard_queries():
            promql = expr.replace("$__rate_interval", "1m").replace("$channel", ".*")
            # a query Prometheus refuses fails in `query`, naming it
            assert prom.query(promql), f"{title}: {promql} has no data"


def promtool() -> str:
    """promtool, which comes with Prometheus (Debian's package installs both)."""
    beside = Path(os.environ.get("PROMETHEUS_BIN", "/nonexistent")).with_name("promtool")
    found = str(beside) if beside.is_file() else shutil.which("promtool")
    assert found is not None, "promtool is not installed beside prometheus"
    return found


def _script(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )


def test_a_prometheus_that_cannot_be_had_is_said_why(monkeypatch: pytest.MonkeyPatch) -> None:
    done = _script("start", "--target", "127.0.0.1:1", PROMETHEUS_BIN="/no/such/prometheus")
    assert done.returncode == 1
    assert "PROMETHEUS_BIN=/no/such/prometheus is not an executable prometheus" in done.stderr
    monkeypatch.setenv("PROMETHEUS_BIN", "/no/such/prometheus")
    with pytest.raises(PrometheusUnavailable, match="is not an executable prometheus"):
        start_prometheus("127.0.0.1:1")


@pytest.mark.prometheus
def test_a_target_it_cannot_scrape_is_said_why() -> None:
    # what other runs left (a run killed mid-test leaves its folder): only ours counts
    before = _prometheus_folders()
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(PrometheusUnavailable) as caught:
            start_prometheus(f"127.0.0.1:{port}", wait_s=8)
    message = str(caught.value)
    assert f"could not scrape http://127.0.0.1:{port}/metrics within 8 s" in message
    assert "connection refused" in message
    assert _prometheus_folders() <= before


def _prometheus_folders() -> set[Path]:
    """The running Prometheus folders the script made (each holds its port)."""
    return set(Path(os.environ.get("TMPDIR", "/tmp")).glob("retailtwin-prometheus.*/port"))


def test_tests_that_need_prometheus_fail_when_it_cannot_start() -> None:
    """Never a silent skip: the test fails with the script's reason, and the run fails."""
    target = "tests/integration/test_prometheus.py::" + (
        test_prometheus_scrapes_serve_and_answers_order_latency_by_channel.__name__
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", target],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PROMETHEUS_BIN": "/no/such/prometheus"},
    )
    assert done.returncode == 1, done.stdout
    assert "1 failed" in done.stdout and "skipped" not in done.stdout, done.stdout
    assert "could not start Prometheus for the tests" in done.stdout
    assert "prometheus: ran 1 tests (passed 0, failed 1, errors 0)" in done.stdout


def test_stop_deletes_only_what_the_script_made(tmp_path: Path) -> None:
    assert _script("stop", str(tmp_path / "gone")).returncode == 0  # stopped already
    done = _script("stop", str(tmp_path))
    assert done.returncode == 1 and "not a Prometheus this script started" in done.stderr
    assert tmp_path.exists()
