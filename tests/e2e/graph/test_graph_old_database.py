"""A read model written by the previous version (no customers, transactions,
fulfillments or channel prices tables, no created/updated times on system records, no
fraud review or tax engine columns on orders) is
still served: what it lacks reads as empty lists and nulls, never an error, and serving
it leaves the file as it was. A writer (a live twin, `run --out`) adds what is missing
when it opens it."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from graph_support import finished_db, finished_run, gql, graph_app
from starlette.testclient import TestClient

from hub.adapters.read_model import ReadModel, sqlite_url
from hub.adapters.read_model.schema_gaps import find_gaps

ORDER = """
query($id: ID!) {
  order(id: $id) {
    id status customerId customer { displayName }
    transactions { kind }
    fulfillments { id }
    shipments { id }
    crossSystem { records { system recordedAt createdAt updatedAt } }
    fraudReview { state held caseId decidedAt }
    tax { state estimated committedLiability { amount } }
    paymentCollectedBy
  }
  held: orders(filter: {held: true}) { totalCount }
  payouts { totalCount nodes { id } }
}"""

PRICES = """query($id: ID!) { sku(id: $id) { channelPrices { version } }
  promotions { totalCount nodes { name } } }"""


def _previous_version(tmp_path: Path) -> Path:
    """The shared finished run's database as the previous version wrote it."""
    old = tmp_path / "previous.sqlite"
    shutil.copy(finished_db(), old)
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE order_transactions")
        conn.execute("DROP TABLE fulfillments")
        conn.execute("DROP TABLE customers")
        conn.execute("DROP TABLE channel_prices")
        conn.execute("DROP TABLE payout_lines")
        conn.execute("DROP TABLE payouts")
        conn.execute("DROP TABLE order_terms")
        conn.execute("DROP TABLE companies")
        conn.execute("ALTER TABLE system_records DROP COLUMN created_at")
        conn.execute("ALTER TABLE system_records DROP COLUMN updated_at")
        conn.execute("DROP INDEX ix_orders_review_state")
        for column in (
            "review_state",
            "review_case",
            "review_decided_at",
            "tax_state",
            "tax_estimated",
            "tax_liability_cents",
            "payment_collector",
        ):
            conn.execute(f"ALTER TABLE orders DROP COLUMN {column}")
    return old


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}


def test_a_previous_version_s_database_is_served_with_empty_lists_and_nulls(
    tmp_path: Path,
) -> None:
    old = _previous_version(tmp_path)
    before = _tables(old)
    order_id = next(
        o for o, order in finished_run()[0].estate.hub.ctx.orders.items() if order.shipment_id
    )
    with TestClient(graph_app(db=old)) as client:
        body = gql(client, ORDER, {"id": order_id})
    assert "errors" not in body, body
    order = body["data"]["order"]
    assert order["status"] in ("SHIPPED", "COLLECTED")
    assert order["transactions"] == [] and order["fulfillments"] == []
    assert order["customer"] is None and order["customerId"]  # the raw id was all it had
    assert len(order["shipments"]) == 1  # what the previous version had is all there
    records = order["crossSystem"]["records"]
    assert records and all(r["recordedAt"] is not None for r in records if r["system"] != "pos")
    assert all(r["createdAt"] is None and r["updatedAt"] is None for r in records)
    assert order["fraudReview"] == {
        "state": "NONE",
        "held": False,
        "caseId": None,
        "decidedAt": None,
    }
    assert order["tax"] == {"state": "NONE", "estimated": False, "committedLiability": None}
    assert body["data"]["held"] == {"totalCount": 0}
    assert order["paymentCollectedBy"] == "GATEWAY"
    assert body["data"]["payouts"] == {"totalCount": 0, "nodes": []}
    sku = next(iter(finished_run()[0].estate.world.skus)).sku_id
    with TestClient(graph_app(db=old)) as client:
        prices = gql(client, PRICES, {"id": sku})
    assert "errors" not in prices, prices
    assert prices["data"]["sku"]["channelPrices"] == []
    assert prices["data"]["promotions"] == {"totalCount": 0, "nodes": []}
    assert _tables(old) == before  # served, not changed


def test_a_writer_adds_what_a_previous_version_s_database_lacks(tmp_path: Path) -> None:
    old = _previous_version(tmp_path)

    async def open_as_writer() -> tuple[bool, bool]:
        read_model = ReadModel.open(sqlite_url(old))
        try:
            gaps_before = await read_model.probe_schema()
            await read_model.create_schema()
            return bool(gaps_before), bool(await read_model.probe_schema())
        finally:
            await read_model.dispose()

    lacked, lacks = asyncio.run(open_as_writer())
    assert lacked and not lacks
    with sqlite3.connect(old) as conn:
        assert {
            "order_transactions",
            "fulfillments",
            "customers",
            "channel_prices",
            "payouts",
            "payout_lines",
            "companies",
            "order_terms",
        } <= _tables(old)
        created = {row[0] for row in conn.execute("SELECT created_at FROM system_records")}
        reviews = set(
            conn.execute(
                "SELECT review_state, tax_state, tax_estimated, payment_collector FROM orders"
            )
        )
    assert created == {-1.0}  # the rows it had get the column's default
    assert reviews == {("none", "none", 0, "gateway")}


def test_this_version_s_database_has_no_gaps() -> None:
    async def gaps() -> bool:
        read_model = ReadModel.open(sqlite_url(finished_db()))
        try:
            return bool(await read_model.reads.run(find_gaps))
        finally:
            await read_model.dispose()

    assert asyncio.run(gaps()) is False
