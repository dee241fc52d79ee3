"""A Prometheus server for the tests: started by the project's own script
(scripts/prometheus.sh, which installs Debian's server when it is missing), scraping a
`retailtwin serve` the test started, stopped afterwards.

A test that needs Prometheus fails when it cannot be had, with the script's reason (no
apt-get, no root, apt's own error): the exported metrics are part of what `make test`
checks, so it is never skipped.
"""

from __future__ import annotations

import math
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "prometheus.sh"

#: what the session's prometheus tests ran on, for the summary (tests/conftest.py)
SERVERS: list[str] = []


class PrometheusUnavailable(RuntimeError):
    """No Prometheus for the tests; the message says why."""


@dataclass(frozen=True, slots=True)
class Prometheus:
    url: str
    folder: Path

    def query(self, promql: str) -> list[dict[str, Any]]:
        """An instant query's result vector; AssertionError naming the query when the
        server refuses it (bad PromQL)."""
        response = httpx2.get(f"{self.url}/api/v1/query", params={"query": promql}, timeout=10)
        body = response.json()
        assert body["status"] == "success", f"{promql}: {body.get('error')}"
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def version(self) -> str:
        info = httpx2.get(f"{self.url}/api/v1/status/buildinfo", timeout=10).json()
        return f"Prometheus {info['data']['version']} at {self.url.removeprefix('http://')}"


def start_prometheus(target: str, wait_s: int = 60) -> Prometheus:
    """A Prometheus scraping http://TARGET/metrics every second, once it has scraped
    it; the script stops it by itself should this process die without stopping it."""
    command = ["bash", str(SCRIPT), "start", "--target", target, "--watch", str(os.getpid())]
    try:
        done = subprocess.run(
            [*command, "--wait", str(wait_s)],
            capture_output=True,
            text=True,
            timeout=1200,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise PrometheusUnavailable(f"{SCRIPT} start took over 20 minutes") from None
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    if done.returncode != 0 or "PROMETHEUS_URL" not in values:
        raise PrometheusUnavailable(
            f"{SCRIPT} could not start Prometheus for the tests (exit {done.returncode}):\n"
            f"{done.stderr.strip()}"
        )
    return Prometheus(values["PROMETHEUS_URL"], Path(values["PROMDIR"]))


def stop_prometheus(server: Prometheus) -> None:
    subprocess.run(
        ["bash", str(SCRIPT), "stop", str(server.folder)],
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@contextmanager
def prometheus_scraping(target: str) -> Iterator[Prometheus]:
    """`start_prometheus` for the block, stopped after; the test fails (never skips)
    with the script's reason when there is no Prometheus to be had."""
    try:
        server = start_prometheus(target)
    except PrometheusUnavailable as exc:
        SERVERS.append("no server: it could not be started")
        pytest.fail(str(exc), pytrace=False)
    SERVERS.append(server.version())
    try:
        yield server
    finally:
        stop_prometheus(server)


def wait_for_series(
    server: Prometheus, promql: str, labels: dict[str, set[str]], timeout_s: float = 90.0
) -> list[dict[str, Any]]:
    """Query until the result has a series with a number (not NaN) for each value of
    each label (e.g. {"channel": {"web", "marketplace"}}); the last result."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = server.query(promql)
        found = {
            name: {
                series["metric"].get(name)
                for series in result
                if math.isfinite(float(series["value"][1]))
            }
            for name in labels
        }
        if all(wanted <= found[name] for name, wanted in labels.items()):
            return result
        assert time.monotonic() < deadline, f"{promql}: after {timeout_s:.0f} s only {result}"
        time.sleep(1.0)
