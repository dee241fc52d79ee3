"""Drop-ship partners over HTTP: an order part a partner shipped is a fulfillment from
the partner's location (a PARTNER location), tracked under the partner's shipment
number, with only its lines; its cross-system view shows the partner's own record
(system `partner:NAME`, with when it acknowledged the PO and how often the hub sent it
again) beside the WMS's, checked against what the partner shipped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_support import gql_data, graph_app, served_run
from starlette.testclient import TestClient

from scenarios.experiments.defect_controls import PARTNER_DAY
from scenarios.twin.run_result import RunResult

ORDER = """
query($id: ID!) {
  order(id: $id) {
    status
    fulfillments {
      id locationId location { kind } trackingInfo { number }
      fulfillmentLineItems { skuId quantity }
    }
    crossSystem { inSync records { system recordId status fields { name value } } }
  }
}"""


def partner_run() -> tuple[RunResult, Path]:
    return served_run("steady-day", PARTNER_DAY)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app(db=partner_run()[1] / "read_model.sqlite")) as served:
        yield served


def test_a_partner_part_is_a_fulfillment_from_the_partners_location(client: TestClient) -> None:
    result = partner_run()[0]
    shipped = [
        (system, po.release)
        for system, partner in result.estate.partners.items()
        for po in partner.orders.values()
        if po.release.status == "shipped" and po.release.picked
    ]
    assert shipped, "the partners must ship something"
    checked = 0
    for system, release in shipped:
        order = gql_data(client, ORDER, id=release.order_ref)["order"]
        if order["status"] != "SHIPPED":
            continue  # another part still on its way at the end
        checked += 1
        by_id = {f["id"]: f for f in order["fulfillments"]}
        fulfillment = by_id[release.shipment_no]
        assert fulfillment["locationId"] == release.dc
        assert fulfillment["location"] == {"kind": "PARTNER"}
        assert fulfillment["trackingInfo"] == {"number": release.shipment_no}
        items = {(i["skuId"], i["quantity"]) for i in fulfillment["fulfillmentLineItems"]}
        assert items == set(release.picked)
        records = {
            (r["system"], r["recordId"], r["status"]): {f["name"]: f["value"] for f in r["fields"]}
            for r in order["crossSystem"]["records"]
        }
        fields = records[(system, f"{release.dc}/{release.order_ref}", "shipped")]
        po = result.estate.partners[system].orders[release.key]
        assert fields["po_acknowledged_at"] == str(round(po.acked_at, 3))
        assert fields["po_sent_again"] == str(po.resent)
        assert order["crossSystem"]["inSync"] is True
    assert checked > 0


def test_partners_are_listed_among_the_locations(client: TestClient) -> None:
    data = gql_data(client, "{ locations(kind: PARTNER) { legacyResourceId kind } }")
    assert {(n["legacyResourceId"], n["kind"]) for n in data["locations"]} == {
        ("DS-ACME", "PARTNER"),
        ("DS-GLOBEX", "PARTNER"),
    }
    result = partner_run()[0]
    sku = next(iter(result.estate.world.partner_skus))
    query = "query($id: ID!) { sku(id: $id) { positions(locationKind: PARTNER) { locationId } } }"
    positions = gql_data(client, query, id=sku)["sku"]["positions"]
    assert [p["locationId"] for p in positions] == [result.estate.world.partner_skus[sku]]
