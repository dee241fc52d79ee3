"""The prices the hub holds per channel and the promotions they name, through the API
over a finished run's read model (what `retailtwin run promotion-launch --out DIR`
leaves and `serve --db DIR` serves): promotion-launch at a tenth, cut at 03:00 with half
an hour's drain, so the midnight doorbuster is still on when the run ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_support import gql, graph_app, served_run
from starlette.testclient import TestClient

from scenarios.twin.run_result import RunResult

OVERRIDES = ("scenario.scale=0.1", "scenario.duration=3h", "scenario.drain=30m")

PROMOTIONS = """{ promotions(first: 2) { totalCount nodes { name channels skuCount priceCount
  minPercentOff maxPercentOff active stale staleSeconds
  skus(first: 50) { nodes { legacyResourceId channelPrices { channel promotion
    price { amount } listPrice { amount } version stale staleSeconds pushedAt } } } } } }"""


def cut_run() -> tuple[RunResult, Path]:
    return served_run("promotion-launch", OVERRIDES)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app(db=cut_run()[1] / "read_model.sqlite")) as served:
        yield served


def test_the_doorbuster_is_listed_with_its_channels_and_skus(client: TestClient) -> None:
    result, _ = cut_run()
    body = gql(client, PROMOTIONS)
    assert "errors" not in body, body
    page = body["data"]["promotions"]
    # the lunchtime flash has not been heard yet: the hub's view, not the source's plan
    (doorbuster,) = page["nodes"]
    assert page["totalCount"] == 1 and doorbuster["name"] == "DOORBUSTER"
    assert doorbuster["channels"] == ["WEB", "MARKETPLACE", "STORES"]
    (planned,) = [p for p in result.estate.pricing.promotions if p.name == "DOORBUSTER"]
    skus = {s["legacyResourceId"] for s in doorbuster["skus"]["nodes"]}
    assert skus == set(planned.skus) and doorbuster["skuCount"] == len(skus) > 0
    assert doorbuster["priceCount"] == 3 * len(skus)
    assert 39.5 < doorbuster["minPercentOff"] <= doorbuster["maxPercentOff"] < 40.5
    # event-driven sync has long pushed it everywhere by the end of the drain
    assert doorbuster["active"] and not doorbuster["stale"] and doorbuster["staleSeconds"] == 0


def test_each_sku_s_channel_prices_are_what_the_hub_holds(client: TestClient) -> None:
    result, _ = cut_run()
    held = {(h.sku, h.channel): h for h in result.estate.hub.price_sync.held()}
    body = gql(client, PROMOTIONS)
    (doorbuster,) = body["data"]["promotions"]["nodes"]
    for sku in doorbuster["skus"]["nodes"]:
        assert [p["channel"] for p in sku["channelPrices"]] == ["WEB", "MARKETPLACE", "STORES"]
        for shown in sku["channelPrices"]:
            hub = held[(sku["legacyResourceId"], shown["channel"].lower())]
            assert shown["promotion"] == "DOORBUSTER" == hub.promotion
            assert shown["version"] == hub.version and not shown["stale"]
            assert round(float(shown["price"]["amount"]) * 100) == hub.price_cents
            assert round(float(shown["listPrice"]["amount"]) * 100) == hub.list_price_cents
            assert shown["pushedAt"] is not None
