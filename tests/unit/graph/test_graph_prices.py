"""The prices the hub holds per channel and the promotions they name, through the API,
over a small read model written row by row: staleness against the run's clock, the
promotions derived from the held prices (grouped, filtered by channel and by whether
any push went out), paged either way by name, their SKUs, and bad arguments answered
as the client's errors."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import gql, graph_app
from graphql import parse
from starlette.testclient import TestClient

from graph.cost import requested_cost
from graph.schema import composed_schema
from hub.adapters.read_model import ReadModel, sqlite_url
from hub.adapters.read_model.records import ChannelPriceRecord, LocationRecord, SkuRecord

#: the run's clock when the read model was written
NOW = 1000.0


def price(
    sku: str,
    channel: str,
    cents: int,
    promotion: str,
    heard_at: float,
    pushed_at: float | None,
    *,
    list_cents: int = 1000,
    version: int = 1,
) -> ChannelPriceRecord:
    pushed = pushed_at is not None
    return ChannelPriceRecord(
        sku=sku,
        channel=channel,
        price_cents=cents,
        list_price_cents=list_cents,
        promotion=promotion,
        version=version,
        heard_at=heard_at,
        pushed_version=version if pushed else 0,
        pushed_at=pushed_at if pushed_at is not None else -1.0,
        updated_at=900.0,
    )


PRICES = [
    price("SKU-1", "web", 600, "DOORBUSTER", 10.0, 12.0),
    price("SKU-1", "marketplace", 600, "DOORBUSTER", 10.0, None),  # never pushed
    price("SKU-2", "web", 600, "DOORBUSTER", 10.0, 12.0),
    price("SKU-2", "stores", 800, "LUNCH", 500.0, None, version=2),  # heard, not pushed
    price("SKU-3", "web", 1100, "", 700.0, 702.0, list_cents=1100, version=3),  # list price
    price("SKU-3", "marketplace", 900, "AUTUMN", 5.0, 7.0),
]


async def _write(path: Path) -> None:
    read_model = ReadModel.open(sqlite_url(path))
    try:
        await read_model.create_schema()
        skus = [SkuRecord(f"SKU-{n}", f"Item {n}", "Home", 1000, 2000, n) for n in (1, 2, 3)]
        await read_model.write_master_data(skus, [LocationRecord("DC-1", "dc", "north", "DC")])
        await read_model.write_channel_prices(PRICES)
        await read_model.put_document("run", {"sim_time_s": NOW})
    finally:
        await read_model.dispose()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("prices") / "read_model.sqlite"
    asyncio.run(_write(db))
    with TestClient(graph_app(db=db)) as served:
        yield served


def data(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(client, query, variables)
    assert "errors" not in body, body
    return body["data"]


def error(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(client, query, variables)
    assert body.get("data") is None and body["errors"], body
    return body["errors"][0]


PROMOTIONS = """query($first: Int, $after: String, $last: Int, $before: String,
    $channel: PriceChannel, $activeOnly: Boolean! = false) {
  promotions(first: $first, after: $after, last: $last, before: $before,
             channel: $channel, activeOnly: $activeOnly) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { name channels skuCount priceCount unpushedCount minPercentOff maxPercentOff
            firstHeardAt active stale staleSeconds skus { nodes { legacyResourceId } } }
  }
}"""


def test_a_sku_shows_each_channel_s_held_price_and_how_stale_it_is(client: TestClient) -> None:
    query = """{ sku(id: "SKU-1") { channelPrices { channel price { amount currencyCode }
        listPrice { amount } discount { amount } promotion version heardAt pushedVersion
        pushedAt stale staleSeconds } } }"""
    web, marketplace = data(client, query)["sku"]["channelPrices"]
    assert web == {
        "channel": "WEB",
        "price": {"amount": "6.00", "currencyCode": "USD"},
        "listPrice": {"amount": "10.00"},
        "discount": {"amount": "4.00"},
        "promotion": "DOORBUSTER",
        "version": 1,
        "heardAt": "2025-11-28T00:00:10+00:00",
        "pushedVersion": 1,
        "pushedAt": "2025-11-28T00:00:12+00:00",
        "stale": False,
        "staleSeconds": 0.0,
    }
    assert marketplace["channel"] == "MARKETPLACE" and marketplace["stale"] is True
    assert marketplace["pushedVersion"] is None and marketplace["pushedAt"] is None
    # waiting since the hub heard it, by the run's clock (not the projection's)
    assert marketplace["staleSeconds"] == NOW - 10.0
    at_list = data(
        client,
        '{ sku(id: "SKU-3") { channelPrices(channel: WEB) { promotion discount { amount } } } }',
    )
    assert at_list["sku"]["channelPrices"] == [{"promotion": None, "discount": {"amount": "0.00"}}]


def test_promotions_are_the_held_prices_that_name_one(client: TestClient) -> None:
    page = data(client, PROMOTIONS)["promotions"]
    assert page["totalCount"] == 3
    autumn, doorbuster, lunch = page["nodes"]
    assert [autumn["name"], doorbuster["name"], lunch["name"]] == ["AUTUMN", "DOORBUSTER", "LUNCH"]
    assert doorbuster["channels"] == ["WEB", "MARKETPLACE"]
    assert (doorbuster["skuCount"], doorbuster["priceCount"], doorbuster["unpushedCount"]) == (
        2,
        3,
        1,
    )
    assert doorbuster["minPercentOff"] == doorbuster["maxPercentOff"] == 40.0
    assert doorbuster["active"] and doorbuster["stale"] and doorbuster["staleSeconds"] == NOW - 10
    assert doorbuster["firstHeardAt"] == "2025-11-28T00:00:10+00:00"
    assert [s["legacyResourceId"] for s in doorbuster["skus"]["nodes"]] == ["SKU-1", "SKU-2"]
    # heard, never pushed: held but not active, stale since it was heard
    assert (lunch["active"], lunch["stale"], lunch["staleSeconds"]) == (False, True, NOW - 500)
    assert (autumn["active"], autumn["stale"], autumn["staleSeconds"]) == (True, False, 0.0)


def test_promotions_filter_by_channel_and_by_whether_any_push_went_out(
    client: TestClient,
) -> None:
    active = data(client, PROMOTIONS, {"activeOnly": True})["promotions"]
    assert [p["name"] for p in active["nodes"]] == ["AUTUMN", "DOORBUSTER"]
    assert active["totalCount"] == 2
    (web,) = data(client, PROMOTIONS, {"channel": "WEB"})["promotions"]["nodes"]
    # counted in the web channel alone: pushed there, so not stale
    assert (web["name"], web["channels"], web["priceCount"], web["stale"]) == (
        "DOORBUSTER",
        ["WEB"],
        2,
        False,
    )
    (stores,) = data(client, PROMOTIONS, {"channel": "STORES"})["promotions"]["nodes"]
    assert stores["name"] == "LUNCH" and [s["legacyResourceId"] for s in stores["skus"]["nodes"]]
    marketplace = data(client, PROMOTIONS, {"channel": "MARKETPLACE"})["promotions"]["nodes"]
    doorbuster = next(p for p in marketplace if p["name"] == "DOORBUSTER")
    assert [s["legacyResourceId"] for s in doorbuster["skus"]["nodes"]] == ["SKU-1"]


def test_promotions_page_either_way_by_name(client: TestClient) -> None:
    first = data(client, PROMOTIONS, {"first": 2})["promotions"]
    assert [p["name"] for p in first["nodes"]] == ["AUTUMN", "DOORBUSTER"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    rest = data(client, PROMOTIONS, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    rest = rest["promotions"]
    assert [p["name"] for p in rest["nodes"]] == ["LUNCH"] and rest["totalCount"] == 3
    assert rest["pageInfo"]["hasPreviousPage"] and not rest["pageInfo"]["hasNextPage"]
    back = data(client, PROMOTIONS, {"last": 2, "before": rest["pageInfo"]["startCursor"]})
    back = back["promotions"]
    assert [p["name"] for p in back["nodes"]] == ["AUTUMN", "DOORBUSTER"]
    assert back["pageInfo"]["hasNextPage"] and not back["pageInfo"]["hasPreviousPage"]
    (last,) = data(client, PROMOTIONS, {"last": 1})["promotions"]["nodes"]
    assert last["name"] == "LUNCH"


def test_a_promotion_s_skus_page_by_popularity(client: TestClient) -> None:
    query = """query($after: String) { promotions(first: 1, after: $after) { nodes {
        skus(first: 1) { pageInfo { hasNextPage endCursor } nodes { legacyResourceId } } } } }"""
    autumn = data(client, PROMOTIONS, {"first": 1})["promotions"]["pageInfo"]["endCursor"]
    (doorbuster,) = data(client, query, {"after": autumn})["promotions"]["nodes"]
    assert [s["legacyResourceId"] for s in doorbuster["skus"]["nodes"]] == ["SKU-1"]
    assert doorbuster["skus"]["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ("first: -1", "first"),
        ("first: 0", "first"),
        ("last: 101", "last"),
        ('after: "not a cursor"', "after"),
        ('before: "eyJ4IjogMX0="', "before"),
        ("first: 1, last: 1", "last"),
    ],
)
def test_bad_paging_arguments_are_the_client_s_error(
    client: TestClient, arguments: str, argument: str
) -> None:
    found = error(client, f"{{ promotions({arguments}) {{ totalCount }} }}")
    assert found["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}


def test_a_cursor_of_another_list_is_refused(client: TestClient) -> None:
    skus = data(client, "{ skus(first: 1) { pageInfo { endCursor } } }")
    cursor = skus["skus"]["pageInfo"]["endCursor"]
    found = error(
        client, "query($c: String) { promotions(after: $c) { totalCount } }", {"c": cursor}
    )
    assert found["extensions"]["code"] == "BAD_USER_INPUT"
    assert "is not a cursor of this promotions list" in found["message"]
    promotions = data(client, "{ promotions(first: 1) { pageInfo { endCursor } } }")
    cursor = promotions["promotions"]["pageInfo"]["endCursor"]
    nested = "query($c: String) { promotions { nodes { skus(after: $c) { totalCount } } } }"
    body = gql(client, nested, {"c": cursor})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}


def test_an_unknown_channel_is_a_client_error_naming_the_enum(client: TestClient) -> None:
    """Refused before execution, never a server error: a document that does not
    validate is GraphQL over HTTP's 400, a variable of the wrong value a 200 with no
    data, and either names the enum."""
    for query, variables, status in [
        ("{ promotions(channel: NOPE) { totalCount } }", None, 400),
        ("query($c: PriceChannel) { promotions(channel: $c) { totalCount } }", {"c": "web"}, 200),
        ('{ sku(id: "SKU-1") { channelPrices(channel: ONLINE) { version } } }', None, 400),
    ]:
        body = gql(client, query, variables, status=status)
        assert body.get("data") is None and "PriceChannel" in body["errors"][0]["message"], body


def test_promotions_cost_like_any_connection() -> None:
    schema = composed_schema()._schema
    query = "{ promotions(first: 10) { nodes { name skus(first: 5) { nodes { id } } } } }"
    # the list, 10 promotions, each with a connection of 5 SKUs
    assert requested_cost(schema, parse(query)) == 2 + 10 * (1 + 2 + 5 * 1)
    plain = '{ sku(id: "x") { channelPrices { price { amount } } } }'
    assert requested_cost(schema, parse(plain)) == 1 + 1 + 1
