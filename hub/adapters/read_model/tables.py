"""The read model's tables, in SQLAlchemy Core (no ORM: rows map onto frozen records).

Portable types, so the same metadata creates the schema on SQLite and PostgreSQL; the
one dialect variant is the collation of text (`CodePointText`, below). Keys are the
business ids the API exposes; the indexes are the ones the API's filters and
DataLoaders use (every child table is looked up by its parent's id in one `IN (...)`
query). A table keyed by several columns is WITHOUT ROWID on SQLite (clustered.py).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    false,
)

from hub.adapters.read_model.clustered import without_rowid

#: Text compared and sorted by code point, as SQLite does. PostgreSQL would sort by the
#: database's locale (en-US puts "a" before "B" and "w-2" before "W1"), and the API's
#: pages, and the cursors that continue them, would differ from one database to the other.
CodePointText = String().with_variant(String(collation="C"), "postgresql")

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("id", CodePointText, primary_key=True),
    Column("channel", CodePointText, nullable=False),
    Column("channel_order_id", CodePointText, nullable=False),
    Column("customer_id", CodePointText, nullable=False),
    Column("status", CodePointText, nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("placed_at", Float, nullable=False),
    Column("received_at", Float, nullable=False),
    Column("location", CodePointText, nullable=False),
    Column("pickup_store", CodePointText, nullable=False),
    Column("payment_state", CodePointText, nullable=False),
    Column("captured_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("erp_order_no", CodePointText, nullable=False),
    Column("invoiced", Boolean, nullable=False),
    Column("cancel_reason", CodePointText, nullable=False),
    Column("exception", CodePointText, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
    # the fraud screen's hold (hub.model.fraud.ReviewState), its case and when the hub
    # heard the analyst's decision (-1: not yet); the tax engine's state
    # (hub.model.tax.TaxState), whether the customer was charged the channel's estimate,
    # and the liability the engine committed. Defaulted, so a read model written before
    # fraud screens and tax engines gains them as an estate without either
    Column("review_state", CodePointText, nullable=False, server_default="none"),
    Column("review_case", CodePointText, nullable=False, server_default=""),
    Column("review_decided_at", Float, nullable=False, server_default="-1"),
    Column("tax_state", CodePointText, nullable=False, server_default="none"),
    Column("tax_estimated", Boolean, nullable=False, server_default=false()),
    Column("tax_liability_cents", Integer, nullable=False, server_default="0"),
    # who took the customer's money: the gateway, or a settling marketplace (its name)
    Column("payment_collector", CodePointText, nullable=False, server_default="gateway"),
    # the marketplace a marketplace order came from, by its name ("" for the others)
    Column("marketplace", CodePointText, nullable=False, server_default=""),
    Index("ix_orders_placed", "placed_at", "id"),
    Index("ix_orders_status", "status"),
    Index("ix_orders_channel", "channel"),
    Index("ix_orders_location", "location"),
    # the other sort keys (sorting.py) and filters of the orders list
    Index("ix_orders_received", "received_at", "id"),
    Index("ix_orders_updated", "updated_at", "id"),
    Index("ix_orders_total", "total_cents", "id"),
    Index("ix_orders_payment_state", "payment_state"),
    # the held orders (`held`, `fraudReviewState`)
    Index("ix_orders_review_state", "review_state"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", CodePointText, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("short_quantity", Integer, nullable=False),
    Column("shipped_quantity", Integer, nullable=False),
    # the price the unit price was cut from (0: it was not) and the promotion behind it;
    # defaulted, so a read model written before promotions gains them empty
    Column("list_price_cents", Integer, nullable=False, server_default="0"),
    Column("promotion", CodePointText, nullable=False, server_default=""),
)

order_history = Table(
    "order_history",
    metadata,
    Column("owner_id", CodePointText, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", CodePointText, nullable=False),
    Column("at", Float, nullable=False),
    Column("source", CodePointText, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("authorization_id", CodePointText, primary_key=True),
    Column("state", CodePointText, nullable=False),
    Column("captured_cents", Integer, nullable=False),
    Column("refunded_cents", Integer, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("shipment_id", CodePointText, primary_key=True),
    Column("kind", CodePointText, nullable=False),
    Column("location", CodePointText, nullable=False),
    Column("shipped_at", Float, nullable=False),
)

returns = Table(
    "returns",
    metadata,
    Column("id", CodePointText, primary_key=True),
    Column("order_id", CodePointText, nullable=False),
    Column("channel", CodePointText, nullable=False),
    Column("status", CodePointText, nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("requested_at", Float, nullable=False),
    Column("received_at", Float, nullable=False),
    Column("location", CodePointText, nullable=False),
    Column("grade", CodePointText, nullable=False),
    Column("disposition", CodePointText, nullable=False),
    Column("refund_id", CodePointText, nullable=False),
    Column("refund_state", CodePointText, nullable=False),
    Column("refunded_at", Float, nullable=False),
    Column("refund_total_cents", Integer, nullable=False),
    Column("credit_memo_no", CodePointText, nullable=False),
    Column("exception", CodePointText, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_returns_order", "order_id"),
    Index("ix_returns_requested", "requested_at", "id"),
    Index("ix_returns_updated", "updated_at", "id"),
    # the SLA-breach filter starts from the goods' receipt (return_clock.py)
    Index("ix_returns_received", "received_at"),
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", CodePointText, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", CodePointText, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("refund_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
)

return_history = Table(
    "return_history",
    metadata,
    Column("owner_id", CodePointText, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", CodePointText, nullable=False),
    Column("at", Float, nullable=False),
    Column("source", CodePointText, nullable=False),
)

skus = Table(
    "skus",
    metadata,
    Column("id", CodePointText, primary_key=True),
    Column("name", CodePointText, nullable=False),
    Column("category", CodePointText, nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("tax_rate_bp", Integer, nullable=False),
    Column("popularity_rank", Integer, nullable=False),
    Index("ix_skus_popularity", "popularity_rank", "id"),
    Index("ix_skus_name", "name", "id"),
)

locations = Table(
    "locations",
    metadata,
    Column("id", CodePointText, primary_key=True),
    Column("kind", CodePointText, nullable=False),
    Column("region", CodePointText, nullable=False),
    Column("name", CodePointText, nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("id", CodePointText, primary_key=True),
    Column("name", CodePointText, nullable=False),
    Column("email", CodePointText, nullable=False),
    Column("region", CodePointText, nullable=False),
)

positions = Table(
    "inventory_positions",
    metadata,
    Column("sku", CodePointText, primary_key=True),
    Column("location", CodePointText, primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("safety_stock", Integer, nullable=False),
    Column("in_transit", Integer, nullable=False),
    Column("quarantined", Integer, nullable=False),
    Column("available", Integer, nullable=False),
    Column("source_system", CodePointText, nullable=False),
    Column("source_seq", Integer, nullable=False),
    Column("source_ts", Float, nullable=False),
    Column("source_seq_latest", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_positions_location", "location", "sku"),
    Index("ix_positions_on_hand", "on_hand", "sku", "location"),
)

#: Shopify's `available` for a position: on hand less what is committed to orders and
#: what cannot be sold (quarantined, safety stock); negative when oversold. The API's
#: `available` field, the stock filters and the AVAILABLE sort key all mean this
#: expression, which the index below holds (a query must use it as written here)
position_available = (
    positions.c.on_hand - positions.c.reserved - positions.c.quarantined - positions.c.safety_stock
)
Index("ix_positions_available", position_available, positions.c.sku, positions.c.location)

channel_availability = Table(
    "channel_availability",
    metadata,
    Column("sku", CodePointText, primary_key=True),
    Column("channel", CodePointText, primary_key=True),
    Column("store", CodePointText, primary_key=True),
    Column("hub_available", Integer, nullable=False),
    Column("channel_view", Integer, nullable=False),
    Column("view_sent_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

#: the newest price the hub holds per channel and SKU, and how far its push has got
#: (hub.services.price_sync.HeldPrice); a table a later version added, so an older read
#: model gains it empty
channel_prices = Table(
    "channel_prices",
    metadata,
    Column("sku", CodePointText, primary_key=True),
    Column("channel", CodePointText, primary_key=True),
    Column("price_cents", Integer, nullable=False),
    Column("list_price_cents", Integer, nullable=False),
    Column("promotion", CodePointText, nullable=False),
    Column("version", Integer, nullable=False),
    Column("heard_at", Float, nullable=False),
    Column("pushed_version", Integer, nullable=False),
    Column("pushed_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    # the promotions list groups the rows that name one
    Index("ix_channel_prices_promotion", "promotion", "channel", "sku"),
)

system_records = Table(
    "system_records",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("system", CodePointText, primary_key=True),
    Column("record_id", CodePointText, primary_key=True),
    Column("status", CodePointText, nullable=False),
    Column("recorded_at", Float, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("created_at", Float, nullable=False, server_default="-1"),
    Column("updated_at", Float, nullable=False, server_default="-1"),
)

order_transactions = Table(
    "order_transactions",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("transaction_id", CodePointText, nullable=False),
    Column("kind", CodePointText, nullable=False),
    Column("status", CodePointText, nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("processed_at", Float, nullable=False),
    Column("authorization_id", CodePointText, nullable=False),
    Column("error", CodePointText, nullable=False),
)

fulfillments = Table(
    "fulfillments",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("fulfillment_id", CodePointText, primary_key=True),
    Column("status", CodePointText, nullable=False),
    Column("location", CodePointText, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("tracking_company", CodePointText, nullable=False),
    Column("tracking_number", CodePointText, nullable=False),
    Column("tracking_url", CodePointText, nullable=False),
    Column("lines", JSON, nullable=False),
)

order_sync = Table(
    "order_sync",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("in_sync", Boolean, nullable=False),
    Column("disagreements", JSON, nullable=False),
    Column("checked_at", Float, nullable=False),
    Index("ix_order_sync_in_sync", "in_sync"),
)

timeline = Table(
    "timeline",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("order_id", CodePointText, nullable=False),
    Column("return_id", CodePointText, nullable=False),
    Column("at", Float, nullable=False),
    Column("sent_at", Float, nullable=False),
    Column("source", CodePointText, nullable=False),
    Column("target", CodePointText, nullable=False),
    Column("kind", CodePointText, nullable=False),
    Column("message_id", Integer, nullable=False),
    Column("duplicate", Boolean, nullable=False),
    Column("detail", CodePointText, nullable=False),
    Index("ix_timeline_order", "order_id", "seq"),
)
#: a return's messages in order. Partial: most of a day's timeline is about an order
#: alone (`return_id` "": steady-day, 34,742 of 37,127 rows), and an index of only the
#: rows of a return is built in about a quarter of the time (3 ms against 11 ms when a
#: finished run's file is handed over) and kept up at no cost for the others. A query
#: by return states the same condition, so that the planner may use it (SQLite takes a
#: partial index only where the query's WHERE holds the index's: `queries.
#: timeline_by_return`)
TIMELINE_HAS_RETURN = timeline.c.return_id != ""
Index(
    "ix_timeline_return",
    timeline.c.return_id,
    timeline.c.seq,
    sqlite_where=TIMELINE_HAS_RETURN,
    postgresql_where=TIMELINE_HAS_RETURN,
)

#: whole documents (the run's facts, the operations snapshot) stored as JSON
documents = Table(
    "documents",
    metadata,
    Column("name", CodePointText, primary_key=True),
    Column("body", JSON, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", CodePointText, primary_key=True),
    Column("mutation", CodePointText, nullable=False),
    Column("request_hash", CodePointText, nullable=False),
    Column("response", JSON, nullable=False),
    Column("stored_at", Float, nullable=False, server_default="0"),
    Index("ix_idempotency_keys_stored", "stored_at"),
)

#: which run the database holds (one row): a live twin that restarts on the same
#: database must find its own run there, not another scenario's or seed's (identity.py)
run_identity = Table(
    "run_identity",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("scenario", CodePointText, nullable=False),
    # text: a seed is any non-negative integer, wider than a database integer
    Column("seed", CodePointText, nullable=False),
    Column("overrides_digest", CodePointText, nullable=False),
    Column("overrides", JSON, nullable=False),
)


def run_tables() -> tuple[Table, ...]:
    """The tables that hold a run's rows, which `ReadModel.reset` clears: all but the
    run's identity and the answers the API has given (idempotency keys). Read when
    asked, since other modules add tables to `metadata` (payout_tables.py)."""
    return tuple(
        table
        for table in metadata.sorted_tables
        if table is not run_identity and table is not idempotency_keys
    )


without_rowid(metadata)
