"""Batch loads' statements are built once and rows become records positionally only
when the columns read are the record's fields in order
(hub/adapters/read_model/batch_reads.py); a table narrowed to the columns an older
database has reads by keyword, the missing fields taking their defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import column, create_engine, select, text
from sqlalchemy import table as table_clause

from hub.adapters.read_model import tables
from hub.adapters.read_model.batch_reads import IDS, by_parent_statement, maker, records
from hub.adapters.read_model.records import OrderLineRecord, OrderRecord, SkuRecord
from hub.adapters.read_model.schema_gaps import SchemaGaps


@dataclass(frozen=True, slots=True)
class Pair:
    left: str
    right: str = "default"


def test_every_record_a_batch_load_reads_has_its_tables_columns_in_order() -> None:
    """What makes the positional path the common one: a table added out of order
    would still read correctly (by keyword), only slower, so this says which."""
    for name, record in (
        ("orders", OrderRecord),
        ("order_lines", OrderLineRecord),
        ("skus", SkuRecord),
    ):
        columns = [c.name for c in tables.metadata.tables[name].c]
        assert columns == [f.name for f in fields(record)], name


def test_a_statement_is_built_once_per_table_key_order_and_columns() -> None:
    t = tables.order_lines
    first = by_parent_statement(t, "order_id", [t.c.order_id, t.c.line_no])
    assert by_parent_statement(t, "order_id", [t.c.order_id, t.c.line_no]) is first
    assert by_parent_statement(t, "order_id", [t.c.line_no]) is not first
    narrowed = SchemaGaps(columns=frozenset({("order_lines", "promotion")})).narrowed(t)
    assert narrowed is not None
    other = by_parent_statement(narrowed, "order_id", [narrowed.c.order_id])
    assert "promotion" not in [c.name for c in other.selected_columns]


def test_rows_become_records_by_position_or_by_name() -> None:
    assert maker(Pair, ["left", "right"])(("a", "b")) == Pair("a", "b")
    # the columns in another order, or fewer of them, go by name
    assert maker(Pair, ["right", "left"])(("b", "a")) == Pair("a", "b")
    assert maker(Pair, ["left"])(("a",)) == Pair("a")


def test_a_batch_load_reads_each_id_asked_for() -> None:
    engine = create_engine("sqlite://")
    pairs = table_clause("pairs", column("left"), column("right"))
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE pairs (left TEXT, right TEXT)"))
        conn.execute(text("INSERT INTO pairs VALUES ('a', '1'), ('b', '2'), ('c', '3')"))
        statement = by_parent_statement(pairs, "left", [pairs.c.left])
        found = list(records(conn.execute(statement, {IDS: ["c", "a", "x"]}), Pair))
        assert found == [Pair("a", "1"), Pair("c", "3")]
        # the columns read are the record's fields, but not in its order
        reversed_ = conn.execute(select(pairs.c.right, pairs.c.left).order_by(pairs.c.left))
        assert [p.left for p in records(reversed_, Pair)] == ["a", "b", "c"]
