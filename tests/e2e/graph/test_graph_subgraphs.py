"""Each Federation v2 subgraph served alone: its SDL over `_service`, and its entities
resolved through `_entities`, batched."""

from __future__ import annotations

from typing import Any

import pytest
from graph_support import finished_run, gid, gql, graph_app
from sqlalchemy import event
from starlette.testclient import TestClient

from graph.schema import SUBGRAPHS

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { __typename %s } }"


@pytest.mark.parametrize("name", SUBGRAPHS)
def test_every_subgraph_publishes_federation_2_9_sdl(name: str) -> None:
    with TestClient(graph_app(subgraph=name)) as client:
        sdl = gql(client, "{ _service { sdl } }")["data"]["_service"]["sdl"]
    assert '@link(url: "https://specs.apollo.dev/federation/v2.9"' in sdl
    expected = {
        "orders": [
            'type Order implements Node @key(fields: "id")',
            'type Customer implements Node @key(fields: "id")',
            'type Sku implements Node @key(fields: "id", resolvable: false)',
            "node(",
        ],
        "inventory": [
            'type Sku implements Node @key(fields: "id")',
            'type Location implements Node @key(fields: "id")',
            'type InventoryPosition implements Node @key(fields: "id")',
        ],
        "returns": [
            'type Return implements Node @key(fields: "id")',
            'type Order @key(fields: "id")',
        ],
        "operations": ["operations: Operations"],
    }[name]
    for text in expected:
        assert text in sdl


def _entities(
    name: str, representations: list[dict[str, Any]], fields: str
) -> tuple[list[Any], int]:
    app = graph_app(subgraph=name)
    selects: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        selects.append(statement)

    with TestClient(app) as client:
        event.listen(app.state.services.read_model.reading_engine, "before_cursor_execute", count)
        body = gql(client, ENTITIES % fields, {"r": representations})
    return body["data"]["_entities"], len(selects)


def test_orders_resolves_orders_in_one_batch() -> None:
    result, _ = finished_run()
    ids = list(result.estate.hub.ctx.orders)[:3]
    # what a gateway sends: global ids (a raw one is still accepted, deprecated)
    reps = [{"__typename": "Order", "id": gid("Order", i)} for i in ids[:2]] + [
        {"__typename": "Order", "id": ids[2]},
        {"__typename": "Order", "id": gid("Order", "W-NOPE")},
    ]
    found, statements = _entities("orders", reps, "... on Order { id status }")
    assert [e and e["id"] for e in found] == [*(gid("Order", i) for i in ids), None]
    assert statements == 1


def test_inventory_resolves_skus_and_locations() -> None:
    result, _ = finished_run()
    sku = result.estate.world.skus[0].sku_id
    dc = result.estate.world.dcs[0].location_id
    found, statements = _entities(
        "inventory",
        [
            {"__typename": "Sku", "id": gid("Sku", sku)},
            {"__typename": "Location", "id": gid("Location", dc)},
        ],
        "... on Sku { id name positions { locationId onHand } } ... on Location { id kind }",
    )
    assert found[0]["id"] == gid("Sku", sku) and found[0]["positions"]
    assert found[1] == {"__typename": "Location", "id": gid("Location", dc), "kind": "DC"}
    assert statements == 3  # SKUs, locations, positions


def test_returns_resolves_returns_and_adds_returns_to_orders() -> None:
    result, _ = finished_run()
    ret = next(
        r
        for r in result.estate.hub.ctx.returns.values()
        if r.order_id in result.estate.hub.ctx.orders
    )
    found, _ = _entities(
        "returns",
        [
            {"__typename": "Return", "id": gid("Return", ret.return_id)},
            {"__typename": "Order", "id": gid("Order", ret.order_id)},
        ],
        "... on Return { id status order { id } } ... on Order { id returns { id } }",
    )
    assert found[0]["order"] == {"id": gid("Order", ret.order_id)}
    assert gid("Return", ret.return_id) in {r["id"] for r in found[1]["returns"]}
