"""`/metrics` carries the business metrics: over a finished run (`serve --db`) the
end-of-run figures, over a live twin figures that move; the same OpenMetrics as the
run's metrics.prom, and the classic text format to a scraper that does not ask for it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from graph_support import finished_run, gql, graph_app, live_app, wait_for
from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from graph import metrics as api_metrics
from scenarios.checking import business_metrics
from scenarios.checking.metric_families import FAMILIES
from scenarios.checking.truth import gather
from scenarios.live.twin import LiveTwin

OPENMETRICS = "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5"


def families_of(text: str) -> dict[str, Metric]:
    parsed = text_string_to_metric_families(text)  # type: ignore[no-untyped-call]
    return {family.name: family for family in parsed}


def sample(families: dict[str, Metric], family: str, name: str, **labels: str) -> float:
    return float(
        sum(
            s.value
            for s in families[family].samples
            if s.name == name and labels.items() <= s.labels.items()
        )
    )


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as served:
        yield served


def test_the_api_reads_the_document_the_twin_writes() -> None:
    assert api_metrics.METRICS_DOCUMENT == business_metrics.DOCUMENT
    assert api_metrics.OPENMETRICS_KEY == business_metrics.DOCUMENT_KEY


def test_a_finished_run_serves_its_business_metrics_as_openmetrics(client: TestClient) -> None:
    response = client.get("/metrics", headers={"accept": OPENMETRICS})
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    served = families_of(response.text)  # the strict parser: a valid exposition
    for family in FAMILIES:
        assert family.name.removesuffix("_total") in served, family.name
    assert "retailtwin_graphql_requests" in served and "retailtwin_sim_time_seconds" in served
    result, _ = finished_run()
    expected = families_of(
        business_metrics.exposition_text(result, gather(result), final=True).decode()
    )
    for name in ("retailtwin_order_to_erp_seconds", "retailtwin_orders", "retailtwin_erp_backlog"):
        assert served[name].samples == expected[name].samples, name


def test_scrapers_that_do_not_ask_get_the_classic_format(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    assert re.search(
        r'retailtwin_order_to_erp_seconds_bucket\{channel="web",le="\+Inf"\} [1-9]', text
    )
    assert re.search(r'retailtwin_orders_total\{channel="marketplace"\} [1-9]', text)
    assert 'retailtwin_breaker_state{state="closed",system="erp"} 1.0' in text
    assert "# EOF" not in text


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[TestClient, LiveTwin]]:
    app, twin = live_app()
    with TestClient(app) as served:
        yield served, twin


def test_a_live_twin_serves_metrics_that_move(live: tuple[TestClient, LiveTwin]) -> None:
    client, twin = live

    def orders_booked() -> float:
        served = families_of(client.get("/metrics", headers={"accept": OPENMETRICS}).text)
        if "retailtwin_order_to_erp_seconds" not in served:
            return 0.0  # not judged yet
        return sample(
            served, "retailtwin_order_to_erp_seconds", "retailtwin_order_to_erp_seconds_count"
        )

    first = wait_for(orders_booked)
    time.sleep(1.0)  # the twin re-measures every 0.2 s here, and runs 30 minutes a second
    later = wait_for(lambda: (n := orders_booked()) > first and n)
    assert later > first
    gql(client, "{ __typename }")
    text = client.get("/metrics").text
    assert 'retailtwin_graphql_requests_total{operation="query",outcome="ok"}' in text
    assert not twin.finished
