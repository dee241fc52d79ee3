"""The read model's tables, in SQLAlchemy Core (no ORM: rows map onto frozen records).

Portable types only (no SQLite or PostgreSQL specifics), so the same metadata creates
the schema on either. Keys are the business ids the API exposes; the indexes are the
ones the API's filters and DataLoaders use (every child table is looked up by its
parent's id in one `IN (...)` query).
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

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("id", String, primary_key=True),
    Column("channel", String, nullable=False),
    Column("channel_order_id", String, nullable=False),
    Column("customer_id", String, nullable=False),
    Column("status", String, nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("placed_at", Float, nullable=False),
    Column("received_at", Float, nullable=False),
    Column("location", String, nullable=False),
    Column("pickup_store", String, nullable=False),
    Column("payment_state", String, nullable=False),
    Column("captured_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("erp_order_no", String, nullable=False),
    Column("invoiced", Boolean, nullable=False),
    Column("cancel_reason", String, nullable=False),
    Column("exception", String, nullable=False),
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
    Column("order_id", String, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("short_quantity", Integer, nullable=False),
    Column("shipped_quantity", Integer, nullable=False),
)

order_history = Table(
    "order_history",
    metadata,
    Column("owner_id", String, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", String, nullable=False),
    Column("at", Float, nullable=False),
    Column("source", String, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("order_id", String, primary_key=True),
    Column("authorization_id", String, primary_key=True),
    Column("state", String, nullable=False),
    Column("captured_cents", Integer, nullable=False),
    Column("refunded_cents", Integer, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("order_id", String, primary_key=True),
    Column("shipment_id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("location", String, nullable=False),
    Column("shipped_at", Float, nullable=False),
)

returns = Table(
    "returns",
    metadata,
    Column("id", String, primary_key=True),
    Column("order_id", String, nullable=False),
    Column("channel", String, nullable=False),
    Column("status", String, nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("requested_at", Float, nullable=False),
    Column("received_at", Float, nullable=False),
    Column("location", String, nullable=False),
    Column("grade", String, nullable=False),
    Column("disposition", String, nullable=False),
    Column("refund_id", String, nullable=False),
    Column("refund_state", String, nullable=False),
    Column("refunded_at", Float, nullable=False),
    Column("refund_total_cents", Integer, nullable=False),
    Column("credit_memo_no", String, nullable=False),
    Column("exception", String, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_returns_order", "order_id"),
    Index("ix_returns_requested", "requested_at", "id"),
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", String, primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("refund_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
)

return_history = Table(
    "return_history",
    metadata,
    Column("owner_id", String, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", String, nullable=False),
    Column("at", Float, nullable=False),
    Column("source", String, nullable=False),
)

skus = Table(
    "skus",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("category", String, nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("tax_rate_bp", Integer, nullable=False),
    Column("popularity_rank", Integer, nullable=False),
)

locations = Table(
    "locations",
    metadata,
    Column("id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("region", String, nullable=False),
    Column("name", String, nullable=False),
)

positions = Table(
    "inventory_positions",
    metadata,
    Column("sku", String, primary_key=True),
    Column("location", String, primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("safety_stock", Integer, nullable=False),
    Column("in_transit", Integer, nullable=False),
    Column("quarantined", Integer, nullable=False),
    Column("available", Integer, nullable=False),
    Column("source_system", String, nullable=False),
    Column("source_seq", Integer, nullable=False),
    Column("source_ts", Float, nullable=False),
    Column("source_seq_latest", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_positions_location", "location", "sku"),
)

channel_availability = Table(
    "channel_availability",
    metadata,
    Column("sku", String, primary_key=True),
    Column("channel", String, primary_key=True),
    Column("store", String, primary_key=True),
    Column("hub_available", Integer, nullable=False),
    Column("channel_view", Integer, nullable=False),
    Column("view_sent_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

system_records = Table(
    "system_records",
    metadata,
    Column("order_id", String, primary_key=True),
    Column("system", String, primary_key=True),
    Column("record_id", String, primary_key=True),
    Column("status", String, nullable=False),
    Column("recorded_at", Float, nullable=False),
    Column("fields", JSON, nullable=False),
)

order_sync = Table(
    "order_sync",
    metadata,
    Column("order_id", String, primary_key=True),
    Column("in_sync", Boolean, nullable=False),
    Column("disagreements", JSON, nullable=False),
    Column("checked_at", Float, nullable=False),
    Index("ix_order_sync_in_sync", "in_sync"),
)

timeline = Table(
    "timeline",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("order_id", String, nullable=False),
    Column("return_id", String, nullable=False),
    Column("at", Float, nullable=False),
    Column("sent_at", Float, nullable=False),
    Column("source", String, nullable=False),
    Column("target", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("message_id", Integer, nullable=False),
    Column("duplicate", Boolean, nullable=False),
    Column("detail", String, nullable=False),
    Index("ix_timeline_order", "order_id", "seq"),
    Index("ix_timeline_return", "return_id", "seq"),
)

#: whole documents (the run's facts, the operations snapshot) stored as JSON
documents = Table(
    "documents",
    metadata,
    Column("name", String, primary_key=True),
    Column("body", JSON, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String, primary_key=True),
    Column("mutation", String, nullable=False),
    Column("request_hash", String, nullable=False),
    Column("response", JSON, nullable=False),
)
