"""The servers `make bench-api` measures are never throttled (benchmarks/http_measure.py):
one client asks for hundreds of pages a second, and at the default refill the query-cost
bucket answered 429 within seconds, so the benchmark measured nothing."""

from __future__ import annotations

from benchmarks.http_measure import UNTHROTTLED
from graph.settings import ApiSettings


def test_a_benchmarked_server_refills_its_bucket_faster_than_it_is_asked() -> None:
    settings = ApiSettings.from_env(UNTHROTTLED)
    assert settings.cost_restore_rate >= 1000 * ApiSettings().cost_restore_rate
