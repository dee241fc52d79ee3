"""`make bench-api` sets the orders page's server CPU per request against the bare
strawberry app's (benchmarks/api_speed.py, benchmarks/http_measure.py): the CPU a
process used is read from /proc, and the ratio is printed only when both were read."""

from __future__ import annotations

import os
import time

from benchmarks.api_speed import BARE_NAME, ORDERS_NAME, cpu_ratio, report
from benchmarks.http_measure import Figures, Sample, cpu_seconds, figures_of


def test_a_process_cpu_time_grows_with_the_work_it_does() -> None:
    before = cpu_seconds(os.getpid())
    assert before is not None
    deadline = time.process_time() + 0.1
    while time.process_time() < deadline:
        pass
    after = cpu_seconds(os.getpid())
    assert after is not None and after - before >= 0.05
    assert cpu_seconds(-1) is None  # no such process


def _figures(bare_cpu: float | None, orders_cpu: float | None) -> list[Figures]:
    floor = figures_of("{ __typename }", [Sample([0.001] * 10, 0.01)])
    bare = figures_of(BARE_NAME, [Sample([0.01] * 10, 0.1, bare_cpu)])
    orders = figures_of(ORDERS_NAME, [Sample([0.02] * 10, 0.2, orders_cpu)])
    return [floor, bare, orders]


def test_the_cpu_ratio_is_per_request_and_only_when_both_servers_were_read() -> None:
    figures = _figures(0.05, 0.065)
    assert figures[1].cpu_ms == 5.0
    ratio = cpu_ratio(figures)
    assert ratio is not None and abs(ratio - 1.3) < 1e-9
    chosen = {"orders": 100}
    assert "server CPU per request" in report(figures, chosen)
    assert "1.30x" in report(figures, chosen)
    unread = _figures(None, 0.065)
    assert cpu_ratio(unread) is None
    assert "server CPU" not in report(unread, chosen)
