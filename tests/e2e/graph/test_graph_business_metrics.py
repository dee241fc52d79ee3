"""`/metrics` carries the business metrics: over a finished run (`serve --db`) the
end-of-run figures, over a live twin figures that move; the same OpenMetrics as the
run's metrics.prom, and the classic text format to a scraper that does not ask for it."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_support import DASHBOARD, dashboard_queries, metric_names
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


def scraped_names(client: TestClient) -> set[str]:
    """The sample names a scrape of the app has (a finished run, so every family)."""
    return {
        match.group(1)
        for match in re.finditer(
            r"^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", client.get("/metrics").text, re.M
        )
    }


def test_the_dashboard_queries_only_metrics_the_server_exports(client: TestClient) -> None:
    gql(client, "{ __typename }")  # so that the request metrics have samples too
    exported = scraped_names(client)
    queries = dashboard_queries()
    assert len(queries) > 20
    for title, expr in queries:
        names = metric_names(expr)
        assert names, f"{title}: {expr} selects no metric"
        assert names <= exported, f"{title}: {sorted(names - exported)} are not exported"


def test_the_dashboard_has_the_panels_the_business_asks_for() -> None:
    board = json.loads(DASHBOARD.read_text())
    used = {name for _, expr in dashboard_queries() for name in metric_names(expr)}
    for wanted in (
        "retailtwin_order_to_erp_seconds_bucket",
        "retailtwin_order_to_ship_seconds_bucket",
        "retailtwin_sync_lag_seconds_bucket",
        "retailtwin_return_to_refund_seconds_bucket",
        "retailtwin_duplicates_delivered_total",
        "retailtwin_oversold_units_total",
        "retailtwin_reconciliation_backlog",
        "retailtwin_duplicated_effects_total",
        "retailtwin_exception_queue_depth",
        "retailtwin_dead_letter_depth",
        "retailtwin_breaker_state",
        "retailtwin_lane_queue_depth",
        "retailtwin_erp_backlog",
    ):
        assert wanted in used, wanted
    latency = next(p for p in board["panels"] if p["title"].startswith("Order placed → ERP"))
    quantiles = {re.match(r"histogram_quantile\(([\d.]+)", t["expr"]) for t in latency["targets"]}
    assert {m.group(1) for m in quantiles if m} == {"0.5", "0.95", "0.99"}
    assert all("by (le, channel)" in t["expr"] for t in latency["targets"])
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    cells = [
        (x, y)
        for p in board["panels"]
        for x in range(p["gridPos"]["x"], p["gridPos"]["x"] + p["gridPos"]["w"])
        for y in range(p["gridPos"]["y"], p["gridPos"]["y"] + p["gridPos"]["h"])
    ]
    assert len(cells) == len(set(cells)), "panels overlap"
    assert all(p["gridPos"]["x"] + p["gridPos"]["w"] <= 24 for p in board["panels"])


def test_metric_names_are_read_out_of_promql() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, channel) (rate(retailtwin_a_bucket{channel=~"$c",'
        'x="sum(no_metric)"}[$__rate_interval]))) / on (system) group_left retailtwin_b offset 5m'
    )
    assert metric_names(expr) == {"retailtwin_a_bucket", "retailtwin_b"}
    assert metric_names("2 * max by (system) (up) + rate(c_total[1m]) > bool 0") == {
        "up",
        "c_total",
    }


API_DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def test_every_exported_metric_is_documented(client: TestClient) -> None:
    """docs/api.md's Metrics section names every family a scrape has, and its table
    gives each business family the type, unit, labels and meaning the code declares."""
    text = API_DOC.read_text()
    section = text[text.index("## Metrics") : text.index("## Under the API")]
    served = families_of(client.get("/metrics", headers={"accept": OPENMETRICS}).text)
    for name, family in served.items():
        shown = f"{name}_total" if family.type == "counter" else name
        assert f"`{shown}" in section, f"{shown} is not in docs/api.md#metrics"
    rows = {
        cells[0].strip("` "): [c.strip() for c in cells[1:5]]
        for line in section.splitlines()
        if line.startswith("| `retailtwin_") and (cells := line.strip("|").split("|"))
    }
    for family in FAMILIES:
        labels = ", ".join(f"`{label}`" for label in family.labels)
        assert rows.get(family.name) == [family.kind, family.unit, labels, family.help]
    assert set(rows) == {family.name for family in FAMILIES}
