"""Drop-ship partners over HTTP: an order part a partner shipped is a fulfillment from
the partner's location (a PARTNER location), tracked under the partner's shipment
number, with only its lines; its cross-system view shows the partner's own record
(system `partner:NAME`, with when it acknowledged the PO and how often the hub sent it
again) beside the WMS's, checked against what the partner shipped."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from graph_support import UNTHROTTLED, gql_data
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings
from hub.adapters.read_model import sqlite_url
from scenarios.checking.verdict import judge
from scenarios.experiments.defect_controls import PARTNER_DAY
from scenarios.reports.read_model import write_run_read_model
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

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


@cache
def partner_run() -> tuple[RunResult, Path]:
    scenario = load_scenario("steady-day", PARTNER_DAY)
    observer = TimelineRecorder()
    result = run(scenario, observer=observer)
    verdict = judge(result, "steady-day", PARTNER_DAY)
    out = Path(tempfile.mkdtemp(prefix="retailtwin-partners-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    write_run_read_model(result, verdict, observer, out)
    return result, out


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = ApiSettings(cost_restore_rate=UNTHROTTLED)
    db = partner_run()[1] / "read_model.sqlite"
    app = create_app(composed_schema(settings), sqlite_url(db), settings, name="composed")
    with TestClient(app) as test_client:
        yield test_client


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
