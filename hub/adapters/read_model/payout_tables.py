"""The read model's tables of a settling marketplace's payouts and their lines.

Kept apart from tables.py (which would pass the layout's 400 lines with them) on the
same `metadata`, so the schema is created, probed for gaps and cleared with the rest.
Both tables are ones a later version added: an older read model gains them empty (no
payouts), as it gained `channel_prices`.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, Integer, Table

from hub.adapters.read_model.clustered import without_rowid
from hub.adapters.read_model.tables import CodePointText, metadata

#: a payout as the hub reconciles it (hub.model.settlement.Payout), with the totals
#: the payouts list shows and filters on, so a page reads no lines
payouts = Table(
    "payouts",
    metadata,
    # the marketplace's settlement id (STL-0001)
    Column("id", CodePointText, primary_key=True),
    Column("channel", CodePointText, nullable=False),
    Column("state", CodePointText, nullable=False),
    Column("paid_at", Float, nullable=False),
    # when the hub received the report (-1: not known, over an external hub)
    Column("received_at", Float, nullable=False),
    Column("booked_at", Float, nullable=False),
    Column("erp_document_no", CodePointText, nullable=False),
    Column("deposit_cents", Integer, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("unmatched_count", Integer, nullable=False),
    Column("claims_cents", Integer, nullable=False),
    Column("fees_cents", Integer, nullable=False),
    Column("chargebacks_cents", Integer, nullable=False),
    Column("refunds_cents", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
    # the marketplace that paid it, by its name
    Column("marketplace", CodePointText, nullable=False, server_default="marketplace"),
    Index("ix_payouts_paid", "paid_at", "id"),
    Index("ix_payouts_received", "received_at", "id"),
    Index("ix_payouts_state", "state"),
)

#: a payout's lines in the report's order: what was reported and what the hub applied
payout_lines = Table(
    "payout_lines",
    metadata,
    Column("payout_id", CodePointText, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("line_id", CodePointText, nullable=False),
    Column("kind", CodePointText, nullable=False),
    Column("order_id", CodePointText, nullable=False),
    Column("return_id", CodePointText, nullable=False),
    Column("reported_cents", Integer, nullable=False),
    # the amount applied at the hub's own figures; meaningless until `matched`
    Column("matched", Boolean, nullable=False),
    Column("applied_cents", Integer, nullable=False),
    Column("state", CodePointText, nullable=False),
    Index("ix_payout_lines_order", "order_id"),
)

without_rowid(metadata)
