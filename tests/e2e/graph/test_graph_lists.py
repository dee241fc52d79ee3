"""The lists a frontend drives, over HTTP against a finished run: every sort key both
ways, paging forward and back, cursors refused in another order, the low-stock screen
and the returns queue in one request each, checked against the hub that made the run."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from graph_support import finished_db, finished_run, gql, graph_app
from starlette.testclient import TestClient

from graph.types.time import seconds
from hub.adapters.read_model import ReadModel, sqlite_url
from scenarios.checking.operations import return_refund_sla_s


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


ORDERS = """query($sortKey: OrderSortKeys, $reverse: Boolean! = false, $first: Int,
  $after: String, $last: Int, $before: String) {
  orders(sortKey: $sortKey, reverse: $reverse, first: $first, after: $after, last: $last,
    before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id: legacyResourceId placedAt receivedAt updatedAt totalCents } } }"""

#: each sort key's value, from the API's own fields (the id breaks ties)
ORDER_VALUES = {
    "CREATED_AT": lambda o: seconds_of(o["placedAt"]),
    "PROCESSED_AT": lambda o: seconds_of(o["receivedAt"]),
    "UPDATED_AT": lambda o: seconds_of(o["updatedAt"]),
    "TOTAL_PRICE": lambda o: o["totalCents"],
    "ID": lambda o: "",
}


def seconds_of(stamp: str) -> float:
    from datetime import datetime

    return seconds(datetime.fromisoformat(stamp))


def orders(client: TestClient, **variables: Any) -> dict[str, Any]:
    body = gql(client, ORDERS, variables)
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["orders"]
    return page


def every_order(client: TestClient, **variables: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = orders(client, first=100, after=after, **variables)
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("key", list(ORDER_VALUES))
def test_orders_sort_by_every_key_either_way(client: TestClient, key: str, reverse: bool) -> None:
    result, _ = finished_run()
    nodes = every_order(client, sortKey=key, reverse=reverse)
    assert sorted(o["id"] for o in nodes) == sorted(result.estate.hub.ctx.orders)
    value = ORDER_VALUES[key]
    keys = [(value(o), o["id"]) for o in nodes]
    assert keys == sorted(keys, reverse=reverse)
    if key == "TOTAL_PRICE":  # against the hub's own totals, not only the API's
        totals = {o: order.total_cents for o, order in result.estate.hub.ctx.orders.items()}
        assert [totals[o["id"]] for o in nodes] == sorted(totals.values(), reverse=reverse)


def test_paging_back_with_last_and_before_retraces_paging_forward(client: TestClient) -> None:
    forward = []
    after = None
    for _ in range(3):
        page = orders(client, sortKey="TOTAL_PRICE", first=6, after=after)
        forward.append(page)
        after = page["pageInfo"]["endCursor"]
    # back from the fourth page's start: the third page, then the second, then the first
    before = orders(client, sortKey="TOTAL_PRICE", first=6, after=after)["pageInfo"]
    cursor = before["startCursor"]
    for expected in reversed(forward):
        page = orders(client, sortKey="TOTAL_PRICE", last=6, before=cursor)
        assert page["nodes"] == expected["nodes"]
        assert page["pageInfo"]["startCursor"] == expected["pageInfo"]["startCursor"]
        assert page["pageInfo"]["hasNextPage"]
        assert page["pageInfo"]["hasPreviousPage"] == (expected is not forward[0])
        cursor = page["pageInfo"]["startCursor"]
    # the last page of the whole list, read from its end
    tail = orders(client, sortKey="TOTAL_PRICE", last=5)
    assert not tail["pageInfo"]["hasNextPage"] and tail["pageInfo"]["hasPreviousPage"]
    totals = [o["totalCents"] for o in every_order(client, sortKey="TOTAL_PRICE")]
    assert [o["totalCents"] for o in tail["nodes"]] == totals[-5:]


def test_the_default_orders_are_what_they_always_were(client: TestClient) -> None:
    query = """{ orders(first: 30) { nodes { id: legacyResourceId } }
      returns(first: 30) { nodes { id: legacyResourceId } }
      skus(first: 30) { nodes { id: legacyResourceId } }
      inventory(first: 30) { nodes { skuId locationId } } }"""
    explicit = """{
      orders(first: 30, sortKey: CREATED_AT, reverse: true) { nodes { id: legacyResourceId } }
      returns(first: 30, sortKey: CREATED_AT, reverse: true) { nodes { id: legacyResourceId } }
      skus(first: 30, sortKey: POPULARITY) { nodes { id: legacyResourceId } }
      inventory(first: 30, sortKey: SKU) { nodes { skuId locationId } } }"""
    assert gql(client, query)["data"] == gql(client, explicit)["data"]
    result, _ = finished_run()
    newest = sorted(result.estate.hub.ctx.orders.values(), key=lambda o: (o.placed_at, o.order_id))
    data = gql(client, query)["data"]
    assert [o["id"] for o in data["orders"]["nodes"]] == [o.order_id for o in newest[::-1][:30]]
    # reverse without a key turns the default round: oldest first
    oldest = orders(client, reverse=True, first=30)["nodes"]
    assert [o["id"] for o in oldest] == [o.order_id for o in newest[:30]]


def _refusal(client: TestClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = gql(client, query, variables)
    assert body["data"] is None, body
    error: dict[str, Any] = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    return error


def test_a_cursor_is_refused_with_another_sort_key_or_direction(client: TestClient) -> None:
    cursor = orders(client, sortKey="CREATED_AT", first=3)["pageInfo"]["endCursor"]
    for key, reverse in (("TOTAL_PRICE", False), ("CREATED_AT", True), (None, False)):
        for argument, size in (("after", "first"), ("before", "last")):
            error = _refusal(
                client, ORDERS, {"sortKey": key, "reverse": reverse, size: 3, argument: cursor}
            )
            assert error["extensions"]["argument"] == argument
            assert (
                "by sortKey CREATED_AT, ascending, but this request sorts it by"
                in (error["message"])
            )
    # the same order asked for again takes it, under either spelling of the default
    newest = orders(client, first=3)["pageInfo"]["endCursor"]
    page = orders(client, sortKey="CREATED_AT", reverse=True, first=3, after=newest)
    assert page["pageInfo"]["hasPreviousPage"]


def test_first_and_last_together_are_refused_and_last_is_bounded(client: TestClient) -> None:
    error = _refusal(client, ORDERS, {"first": 5, "last": 5})
    assert "Passing both `first` and `last`" in error["message"]
    error = _refusal(client, ORDERS, {"last": 101})
    assert error["extensions"]["argument"] == "last"
    assert error["message"] == "last: expected 1 to 100, got 101"


LOW_STOCK = """query($atMost: Int!) {
  skus(first: 100, filter: {totalAvailableAtMost: $atMost}, sortKey: ID) {
    totalCount nodes { id: legacyResourceId totalAvailable totalOnHand totalCommitted totalIncoming
      positions { available onHand committed incoming } } }
  inventory(first: 100, sortKey: AVAILABLE, filter: {availableAtMost: $atMost}) {
    totalCount nodes { skuId locationId available onHand } } }"""


def test_the_low_stock_screen_is_one_request(client: TestClient) -> None:
    result, _ = finished_run()
    positions = list(result.estate.hub.ctx.inventory.positions())
    available: dict[str, int] = {s.sku_id: 0 for s in result.estate.world.skus}
    for p in positions:
        available[p.sku] += p.on_hand - p.reserved - p.quarantined - p.safety_stock
    threshold = sorted(available.values())[len(available) // 10]  # the lowest tenth or so
    data = gql(client, LOW_STOCK, {"atMost": threshold})["data"]
    low = {sku for sku, n in available.items() if n <= threshold}
    assert data["skus"]["totalCount"] == len(low) > 0
    for sku in data["skus"]["nodes"]:
        assert sku["id"] in low and sku["totalAvailable"] == available[sku["id"]] <= threshold
        for total, field in (
            ("totalAvailable", "available"),
            ("totalOnHand", "onHand"),
            ("totalCommitted", "committed"),
            ("totalIncoming", "incoming"),
        ):
            assert sku[total] == sum(p[field] for p in sku["positions"]), total
    stock = data["inventory"]
    values = [p["available"] for p in stock["nodes"]]
    assert values == sorted(values) and all(v <= threshold for v in values)
    assert stock["totalCount"] == sum(
        1 for p in positions if p.on_hand - p.reserved - p.quarantined - p.safety_stock <= threshold
    )


QUEUE = """query($after: String, $breached: Boolean) {
  returns(sortKey: CREATED_AT, first: 100, after: $after, filter: {slaBreached: $breached}) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id: legacyResourceId requestedAt ageSeconds slaBreached } } }"""


#: the run's card refunds all came within steady-day's 8 h (4.3 h at most): served again
#: with a 3 h SLA, a few of them broke it
TIGHT_SLA_S = 3 * 3600.0


@pytest.fixture(scope="module")
def tight_sla_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The same run, its `run` document saying the SLA is TIGHT_SLA_S: the read model
    judges returns by the threshold the run wrote, not one of its own."""
    db = tmp_path_factory.mktemp("tight-sla") / "read_model.sqlite"
    shutil.copy(finished_db(), db)

    async def tighten() -> None:
        read_model = ReadModel.open(sqlite_url(db))
        try:
            run = await read_model.document("run")
            assert run is not None and run["return_refund_sla_s"] == 8 * 3600
            await read_model.put_document("run", {**run, "return_refund_sla_s": TIGHT_SLA_S})
        finally:
            await read_model.dispose()

    asyncio.run(tighten())
    with TestClient(graph_app(db=db)) as test_client:
        yield test_client


@pytest.mark.parametrize("tight", [False, True])
def test_the_returns_queue_is_oldest_first_with_age_and_sla_from_the_run(
    client: TestClient, tight_sla_client: TestClient, tight: bool
) -> None:
    result, _ = finished_run()
    assert return_refund_sla_s(result.scenario) == 8 * 3600  # `return_to_refund_p95 = "8h"`
    sla = TIGHT_SLA_S if tight else 8 * 3600
    if tight:
        client = tight_sla_client
    now = result.estate.hub.ctx.clock.now()
    hub_returns = result.estate.hub.ctx.returns

    def breached(ret: Any) -> bool:
        if ret.received_at < 0 or ret.refund_state.value in ("at_till", "not_charged"):
            return False
        return (ret.refunded_at if ret.refunded_at >= 0 else now) - ret.received_at > sla

    def age(ret: Any) -> float:
        closed = [c.at for c in ret.history if c.status.label in ("closed", "rejected")]
        return (closed[0] if closed else now) - ret.requested_at

    seen: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql(client, QUEUE, {"after": after})["data"]["returns"]
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(hub_returns)
    stamps = [(r["requestedAt"], r["id"]) for r in seen]
    assert stamps == sorted(stamps)  # oldest request first
    for r in seen:
        ret = hub_returns[r["id"]]
        assert r["slaBreached"] == breached(ret), r
        assert r["ageSeconds"] == pytest.approx(age(ret)), r
    breaches = sum(r["slaBreached"] for r in seen)
    assert 0 < breaches < len(seen) if tight else breaches == 0
    for wanted in (True, False):
        page = gql(client, QUEUE, {"breached": wanted})["data"]["returns"]
        assert page["totalCount"] == sum(1 for r in seen if r["slaBreached"] is wanted)
        assert all(r["slaBreached"] is wanted for r in page["nodes"])
