"""A settling marketplace's payouts answer the same from SQLite and PostgreSQL:
marketplace-settlement at a tenth projected into each (as `run --out` projects it),
the payouts list paged both ways, sorted and filtered, a payout's lines paged back, and
the marketplace-collected orders with their transactions and cross-system view."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import UNTHROTTLED, gql
from postgres_support import Cluster
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings, Role
from hub.adapters.read_model import ReadModel, sqlite_url
from scenarios.checking.verdict import judge
from scenarios.reports.read_model import write_finished_run
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

SETTINGS = ApiSettings(api_keys={"view-key": Role.VIEWER}, cost_restore_rate=UNTHROTTLED)
SETTLED = ("scenario.scale=0.1",)

PAYOUTS = """query($after: String, $before: String, $last: Int, $first: Int,
                  $filter: PayoutFilter, $sortKey: PayoutSortKeys, $reverse: Boolean) {
  payouts(first: $first, after: $after, last: $last, before: $before, filter: $filter,
          sortKey: $sortKey, reverse: $reverse) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id state paidAt receivedAt bookedAt erpDocumentNumber
      deposit { amount } totalClaims { amount } totalFees { amount }
      lineCount unmatchedLineCount
      lines(last: 3, filter: {state: [BOOKED]}) { totalCount
        pageInfo { hasPreviousPage startCursor }
        edges { cursor node { lineId type state reported { amount } applied { amount }
          claim { amount } order { id paymentCollectedBy
            transactions { kind status amount { amount } processedAt }
            crossSystem { inSync } } } } } } } } }"""


@pytest.fixture(scope="module")
def clients(
    postgres_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, TestClient]]:
    scenario = load_scenario("marketplace-settlement", SETTLED)
    observer = TimelineRecorder()
    result = run(scenario, observer=observer)
    verdict = judge(result, "marketplace-settlement", SETTLED)
    entries = list(observer.entries)
    folder: Path = tmp_path_factory.mktemp("payouts")
    with postgres_cluster.database("payouts") as postgres:
        urls = {"sqlite": sqlite_url(folder / "read_model.sqlite"), "postgresql": postgres}
        for url in urls.values():
            observer.entries = list(entries)
            asyncio.run(write_finished_run(result, verdict, observer, ReadModel.open(url)))
        schema = composed_schema(SETTINGS)
        apps = {name: create_app(schema, url, SETTINGS) for name, url in urls.items()}
        with TestClient(apps["sqlite"]) as sqlite, TestClient(apps["postgresql"]) as pg:
            yield {"sqlite": sqlite, "postgresql": pg}


def _both(clients: dict[str, TestClient], variables: dict[str, Any]) -> dict[str, Any]:
    answers = {
        name: gql(client, PAYOUTS, variables, key="view-key") for name, client in clients.items()
    }
    for answer in answers.values():
        answer.pop("extensions")
    assert "errors" not in answers["sqlite"], answers["sqlite"]
    assert answers["postgresql"] == answers["sqlite"]
    page: dict[str, Any] = answers["sqlite"]["data"]["payouts"]
    return page


def test_payouts_page_the_same_either_way_on_both_databases(
    clients: dict[str, TestClient],
) -> None:
    first = _both(clients, {"first": 2})
    assert first["totalCount"] >= 3 and first["pageInfo"]["hasNextPage"]
    second = _both(clients, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    back = _both(clients, {"last": 2, "before": second["pageInfo"]["startCursor"]})
    assert [e["node"]["id"] for e in back["edges"]] == [e["node"]["id"] for e in first["edges"]]
    node = max((e["node"] for e in first["edges"] + second["edges"]), key=lambda n: n["lineCount"])
    assert node["lines"]["totalCount"] == node["lineCount"] > 3
    assert node["lines"]["edges"][0]["node"]["order"]["paymentCollectedBy"] == "MARKETPLACE"
    for variables in (
        {"sortKey": "RECEIVED_AT"},
        {"sortKey": "ID", "reverse": True},
        {"filter": {"state": ["BOOKED"], "paidShort": True}},
        {"filter": {"paidShort": False}},
        {"filter": {"state": ["MATCHING", "REPORTED"]}},
    ):
        _both(clients, {"first": 3, **variables})
