"""The read model's tables, in SQLAlchemy Core (no ORM: rows map onto frozen records).

Portable types, so the same metadata creates the schema on SQLite and PostgreSQL; the
one dialect variant is the collation of text (`Text`, below). Keys are the business ids
the API exposes; the indexes are the ones the API's filters and DataLoaders use (every
child table is looked up by its parent's id in one `IN (...)` query).
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
)

#: Text compared and sorted by code point, as SQLite does. PostgreSQL would sort by the
#: database's locale (en-US puts "a" before "B" and "w-2" before "W1"), and the API's
#: pages, and the cursors that continue them, would differ from one database to the other.
Text = String().with_variant(String(collation="C"), "postgresql")

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("id", Text, primary_key=True),
    Column("channel", Text, nullable=False),
    Column("channel_order_id", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("placed_at", Float, nullable=False),
    Column("received_at", Float, nullable=False),
    Column("location", Text, nullable=False),
    Column("pickup_store", Text, nullable=False),
    Column("payment_state", Text, nullable=False),
    Column("captured_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("erp_order_no", Text, nullable=False),
    Column("invoiced", Boolean, nullable=False),
    Column("cancel_reason", Text, nullable=False),
    Column("exception", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_orders_placed", "placed_at", "id"),
    Index("ix_orders_status", "status"),
    Index("ix_orders_channel", "channel"),
    Index("ix_orders_location", "location"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("short_quantity", Integer, nullable=False),
    Column("shipped_quantity", Integer, nullable=False),
)

order_history = Table(
    "order_history",
    metadata,
    Column("owner_id", Text, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", Text, nullable=False),
    Column("at", Float, nullable=False),
    Column("source", Text, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("authorization_id", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("captured_cents", Integer, nullable=False),
    Column("refunded_cents", Integer, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("shipment_id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("location", Text, nullable=False),
    Column("shipped_at", Float, nullable=False),
)

returns = Table(
    "returns",
    metadata,
    Column("id", Text, primary_key=True),
    Column("order_id", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("requested_at", Float, nullable=False),
    Column("received_at", Float, nullable=False),
    Column("location", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("disposition", Text, nullable=False),
    Column("refund_id", Text, nullable=False),
    Column("refund_state", Text, nullable=False),
    Column("refunded_at", Float, nullable=False),
    Column("refund_total_cents", Integer, nullable=False),
    Column("credit_memo_no", Text, nullable=False),
    Column("exception", Text, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_returns_order", "order_id"),
    Index("ix_returns_requested", "requested_at", "id"),
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", Text, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("refund_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
)

return_history = Table(
    "return_history",
    metadata,
    Column("owner_id", Text, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", Text, nullable=False),
    Column("at", Float, nullable=False),
    Column("source", Text, nullable=False),
)

skus = Table(
    "skus",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("tax_rate_bp", Integer, nullable=False),
    Column("popularity_rank", Integer, nullable=False),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("region", Text, nullable=False),
    Column("name", Text, nullable=False),
)

positions = Table(
    "inventory_positions",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("location", Text, primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("safety_stock", Integer, nullable=False),
    Column("in_transit", Integer, nullable=False),
    Column("quarantined", Integer, nullable=False),
    Column("available", Integer, nullable=False),
    Column("source_system", Text, nullable=False),
    Column("source_seq", Integer, nullable=False),
    Column("source_ts", Float, nullable=False),
    Column("source_seq_latest", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_positions_location", "location", "sku"),
)

channel_availability = Table(
    "channel_availability",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("channel", Text, primary_key=True),
    Column("store", Text, primary_key=True),
    Column("hub_available", Integer, nullable=False),
    Column("channel_view", Integer, nullable=False),
    Column("view_sent_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

system_records = Table(
    "system_records",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("system", Text, primary_key=True),
    Column("record_id", Text, primary_key=True),
    Column("status", Text, nullable=False),
    Column("recorded_at", Float, nullable=False),
    Column("fields", JSON, nullable=False),
)

order_sync = Table(
    "order_sync",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("in_sync", Boolean, nullable=False),
    Column("disagreements", JSON, nullable=False),
    Column("checked_at", Float, nullable=False),
    Index("ix_order_sync_in_sync", "in_sync"),
)

timeline = Table(
    "timeline",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("order_id", Text, nullable=False),
    Column("return_id", Text, nullable=False),
    Column("at", Float, nullable=False),
    Column("sent_at", Float, nullable=False),
    Column("source", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("message_id", Integer, nullable=False),
    Column("duplicate", Boolean, nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_timeline_order", "order_id", "seq"),
    Index("ix_timeline_return", "return_id", "seq"),
)

#: whole documents (the run's facts, the operations snapshot) stored as JSON
documents = Table(
    "documents",
    metadata,
    Column("name", Text, primary_key=True),
    Column("body", JSON, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", Text, primary_key=True),
    Column("mutation", Text, nullable=False),
    Column("request_hash", Text, nullable=False),
    Column("response", JSON, nullable=False),
)

#: which run the database holds (one row): a live twin that restarts on the same
#: database must find its own run there, not another scenario's or seed's (identity.py)
run_identity = Table(
    "run_identity",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("scenario", Text, nullable=False),
    # text: a seed is any non-negative integer, wider than a database integer
    Column("seed", Text, nullable=False),
    Column("overrides_digest", Text, nullable=False),
    Column("overrides", JSON, nullable=False),
)

#: the tables that hold a run's rows, which `ReadModel.reset` clears: all but the run's
#: identity and the answers the API has given (idempotency keys)
RUN_TABLES = tuple(
    table
    for table in metadata.sorted_tables
    if table is not run_identity and table is not idempotency_keys
)
