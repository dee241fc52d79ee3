"""An order shipped in parts, over HTTP: one fulfillment (and one shipment) per part that
left, each from its own DC with its own shipment number and only its own lines, and one
WMS record per part in its cross-system view, checked against the WMS's parts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import gql, graph_app, served_run
from starlette.testclient import TestClient

from scenarios.twin.run_result import RunResult

OVERRIDES = (
    "scenario.scale=0.5",
    "world.dcs=4",
    "world.dc_cover_days=0.5",
    "world.dc_replenish_interval_h=0",
    "demand.basket_lines_mean=3",
    "hub.sourcing.strategy=nearest",
    "hub.sourcing.split=true",
)
ORDER = """
query($id: ID!) {
  order(id: $id) {
    status
    fulfillments {
      id locationId trackingInfo { number }
      fulfillmentLineItems { lineNumber skuId quantity }
    }
    shipments { id }
    crossSystem { inSync records { system recordId status } }
  }
}"""


def split_run() -> tuple[RunResult, Path]:
    return served_run("steady-day", OVERRIDES)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app(db=split_run()[1] / "read_model.sqlite")) as served:
        yield served


def test_a_split_order_has_a_fulfillment_per_part_from_its_own_dc(client: TestClient) -> None:
    result = split_run()[0]
    wms = result.estate.wms
    shipped = [
        ref
        for ref, parts in wms.legs.in_parts()
        if len(parts) > 1 and all(part.status == "shipped" and part.picked for part in parts)
    ]
    assert shipped, "the run must ship some orders in parts"
    for ref in shipped[:5]:
        body = gql(client, ORDER, {"id": ref})
        assert "errors" not in body, body
        order: dict[str, Any] = body["data"]["order"]
        assert order["status"] == "SHIPPED"
        parts = wms.legs[ref]
        assert [(f["id"], f["locationId"]) for f in order["fulfillments"]] == [
            (part.shipment_no, part.dc) for part in parts
        ]
        assert [s["id"] for s in order["shipments"]] == [part.shipment_no for part in parts]
        cross = order["crossSystem"]
        assert cross["inSync"] is True
        wms_records = [
            (r["recordId"], r["status"]) for r in cross["records"] if r["system"] == "wms"
        ]
        assert sorted(wms_records) == sorted((f"{part.dc}/{ref}", "shipped") for part in parts)
        for fulfillment, part in zip(order["fulfillments"], parts, strict=True):
            assert fulfillment["trackingInfo"] == {"number": part.shipment_no}
            items = {(i["skuId"], i["quantity"]) for i in fulfillment["fulfillmentLineItems"]}
            assert items == set(part.picked)
