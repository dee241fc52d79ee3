"""`retailtwin serve --hub URL` end to end: the reference hub (`retailtwin hub serve`)
as its own process, the live twin over it as another, and the GraphQL API asked what
the external hub made of the day.

The API over an external hub is projected from the systems' records, so what it shows
is held against those systems through the only doors a user has: each order against
its own cross-system records (what its channel was last told, the ERP's sales order),
and the stock it shows against the WMS's and the stores' own exports, fetched from the
backends' HTTP face, the one the hub calls. An order placed through the API is booked
by the external hub; a mutation only the built-in hub can carry out is a GraphQL error
naming the hub, never a 500. Bad input is exit 2 before the API says it is up.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cli_runner import RetailtwinStarted, retailtwin, started_with_no_hub
from external_support import TEST_SCALE, free_port, hub_process, reference_hub_command
from graph_support import serve_process

from scenarios.checking.traces import ORDER_RANK
from scenarios.live.serve_options import BadServeInput, ServeOptions
from scenarios.live.server import build

#: a flat, busy day so orders come from the first simulated minutes, not at 7am; two
#: hours of trading and one of drain, 18 wall seconds at 600x, so the test sees the end
DAY = (
    TEST_SCALE,
    "demand.hourly_profile=[" + ", ".join(["5.0"] * 24) + "]",
    "scenario.duration=2h",
    "scenario.drain=1h",
)
SPEED = "600"
OPERATOR = "op-key"

ORDERS = """{ orders(first: 50) { edges { node {
  id channel status erpOrderNumber
  crossSystem { records { system recordId status fields { name value } } }
} } } }"""

STOCK = """query($first: Int!) { skus(first: $first) { edges { node {
  id legacyResourceId positions { locationId onHand source { system sequence } }
  availableToSell(channel: WEB) { available channelView }
} } } }"""

CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id status } userErrors { code message } } }"""

OPERATIONS = """{ operations { run { finished passed } lanes { system }
  counters { name value } sla { final passed invariants { name passed detail } } } }"""

SHIPPED = """{ orders(first: 20, filter: {status: [SHIPPED], channel: [WEB]}) { edges { node {
  id legacyResourceId lines { skuId shippedQuantity } } } } }"""

RETURN = """mutation($input: ReturnRequestInput!) { returnRequest(input: $input) {
  return { id orderId status } userErrors { code message } } }"""

ORDER = """query($id: ID!) { order(id: $id) { id status erpOrderNumber
  crossSystem { records { system recordId status fields { name value } } } } }"""


def gql(base: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx2.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": f"Bearer {OPERATOR}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def until(what: str, ask: Any, timeout_s: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        got = ask()
        if got:
            return got
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.2)


def fields(record: dict[str, Any]) -> dict[str, str]:
    return {field["name"]: field["value"] for field in record["fields"]}


def booked_orders(base: str) -> list[dict[str, Any]]:
    """The orders already compared across their systems, once a few have an ERP sales
    order. `crossSystem` is null until an order is first compared (its documented
    contract), and an order placed a moment ago may not have been yet: on a loaded
    machine the comparison trails the order list, so only compared orders are judged."""
    edges = gql(base, ORDERS)["data"]["orders"]["edges"]
    compared = [edge["node"] for edge in edges if edge["node"]["crossSystem"] is not None]
    booked = [order for order in compared if order["erpOrderNumber"]]
    return compared if len(booked) >= 3 else []


def check_orders_against_their_systems(orders: list[dict[str, Any]]) -> None:
    """Each order's status is what its channel was last told (or further along, for
    the steps no channel hears of), and its ERP number is a sales order the ERP holds."""
    for order in orders:
        records = order["crossSystem"]["records"]
        told = next(r for r in records if r["system"] in ("web", "marketplace"))["status"]
        status = order["status"].lower()
        if told in ("shipped", "collected", "cancelled"):
            assert status == told, order
        elif told != "placed":
            assert ORDER_RANK[status] >= ORDER_RANK[told], order
        sales = [r for r in records if fields(r).get("document") == "sales_order"]
        if order["erpOrderNumber"]:
            assert [r["recordId"] for r in sales] == [order["erpOrderNumber"]], order
        else:
            assert not sales, order


def export(backends: str, system: str, where: dict[str, str]) -> dict[str, tuple[int, int]]:
    """A location's stock as its own system exports it: sku -> (on hand, sequence)."""
    response = httpx2.post(f"{backends}/systems/{system}/stock_snapshot", json=where, timeout=30)
    assert response.status_code == 200, response.text
    return {row[0]: (int(row[1]), int(row[3])) for row in response.json()["rows"]}


def check_stock_against_the_locations(base: str, backends: str) -> None:
    """Every position the API shows at the same sequence as the location's own export
    shows the same count; most positions do not move in between, so most are compared."""
    skus = gql(base, STOCK, {"first": 100})["data"]["skus"]["edges"]
    exports = {
        "DC-NORTH": export(backends, "wms", {"dc": "DC-NORTH"}),
        "ST-0001": export(backends, "pos", {"store": "ST-0001"}),
    }
    compared = 0
    for node in (edge["node"] for edge in skus):
        for position in node["positions"]:
            exported = exports.get(position["locationId"], {}).get(node["legacyResourceId"])
            if exported is None or exported[1] != position["source"]["sequence"]:
                continue
            assert position["onHand"] == exported[0], (node["id"], position, exported)
            compared += 1
        for offer in node["availableToSell"]:
            assert offer["available"] >= 0 and offer["channelView"] >= 0
    assert compared >= len(skus), f"only {compared} positions could be compared"


def test_the_api_over_an_external_hub_shows_what_the_systems_hold(tmp_path: Any) -> None:
    port = free_port()
    with hub_process(reference_hub_command(port), port, tmp_path / "hub.log") as hub:
        started = time.monotonic()
        with serve_process(
            "steady-day",
            "--hub",
            hub,
            "--speed",
            SPEED,
            *(word for override in DAY for word in ("--set", override)),
            "--api-key",
            f"{OPERATOR}:operator",
        ) as base:
            health = httpx2.get(f"{base}/healthz", timeout=10).json()
            assert health["hub"]["external"] is True and health["hub"]["url"] == hub
            backends = health["hub"]["backendsUrl"]
            assert health["hub"]["wallClockSlippedSeconds"] >= 0.0

            orders = until("three orders booked in the ERP", lambda: booked_orders(base))
            check_orders_against_their_systems(orders)
            check_stock_against_the_locations(base, backends)

            sku = next(
                edge["node"]["id"]
                for edge in gql(base, STOCK, {"first": 100})["data"]["skus"]["edges"]
                if edge["node"]["availableToSell"][0]["channelView"] >= 2
            )
            made = gql(
                base,
                CREATE,
                {"input": {"idempotencyKey": "e2e-1", "lines": [{"skuId": sku, "quantity": 1}]}},
            )["data"]["orderCreate"]
            assert made["userErrors"] == [] and made["order"] is not None, made
            order_id = made["order"]["id"]

            def booked() -> dict[str, Any] | None:
                order: dict[str, Any] | None = gql(base, ORDER, {"id": order_id})["data"]["order"]
                compared = order and order["erpOrderNumber"] and order["crossSystem"]
                return order if compared else None

            order = until(f"{order_id} booked in the ERP by the external hub", booked)
            check_orders_against_their_systems([order])

            check_a_return_goes_through_the_channel(base)

            replay = gql(
                base,
                'mutation { deadLettersReplay(input: {idempotencyKey: "r1"}) { replayedCount } }',
            )
            assert replay["data"] is None
            [error] = replay["errors"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert "external" in error["message"] and hub in error["message"]

            ops = until("the day judged", lambda: judged(base), timeout_s=60)
            check_judged_from_the_systems(ops)
        assert time.monotonic() - started < 55


def check_a_return_goes_through_the_channel(base: str) -> None:
    """A shipped order's units can be returned once, as the systems count them: the
    external hub takes the return, and asking again for the same units is refused."""

    def shipped() -> list[dict[str, Any]]:
        edges = gql(base, SHIPPED)["data"]["orders"]["edges"]
        return [edge["node"] for edge in edges]

    order = until("a shipped web order", shipped)[0]
    line = next(line for line in order["lines"] if line["shippedQuantity"] > 0)
    request = {"orderId": order["id"], "lines": [{"skuId": line["skuId"], "quantity": 1}]}
    made = gql(base, RETURN, {"input": {"idempotencyKey": "ret-1", **request}})
    answer = made["data"]["returnRequest"]
    ordered = order["legacyResourceId"]
    assert answer["userErrors"] == [] and answer["return"]["orderId"] == ordered, made
    again = {**request, "lines": [{"skuId": line["skuId"], "quantity": line["shippedQuantity"]}]}
    refused = gql(base, RETURN, {"input": {"idempotencyKey": "ret-2", **again}})
    codes = [error["code"] for error in refused["data"]["returnRequest"]["userErrors"]]
    assert codes == ["QUANTITY_NOT_RETURNABLE"], refused


def judged(base: str) -> dict[str, Any] | None:
    ops: dict[str, Any] = gql(base, OPERATIONS)["data"]["operations"]
    return ops if ops["run"]["finished"] and ops["sla"]["final"] else None


def check_judged_from_the_systems(ops: dict[str, Any]) -> None:
    """The verdict is in the operations document, judged from the systems' records: the
    reference hub is correct, so every invariant holds; the hub's own state is not
    shown (no lanes), and the counters are what crossed the boundary."""
    assert ops["run"]["passed"] is not None
    invariants = ops["sla"]["invariants"]
    assert {row["name"] for row in invariants} >= {"no_lost_order", "exactly_once"}
    assert [row for row in invariants if not row["passed"]] == []
    assert ops["lanes"] == []
    counters = {row["name"]: row["value"] for row in ops["counters"]}
    assert counters["webhooks_delivered"] > 0 and counters["hub_calls"] > 0


@pytest.mark.parametrize(
    ("option", "given"),
    [
        ("--state", {"state": "/tmp/day"}),
        ("--fresh", {"fresh": True}),
        ("--start-at", {"start_at": "9h"}),
        ("--db", {"db": Path("/nowhere")}),
    ],
)
def test_what_cannot_go_with_a_hub_is_refused_naming_both(
    option: str, given: dict[str, Any]
) -> None:
    with pytest.raises(BadServeInput, match=f"^{option} cannot go with --hub"):
        build(ServeOptions(hub="http://127.0.0.1:9", **given))


def test_a_hub_url_that_is_not_http_is_refused() -> None:
    done = retailtwin("serve", "--hub", "ftp://example.org")
    assert done.returncode == 2
    assert "expected the hub's base URL, as http://HOST:PORT" in done.stderr


def test_hub_with_db_is_refused_naming_both() -> None:
    done = retailtwin("serve", "--hub", "http://127.0.0.1:9", "--db", "/nowhere")
    assert done.returncode == 2, done.stderr
    assert "--db cannot go with --hub" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module", autouse=True)
def not_there() -> Iterator[tuple[str, RetailtwinStarted]]:
    """`serve --hub` at a port nobody listens on, started with the module: it waits for
    the hub while the tests before its own run."""
    port = str(free_port())
    serving = ("--set", TEST_SCALE, "--port", port)
    with started_with_no_hub(lambda url: ("serve", "--hub", url, *serving)) as started:
        yield started


def test_a_hub_that_is_not_there_is_named_before_the_api_is_up(
    not_there: tuple[str, RetailtwinStarted],
) -> None:
    url, started = not_there
    done, _ = started.finish(timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"the hub at {url} did not acknowledge day.started" in done.stderr
    assert "serving the" not in done.stdout
    assert "Traceback" not in done.stderr


def test_a_backends_port_in_use_is_refused_naming_it() -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = retailtwin(
            "serve",
            "--hub",
            "http://127.0.0.1:9",
            "--backends-port",
            str(port),
            "--set",
            TEST_SCALE,
            "--port",
            str(free_port()),
            timeout=60,
        )
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"--backends-port {port}: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
